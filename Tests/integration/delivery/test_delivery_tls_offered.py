"""TLS offered: the MX advertises STARTTLS (self-signed certificate).
With tls = "opportunistic" Petrel uses it (RFC 3207) even though the
certificate does not verify -- opportunistic TLS records the verification,
it does not fail on it -- and the message arrives over TLS. The same with
verify_certificates = false."""
import pytest

from delivery_harness import wait_until


@pytest.mark.parametrize("verify", [True, False], ids=["verify_certificates", "no_verification"])
def test_starttls_used_when_offered(dns, receivers, outbound, verify):
    rcpt = "erin@tls.test"
    dns.mx("tls.test", "mx.tls.test", 10)
    dns.a("mx.tls.test", receivers.ip(1))
    mx = receivers.add(1, "mx.tls.test", tls=True)
    petrel = outbound(delivery={"tls": "opportunistic", "verify_certificates": verify})

    qid, mid = petrel.inject([rcpt])

    (rec,) = wait_until(lambda: mx.received(), 10, "the message at mx.tls.test", on_fail=petrel.log_tail)
    assert rec.message_id == mid and rec.rcpt_tos == [rcpt]
    assert rec.tls is True, "the MX offered STARTTLS but the message came in the clear"
    (ev,) = petrel.wait_event("sent", rcpt)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "2.0.0", ev.line
