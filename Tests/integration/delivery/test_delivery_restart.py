"""Restart in the middle of a queue run: 40 messages to a slow MX (200 ms
per DATA, at most 2 connections). SIGTERM once some have arrived: Petrel
drains the transactions in flight (records their outcome) and exits 0
promptly; started again on the same data directory it delivers the rest.
Every Message-ID arrives exactly once -- none lost, none sent twice."""
import signal
import time
from collections import Counter

from delivery_harness import wait_until

MESSAGES = 40
SHAPING = """
[domain."restart.test"]
max_connections = 2
"""


def test_sigterm_midway_then_restart_delivers_exactly_once(dns, receivers, outbound):
    dns.mx("restart.test", "mx.restart.test", 10)
    dns.a("mx.restart.test", receivers.ip(1))
    mx = receivers.add(1, "mx.restart.test", data_delay=0.2)
    petrel = outbound(shaping=SHAPING)

    sent = [petrel.inject(["r%d@restart.test" % i])[1] for i in range(MESSAGES)]

    wait_until(lambda: len(mx.received()) >= 6, 30, "the first deliveries", on_fail=petrel.log_tail)
    t0 = time.monotonic()
    petrel.signal(signal.SIGTERM)
    rc = petrel.wait_exit(40)
    took = time.monotonic() - t0
    shutdown_log = petrel.log_tail(15)
    before = len(mx.received())
    assert before < MESSAGES, "everything was delivered before SIGTERM; the scenario tested nothing"
    petrel.stop()  # closes the log (and kills a server that did not exit)

    petrel.start()
    wait_until(lambda: len(mx.received()) >= MESSAGES, 60, "all %d messages at the MX" % MESSAGES,
               on_fail=lambda: "received %d\n%s" % (len(mx.received()), petrel.log_tail(30)))
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    wait_until(petrel.idle, 10, "the queue to settle")
    ids = Counter(r.message_id for r in mx.received())
    dups = {m: n for m, n in ids.items() if n > 1}
    assert not dups, "delivered more than once across the restart: %r" % dups
    assert set(ids) == set(sent), "missing: %r" % (set(sent) - set(ids))
    assert len(mx.received()) == MESSAGES
    # Checked last so that a slow shutdown does not hide the restart's result.
    assert rc == 0, "petrel serve after SIGTERM: exit %r after %.1fs\n%s" % (rc, took, shutdown_log)
    # In flight at SIGTERM: at most 2 transactions of ~200 ms each.
    assert took < 10, "SIGTERM took %.1fs to drain two 200 ms transactions\n%s" % (took, shutdown_log)
