"""STARTTLS (RFC 3207): handshake, state reset, no plaintext injection
(CVE-2011-0411), AUTH only after TLS, smtplib and swaks."""
import ssl

from petrel_harness import queue_id_of, send_smtplib, swaks
from smtpwire import message


def test_starttls_resets_state_and_hides_starttls(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.starttls()
        assert (r.code, r.enhanced) == (220, "2.0.0"), r
        # RFC 3207 §4.2: the client must say EHLO again; the session is reset
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert (r.code, r.enhanced) == (503, "5.5.1"), "MAIL after STARTTLS without EHLO: %s" % r
        r = w.ehlo()
        assert r.code == 250, r
        kw = r.keywords
        assert "STARTTLS" not in kw, "STARTTLS offered again inside TLS: %s" % r
        assert "AUTH" in kw, "AUTH not offered after TLS: %s" % r
        mechs = kw["AUTH"].upper().split()
        assert "PLAIN" in mechs and "LOGIN" in mechs, r
        assert w.cmd("MAIL FROM:<a@example.net>").code == 250


def test_transaction_before_starttls_is_discarded(petrel):
    """STARTTLS inside a transaction is either refused (503 5.5.1, as
    Postfix does) or accepted with the transaction discarded."""
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<a@example.net>").code == 250
        r = w.starttls()
        if r.code == 503:
            assert r.enhanced == "5.5.1", r
            assert w.cmd("RSET").code == 250
            assert w.starttls().code == 220
            w.ehlo()
            r = w.cmd("RCPT TO:<b@example.com>")
            assert r.code == 503, "RCPT inside TLS without MAIL: %s" % r
            return
        assert r.code == 220, r
        w.ehlo()
        r = w.cmd("RCPT TO:<b@example.com>")
        assert r.code == 503, "RCPT inside TLS continued the plaintext transaction: %s" % r


def test_pipelined_plaintext_after_starttls_is_discarded(petrel):
    """CVE-2011-0411: commands sent in the same packet as STARTTLS must not be
    executed inside the TLS session."""
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        w.send(b"STARTTLS\r\nNOOP\r\nMAIL FROM:<injected@evil.test>\r\n")
        r = w.reply()
        assert r.code == 220, r
        # anything the server answered in plaintext after 220 would be an
        # answer to the injected commands
        assert w.buf == b"", "server answered injected plaintext commands: %r" % w.buf
        w.starttls_handshake()
        r = w.ehlo()
        assert r.code == 250 and "PIPELINING" in r.keywords, \
            "first reply inside TLS is not the EHLO reply (injected command executed?): %s" % r
        # and no transaction was opened by the injected MAIL
        r = w.cmd("RCPT TO:<b@example.com>")
        assert r.code == 503, "injected MAIL FROM was executed: %s" % r


def test_second_starttls_refused(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.starttls().code == 220
        w.ehlo()
        r = w.cmd("STARTTLS")
        assert r.code in (503, 454, 502), r
        assert w.cmd("NOOP").code == 250


def test_smtplib_starttls_send(petrel):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with petrel.smtp("relay") as s:
        s.ehlo()
        s.starttls(context=ctx)
        s.ehlo()
        code, text = send_smtplib(s, "tls@example.net", ["x@example.com"],
                                  message({"Subject": "over tls"}, "secret"))
    assert code == 250, text
    qid = queue_id_of(text)
    shown = petrel.queue_show(qid)
    assert "Subject: over tls" in shown


def test_swaks_starttls(petrel):
    host, port = petrel.addr("relay")
    r = swaks("--server", "%s:%d" % (host, port), "--tls", "--from", "t@example.net",
              "--to", "u@example.com", "--header", "Subject: swaks tls")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "TLS started" in r.stdout or "STARTTLS" in r.stdout, r.stdout
    queue_id_of(r.stdout)
