"""Connection limit held: shaping gives the domain max_connections = 2.
60 messages are injected at once over 6 client sessions while the MX takes
100 ms per DATA; at no time has the MX more than 2 connections from Petrel,
and every message arrives exactly once."""
import threading
from collections import Counter

from delivery_harness import wait_until

SHAPING = """
[default]
max_connections = 10
max_messages_per_connection = 100

[domain."limited.test"]
max_connections = 2
max_messages_per_connection = 5
"""

MESSAGES = 60
SESSIONS = 6


def test_max_connections_per_domain(dns, receivers, outbound):
    dns.mx("limited.test", "mx.limited.test", 10)
    dns.a("mx.limited.test", receivers.ip(1))
    mx = receivers.add(1, "mx.limited.test", data_delay=0.1)
    petrel = outbound(shaping=SHAPING)

    sent: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        try:
            for i in range(MESSAGES // SESSIONS):
                _, mid = petrel.inject(["user%d.%d@limited.test" % (k, i)])
                with lock:
                    sent.append(mid)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(sent) == MESSAGES

    wait_until(lambda: len(mx.received()) >= MESSAGES, 60, "%d messages at the MX" % MESSAGES,
               on_fail=lambda: "received %d\n%s" % (len(mx.received()), petrel.log_tail(20)))
    wait_until(petrel.idle, 10, "the queue to settle")
    ids = Counter(r.message_id for r in mx.received())
    assert set(ids) == set(sent)
    assert all(n == 1 for n in ids.values()), [m for m, n in ids.items() if n > 1]
    assert mx.peak <= 2, "peak of %d simultaneous connections (max_connections = 2); %d counting until " \
        "the server-side close" % (mx.peak, mx.socket_peak)
    # max_messages_per_connection = 5: at least 12 connections were needed.
    assert mx.connections >= MESSAGES // 5, mx.connections
