"""First MX host dead: the domain has two MX; the more preferred one (10)
has an address where nothing listens. Petrel tries it first, then the next
MX (RFC 5321 §5.1) in the same attempt, and the message is delivered there
with no deferral."""
from delivery_harness import wait_until


def test_next_mx_after_connection_failure(dns, receivers, outbound):
    rcpt = "dave@twomx.test"
    dns.mx("twomx.test", "mx1.twomx.test", 10)
    dns.mx("twomx.test", "mx2.twomx.test", 20)
    dns.a("mx1.twomx.test", receivers.ip(1))  # nothing listens there
    dns.a("mx2.twomx.test", receivers.ip(2))
    backup = receivers.add(2, "mx2.twomx.test")
    petrel = outbound()

    qid, mid = petrel.inject([rcpt])

    (rec,) = wait_until(lambda: backup.received(), 20, "the message at mx2.twomx.test", on_fail=petrel.log_tail)
    assert rec.message_id == mid and rec.rcpt_tos == [rcpt]
    (ev,) = petrel.wait_event("sent", rcpt)
    assert ev.fields["id"] == qid
    assert ev.fields["relay"] == "mx2.twomx.test", ev.line
    assert ev.fields["attempt"] == "1", ev.line
    assert ev.fields["dsn"] == "2.0.0", ev.line
    assert petrel.events("deferred", rcpt) == []
    assert backup.connections == 1
