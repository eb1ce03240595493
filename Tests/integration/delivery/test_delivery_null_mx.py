"""Null MX (RFC 7505): a domain whose only MX is "0 ." accepts no mail.
The recipient bounces at once with 5.1.10 (RFC 7505 §4.1) and a DSN goes to
the sender; no connection is made -- not even to the domain's A record,
which points at a live receiver to catch a wrong fallback to the implicit
MX (RFC 5321 §5.1)."""
from delivery_harness import SENDER, parse_dsn, wait_until


def test_null_mx_bounces_without_connecting(dns, receivers, outbound, sender_mx):
    rcpt = "someone@nullmx.test"
    dns.null_mx("nullmx.test")
    dns.a("nullmx.test", receivers.ip(1))
    trap = receivers.add(1, "nullmx.test")
    petrel = outbound()

    qid, mid = petrel.inject([rcpt])

    (ev,) = petrel.wait_event("bounced", rcpt)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "5.1.10", ev.line
    assert ev.fields["attempt"] == "1", ev.line
    (rec,) = wait_until(lambda: sender_mx.received(), 20, "the DSN at sender.test's MX", on_fail=petrel.log_tail)
    assert rec.mail_from == "" and rec.rcpt_tos == [SENDER]
    _, _, (block,) = parse_dsn(rec)
    assert block["Final-Recipient"].replace(" ", "").lower() == "rfc822;" + rcpt
    assert block["Action"].strip() == "failed"
    assert block["Status"].strip() == "5.1.10"
    assert mid in rec.data.decode(errors="replace")
    assert trap.connections == 0, "Petrel connected to the A record of a null-MX domain"
    assert petrel.events("deferred", rcpt) == []
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
