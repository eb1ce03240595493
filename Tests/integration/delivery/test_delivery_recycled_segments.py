"""kill -9 while the spool reuses emptied segment files: small segments
(64 KiB, about seven 8 KB messages each) empty as mail is delivered, and the
next segment starts in the file of an emptied one, over what it held before.
The kill comes just after such a start, so the active segment holds a few new
records followed by most of what the file held before. After a restart every
acknowledged message arrives (a crash right after a delivery may repeat it:
at least once), recovery reads the old content as unused space -- nothing is
quarantined or set aside as torn -- and no removed message comes back."""
import re
import threading
import time
from collections import Counter

from delivery_harness import make_message_id, wait_until

MESSAGES = 120
BODY = "".join("line %04d of a message long enough to fill small segments quickly\r\n" % i for i in range(120))


def test_kill9_just_after_a_segment_reuse_loses_and_resurrects_nothing(dns, receivers, outbound):
    dns.mx("reuse.test", "mx.reuse.test", 10)
    dns.a("mx.reuse.test", receivers.ip(1))
    mx = receivers.add(1, "mx.reuse.test", data_delay=0.02)
    petrel = outbound(spool={"fsync": True, "segment_size": "64KiB"}, log_level="debug")

    attempted = [make_message_id() for _ in range(MESSAGES)]
    acknowledged: list[str] = []

    def inject_all() -> None:
        for i, message_id in enumerate(attempted):
            try:
                acknowledged.append(petrel.inject(["u%d@reuse.test" % i], body=BODY, message_id=message_id)[1])
            except Exception:  # the kill
                return

    def reuses() -> int:
        return len(re.findall(r"recycled=true .*spool: new segment", petrel.log_text()))

    injector = threading.Thread(target=inject_all)
    injector.start()
    wait_until(lambda: reuses() >= 1, 30, "a segment started in an emptied segment's file", on_fail=petrel.log_tail)
    seen = reuses()
    wait_until(lambda: reuses() > seen, 30, "a second reuse", on_fail=petrel.log_tail)
    petrel.kill9()
    delivered_before = {r.message_id for r in mx.received()}
    injector.join(30)
    assert len(acknowledged) < MESSAGES, "every message was accepted before the kill; the scenario tested nothing"

    petrel.start()
    wait_until(lambda: set(r.message_id for r in mx.received()) >= set(acknowledged), 60,
               "all %d acknowledged messages at the MX" % len(acknowledged),
               on_fail=lambda: "received %d\n%s" % (len(mx.received()), petrel.log_tail(30)))
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    ids = Counter(r.message_id for r in mx.received())
    # Nothing but what was sent; of what was not acknowledged, only the message in flight at the kill.
    assert set(ids) <= set(attempted)
    assert len(set(ids) - set(acknowledged)) <= 1
    # At least once: only what was in flight at the kill may arrive twice.
    repeated = sum(n - 1 for n in ids.values())
    assert repeated <= 4, "%d repeated deliveries after one kill -9: %r" % (repeated, ids.most_common(5))
    log = petrel.log_text()
    assert "damaged record quarantined" not in log, petrel.log_tail(40)
    recoveries = re.findall(r"quarantined=(\d+) segments=(\d+) torn=\d+ \[Spool\] spool: recovered", log)
    assert len(recoveries) == 2 and int(recoveries[1][1]) > 0, recoveries
    assert all(q == "0" for q, _ in recoveries), recoveries
    # The old content of reused files is not even a torn tail: no copy set aside holds a message that
    # had been delivered (and removed) before the kill.
    quarantine = petrel.data_dir / "spool" / "quarantine"
    for copy in quarantine.iterdir() if quarantine.exists() else []:
        held = copy.read_bytes()
        old = [m for m in delivered_before if m.encode() in held]
        assert not old, "%s holds %d delivered messages" % (copy.name, len(old))
    # Nothing removed came back: a restart with an empty queue delivers nothing more.
    count = len(mx.received())
    petrel.stop()
    petrel.start()
    time.sleep(1.0)
    assert petrel.queue_list() == []
    assert len(mx.received()) == count
