"""NXDOMAIN: the recipient domain does not exist (RFC 5321 §5.1: no MX and
no address). The recipient bounces at once with 5.1.2 (RFC 3463: bad
destination system address) and the sender gets a DSN."""
from delivery_harness import SENDER, parse_dsn, wait_until


def test_nxdomain_bounces_with_5_1_2(dns, receivers, outbound, sender_mx):
    rcpt = "someone@does-not-exist.test"
    petrel = outbound()

    qid, mid = petrel.inject([rcpt])

    (ev,) = petrel.wait_event("bounced", rcpt)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "5.1.2", ev.line
    assert ev.fields["attempt"] == "1", ev.line
    (rec,) = wait_until(lambda: sender_mx.received(), 20, "the DSN at sender.test's MX", on_fail=petrel.log_tail)
    assert rec.mail_from == "" and rec.rcpt_tos == [SENDER]
    _, _, (block,) = parse_dsn(rec)
    assert block["Final-Recipient"].replace(" ", "").lower() == "rfc822;" + rcpt
    assert block["Action"].strip() == "failed"
    assert block["Status"].strip() == "5.1.2"
    assert mid in rec.data.decode(errors="replace")
    assert petrel.events("deferred", rcpt) == []
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
