"""DSN (RFC 3461) parameters are advertised and accepted."""
from smtpwire import message


def test_dsn_parameters_accepted(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        assert "DSN" in w.ehlo().keywords
        r = w.cmd("MAIL FROM:<dsn@example.net> RET=HDRS ENVID=QQ314159")
        assert r.code == 250, r
        r = w.cmd("RCPT TO:<r@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;r@example.com")
        assert r.code == 250, r
        r = w.cmd("RCPT TO:<s@example.com> NOTIFY=NEVER")
        assert r.code == 250, r
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "dsn"}, "x") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    e = petrel.queued(r.queue_id)
    assert sorted(e["recipients"]) == ["r@example.com", "s@example.com"]


def test_bad_dsn_parameter_rejected(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.cmd("MAIL FROM:<dsn@example.net> RET=SOMETIMES")
        assert r.code == 501, r
        assert r.enhanced is not None and r.enhanced.startswith("5.5."), r
        assert w.cmd("MAIL FROM:<dsn@example.net>").code == 250
        r = w.cmd("RCPT TO:<r@example.com> NOTIFY=NEVER,SUCCESS")
        assert r.code == 501, r
