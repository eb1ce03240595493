"""Listener options: require_tls, tls = "none", mode = "inbound"."""
from petrel_harness import PASSWORD, USER
from smtpwire import auth_plain, message


def listener(name, **kw):
    d = {"name": name, "mode": "relay", "tls": "starttls", "require_tls": False, "allow_plaintext_auth": False}
    d.update(kw)
    return d


def test_require_tls(petrel_factory):
    srv = petrel_factory(listeners=[listener("relay", require_tls=True)])
    with srv.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert (r.code, r.enhanced) == (530, "5.7.0"), "MAIL before STARTTLS with require_tls: %s" % r
        assert w.starttls().code == 220
        w.ehlo()
        assert w.cmd("MAIL FROM:<a@example.net>").code == 250


def test_tls_none(petrel_factory):
    srv = petrel_factory(listeners=[listener("relay", tls="none")])
    with srv.wire("relay") as w:
        w.banner()
        kw = w.ehlo().keywords
        assert "STARTTLS" not in kw, kw
        r = w.cmd("STARTTLS")
        assert r.code in (502, 454, 500), "STARTTLS on a listener without TLS: %s" % r
        assert w.cmd("NOOP").code == 250


def test_inbound_accepts_local_domains_only(petrel_factory):
    # loopback is trusted, but an inbound listener takes mail for local domains only
    srv = petrel_factory(listeners=[listener("relay", mode="inbound")])
    with srv.wire("relay") as w:
        w.banner()
        kw = w.ehlo().keywords
        assert "AUTH" not in kw
        assert w.starttls().code == 220
        kw = w.ehlo().keywords
        assert "AUTH" not in kw, "inbound listener offers AUTH inside TLS: %s" % kw
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, PASSWORD))
        assert r.code in (502, 503, 504), "AUTH on an inbound listener: %s" % r
        assert w.cmd("MAIL FROM:<>").code == 250, "null sender (bounces) refused"
        r = w.cmd("RCPT TO:<x@example.com>")
        assert (r.code, r.enhanced) == (554, "5.7.1"), "inbound relay to a foreign domain: %s" % r
        r = w.cmd("RCPT TO:<b+1@bounce.example.org>")
        assert r.code == 250, r
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "Delivery Status Notification"}, "dsn") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    e = srv.queued(r.queue_id)
    assert e["sender"] == "" and e["recipients"] == ["b+1@bounce.example.org"], e
