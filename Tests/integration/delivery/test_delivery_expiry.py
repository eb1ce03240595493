"""Expiry: the MX always answers 451 to the recipient. With max_age = 1h,
retry_initial = 10m and the test clock, the message is retried while it is
younger than max_age; the first attempt after that ends it: the recipient is
final (expired), the sender gets a DSN with Action failed and Status 4.4.7
(RFC 3463: delivery time expired), and the message leaves the queue."""
from delivery_harness import SENDER, defer, parse_dsn, wait_until


def test_expires_after_max_age(dns, receivers, outbound, sender_mx):
    rcpt = "henry@slow.test"
    dns.mx("slow.test", "mx.slow.test", 10)
    dns.a("mx.slow.test", receivers.ip(1))
    mx = receivers.add(1, "mx.slow.test",
                       behaviours={rcpt: defer(None, "451 4.3.0 Temporary local problem")})
    petrel = outbound(delivery={"retry_initial": "10m", "retry_factor": 2.0, "retry_max": "1h",
                                "max_age": "1h"})

    qid, mid = petrel.inject([rcpt])

    petrel.wait_event("deferred", rcpt, count=1)
    wait_until(petrel.idle, 10, "the queue to settle")
    # Attempt 2 at ~600 s (age < max_age): deferred again, still queued.
    petrel.advance(700)
    petrel.wait_event("deferred", rcpt, count=2)
    wait_until(petrel.idle, 10, "the queue to settle")
    assert sender_mx.received() == [], "a DSN was sent before max_age"
    assert [e["id"] for e in petrel.queue_list()] == [qid]

    # Past max_age (3600 s after arrival); attempt 3 is due at most ~1.1 h.
    petrel.advance(3600)
    (ev,) = petrel.wait_event("bounced", rcpt)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "4.4.7", ev.line
    assert mx.attempts(rcpt) == 3
    assert mx.received() == []

    (rec,) = wait_until(lambda: sender_mx.received(), 20, "the DSN at sender.test's MX", on_fail=petrel.log_tail)
    assert rec.mail_from == "" and rec.rcpt_tos == [SENDER]
    _, _, (block,) = parse_dsn(rec)
    assert block["Final-Recipient"].replace(" ", "").lower() == "rfc822;" + rcpt
    assert block["Action"].strip() == "failed"
    assert block["Status"].strip() == "4.4.7"
    assert mid in rec.data.decode(errors="replace")
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
    # RFC 3464 §2.3.6: Diagnostic-Code is the code the remote MTA actually
    # issued -- the last reply, "451 4.3.0 ...", not a rewritten one.
    diag = block.get("Diagnostic-Code", "").strip()
    assert diag.startswith("smtp;") and "451 4.3.0" in diag, "Diagnostic-Code: %r" % diag
