"""TLS not offered: the MX does not advertise STARTTLS. With
tls = "opportunistic" the message is delivered in the clear; with
tls = "required" for the domain (shaping `[domain."plain.test"] tls`), or
globally (`[delivery] tls`), nothing is sent and the recipient is deferred
(4.7.10, encryption needed: RFC 5248 registry) and stays queued."""
import pytest

from delivery_harness import wait_until

PER_DOMAIN = """
[domain."plain.test"]
tls = "required"
"""


def _domain(dns, receivers):
    dns.mx("plain.test", "mx.plain.test", 10)
    dns.a("mx.plain.test", receivers.ip(1))
    return receivers.add(1, "mx.plain.test", tls=False)


def test_opportunistic_delivers_in_clear(dns, receivers, outbound):
    mx = _domain(dns, receivers)
    petrel = outbound(delivery={"tls": "opportunistic"})
    rcpt = "frank@plain.test"

    qid, mid = petrel.inject([rcpt])

    (rec,) = wait_until(lambda: mx.received(), 10, "the message at mx.plain.test", on_fail=petrel.log_tail)
    assert rec.message_id == mid and rec.tls is False
    (ev,) = petrel.wait_event("sent", rcpt)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "2.0.0", ev.line


@pytest.mark.parametrize("where", ["domain", "global"])
def test_required_defers_without_sending(dns, receivers, outbound, where):
    mx = _domain(dns, receivers)
    if where == "domain":
        petrel = outbound(delivery={"tls": "opportunistic"}, shaping=PER_DOMAIN)
    else:
        petrel = outbound(delivery={"tls": "required"})
    rcpt = "grace@plain.test"

    qid, _ = petrel.inject([rcpt])

    (ev,) = petrel.wait_event("deferred", rcpt)
    assert ev.fields["id"] == qid, ev.line
    assert ev.fields["dsn"] == "4.7.10", ev.line
    wait_until(petrel.idle, 10, "the queue to settle")
    assert mx.received() == [], "a message went out in the clear under tls = required"
    assert mx.attempts(rcpt) == 0, "RCPT was sent before TLS"
    assert [e["id"] for e in petrel.queue_list()] == [qid], "the message must stay queued"
    assert petrel.events("sent", rcpt) == [] and petrel.events("bounced", rcpt) == []
