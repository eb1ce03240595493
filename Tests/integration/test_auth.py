"""SMTP AUTH (RFC 4954) with PLAIN and LOGIN: offered only after STARTTLS
unless the listener allows plaintext, MAIL needs AUTH on submission, bad
credentials, 421 after too many failures, smtplib and swaks."""
import base64

from petrel_harness import PASSWORD, USER, queue_id_of, send_smtplib, swaks
from smtpwire import auth_plain, message


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def test_submission_offers_no_auth_before_tls(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        kw = w.ehlo().keywords
        assert "AUTH" not in kw, "AUTH offered before TLS on a listener without allow_plaintext_auth"
        assert "STARTTLS" in kw
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, PASSWORD))
        assert r.code in (503, 530, 538), "AUTH before TLS: %s" % r
        assert r.enhanced is not None and r.enhanced.startswith("5."), r


def test_submission_requires_auth_for_mail(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert (r.code, r.enhanced) == (530, "5.7.0"), "MAIL without AUTH on submission: %s" % r


def test_auth_plain_after_starttls(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        assert w.starttls().code == 220
        kw = w.ehlo().keywords
        assert {"PLAIN", "LOGIN"} <= set(kw.get("AUTH", "").upper().split()), kw
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, PASSWORD))
        assert (r.code, r.enhanced) == (235, "2.7.0"), r
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, PASSWORD))
        assert r.code == 503, "second AUTH in one session: %s" % r
        assert w.cmd("MAIL FROM:<alice@example.net>").code == 250
        r = w.cmd("RCPT TO:<anyone@example.com>")
        assert r.code == 250, "authenticated user may relay anywhere: %s" % r


def test_auth_plain_initial_response_via_continuation(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        r = w.cmd("AUTH PLAIN")
        assert r.code == 334, r
        r = w.cmd(auth_plain(USER, PASSWORD))
        assert (r.code, r.enhanced) == (235, "2.7.0"), r


def test_auth_login_after_starttls(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        r = w.cmd("AUTH LOGIN")
        assert r.code == 334, r
        assert base64.b64decode(r.lines[0]).lower().startswith(b"username"), r
        r = w.cmd(b64(USER))
        assert r.code == 334, r
        assert base64.b64decode(r.lines[0]).lower().startswith(b"password"), r
        r = w.cmd(b64(PASSWORD))
        assert (r.code, r.enhanced) == (235, "2.7.0"), r


def test_bad_password(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        r = w.cmd("AUTH PLAIN " + auth_plain(USER, "wrong password"))
        assert (r.code, r.enhanced) == (535, "5.7.8"), r
        r = w.cmd("AUTH PLAIN " + auth_plain("mallory", PASSWORD))
        assert (r.code, r.enhanced) == (535, "5.7.8"), r
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert r.code == 530, "MAIL after failed AUTH: %s" % r


def test_auth_cancel_and_bad_base64(petrel):
    with petrel.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        assert w.cmd("AUTH LOGIN").code == 334
        r = w.cmd("*")
        assert r.code == 501, "AUTH cancelled with '*': %s" % r
        r = w.cmd("AUTH PLAIN !!!not-base64!!!")
        assert r.code == 501, r
        r = w.cmd("AUTH CRAM-FOO")
        assert r.code == 504, "unknown mechanism: %s" % r


def test_too_many_auth_failures_421(petrel_factory):
    srv = petrel_factory(limits={"max_auth_failures": 3})
    with srv.wire("submission") as w:
        w.banner()
        w.ehlo()
        w.starttls()
        w.ehlo()
        codes = []
        for _ in range(4):
            try:
                r = w.cmd("AUTH PLAIN " + auth_plain(USER, "nope"))
            except Exception:
                break
            codes.append(r.code)
            if r.code == 421:
                break
            if len(codes) == 3:
                # the third failure may be answered 535 and then the 421
                nxt = w.replies_until_close(2.0)
                codes += [x.code for x in nxt]
                if 421 in codes:
                    break
        assert codes[:2] == [535, 535], codes
        assert 421 in codes, "no 421 after %d failed AUTH attempts (max 3): %s" % (len(codes), codes)
        assert codes.count(535) <= 3, codes
        assert w.is_closed(5), "connection not closed after 421"


def test_plaintext_auth_listener_smtplib_and_headers(petrel):
    """allow_plaintext_auth: AUTH without TLS; submission adds Message-ID and
    Date when the message has none."""
    with petrel.smtp("submission_plain") as s:
        s.ehlo()
        assert s.has_extn("auth"), s.esmtp_features
        s.login(USER, PASSWORD)
        msg = message({"From": "alice@example.net", "To": "bob@example.com", "Subject": "no ids"}, "hi")
        code, text = send_smtplib(s, "alice@example.net", ["bob@example.com"], msg)
    assert code == 250, text
    qid = queue_id_of(text)
    shown = petrel.queue_show(qid)
    assert "Message-ID:" in shown or "Message-Id:" in shown, "submission did not add Message-ID:\n" + shown
    assert "\nDate:" in shown, "submission did not add Date:\n" + shown
    e = petrel.queued(qid)
    assert e["message_id"], e


def test_swaks_auth_plain_and_login_over_tls(petrel):
    host, port = petrel.addr("submission")
    for mech in ("PLAIN", "LOGIN"):
        r = swaks("--server", "%s:%d" % (host, port), "--tls", "--auth", mech,
                  "--auth-user", USER, "--auth-password", PASSWORD,
                  "--from", "alice@example.net", "--to", "bob@example.com",
                  "--header", "Subject: swaks auth " + mech)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "235" in r.stdout, r.stdout
        queue_id_of(r.stdout)


def test_swaks_bad_password_fails(petrel):
    host, port = petrel.addr("submission")
    r = swaks("--server", "%s:%d" % (host, port), "--tls", "--auth", "PLAIN",
              "--auth-user", USER, "--auth-password", "bad",
              "--from", "alice@example.net", "--to", "bob@example.com")
    assert r.returncode != 0, r.stdout
    assert "535 5.7.8" in r.stdout, r.stdout
