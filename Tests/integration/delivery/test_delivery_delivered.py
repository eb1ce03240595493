"""Delivered: a message to two recipients of one domain goes to the
domain's MX (RFC 5321 §5.1) in one transaction; both recipients end
delivered, the receiver gets the envelope and the bytes, and the message
leaves the queue."""
from delivery_harness import SENDER, wait_until


def test_delivered_to_mx(dns, receivers, outbound):
    dns.mx("good.test", "mx1.good.test", 10)
    dns.a("mx1.good.test", receivers.ip(1))
    mx = receivers.add(1, "mx1.good.test")
    petrel = outbound()

    qid, mid = petrel.inject(["alice@good.test", "bob@good.test"])

    got = wait_until(lambda: mx.received(), 20, "the message at mx1.good.test", on_fail=petrel.log_tail)
    assert len(got) == 1, "expected one transaction, got %d" % len(got)
    rec = got[0]
    assert rec.mail_from == SENDER
    assert sorted(rec.rcpt_tos) == ["alice@good.test", "bob@good.test"]
    assert rec.message_id == mid
    assert b"Hello from the delivery suite.\r\n" in rec.data
    assert rec.tls is False  # the receiver offers no STARTTLS

    for rcpt in ("alice@good.test", "bob@good.test"):
        (ev,) = petrel.wait_event("sent", rcpt)
        assert ev.fields["id"] == qid
        assert ev.fields["dsn"] == "2.0.0", ev.line
        assert ev.fields["relay"] == "mx1.good.test", ev.line
        assert ev.fields["reply"] == "250 2.0.0 Ok: queued", ev.line
    wait_until(lambda: not any(e["id"] == qid for e in petrel.queue_list()), 10,
               "%s to leave the queue" % qid)
    assert mx.connections == 1
