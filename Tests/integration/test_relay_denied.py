"""Relay policy: untrusted, unauthenticated clients may only send to
relay.local_domains; everything else is 554 5.7.1. Loopback is made
untrusted by trusting 10.9.9.0/24 only."""
import pytest

from petrel_harness import PASSWORD, USER, swaks
from smtpwire import auth_plain, message


@pytest.fixture
def untrusted(petrel_factory):
    return petrel_factory(relay={"trusted_networks": ["10.9.9.0/24"], "local_domains": ["bounce.example.org"]})


def test_external_recipient_denied(untrusted):
    with untrusted.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<spammer@example.net>").code == 250
        for rcpt in ("victim@example.com", "victim@sub.bounce.example.org", "victim@bounce.example.org.evil.test"):
            r = w.cmd("RCPT TO:<%s>" % rcpt)
            assert (r.code, r.enhanced) == (554, "5.7.1"), "RCPT TO:<%s>: %s" % (rcpt, r)
        r = w.cmd("DATA")
        assert r.code in (503, 554), "DATA with no accepted recipient: %s" % r


def test_local_domain_accepted(untrusted):
    with untrusted.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<mailer-daemon@example.net>").code == 250
        r = w.cmd("RCPT TO:<b+token@bounce.example.org>")
        assert r.code == 250, r
        r = w.cmd("RCPT TO:<Other@BOUNCE.Example.ORG>")
        assert r.code == 250, "domain match must ignore case: %s" % r
        r = w.cmd("RCPT TO:<victim@example.com>")
        assert (r.code, r.enhanced) == (554, "5.7.1"), r
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "bounce"}, "dsn") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    e = untrusted.queued(r.queue_id)
    assert len(e["recipients"]) == 2 and "victim@example.com" not in e["recipients"], e


def test_authenticated_user_relays_anywhere(untrusted):
    with untrusted.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.starttls().code == 220
        w.ehlo()
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, PASSWORD))
        assert r.code == 235, r
        assert w.cmd("MAIL FROM:<alice@example.net>").code == 250
        r = w.cmd("RCPT TO:<anyone@example.com>")
        assert r.code == 250, "authenticated relay refused: %s" % r


def test_swaks_relay_denied(untrusted):
    host, port = untrusted.addr("relay")
    r = swaks("--server", "%s:%d" % (host, port), "--from", "s@example.net", "--to", "v@example.com")
    assert r.returncode != 0, r.stdout
    assert "554 5.7.1" in r.stdout, r.stdout
    assert untrusted.queue_list() == []


def test_trusted_network_is_matched_by_source_address(petrel_factory):
    srv = petrel_factory(relay={"trusted_networks": ["127.0.0.2/32"], "local_domains": []})
    with srv.wire("relay", source="127.0.0.2") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<t@example.net>").code == 250
        r = w.cmd("RCPT TO:<x@example.com>")
        assert r.code == 250, "client in trusted_networks refused: %s" % r
    with srv.wire("relay", source="127.0.0.3") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<t@example.net>").code == 250
        r = w.cmd("RCPT TO:<x@example.com>")
        assert (r.code, r.enhanced) == (554, "5.7.1"), "client outside trusted_networks: %s" % r
