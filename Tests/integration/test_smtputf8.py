"""SMTPUTF8 (RFC 6531) and 8BITMIME (RFC 6152)."""
from petrel_harness import queue_id_of, send_smtplib

SENDER = "用户@例子.测试"
RCPT = "δοκιμή@παράδειγμα.δοκιμή"


def test_utf8_envelope_and_headers(petrel):
    msg = ("From: %s\r\nTo: %s\r\nSubject: Grüße, 你好\r\n\r\nZażółć gęślą jaźń\r\n" % (SENDER, RCPT)).encode()
    with petrel.wire("relay") as w:
        w.banner()
        kw = w.ehlo().keywords
        assert "SMTPUTF8" in kw and "8BITMIME" in kw
        r = w.cmd("MAIL FROM:<%s> SMTPUTF8 BODY=8BITMIME" % SENDER)
        assert r.code == 250, r
        assert w.cmd("RCPT TO:<%s>" % RCPT).code == 250
        assert w.cmd("DATA").code == 354
        w.send(msg + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    e = petrel.queued(r.queue_id)
    assert e["sender"] == SENDER, e
    assert e["recipients"] == [RCPT], e
    shown = petrel.queue_show(r.queue_id)
    assert "Grüße, 你好" in shown, shown
    assert petrel.queue_raw(r.queue_id).endswith(msg), "8-bit message altered"


def test_utf8_address_without_smtputf8_rejected(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.cmd("MAIL FROM:<%s>" % SENDER)
        assert (r.code, r.enhanced) == (553, "5.6.7"), r
        assert w.cmd("MAIL FROM:<ascii@example.net>").code == 250
        r = w.cmd("RCPT TO:<%s>" % RCPT)
        assert (r.code, r.enhanced) == (553, "5.6.7"), r


def test_8bitmime_with_smtplib(petrel):
    body = "Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n" \
           "Content-Transfer-Encoding: 8bit\r\n\r\nnaïve café\r\n"
    with petrel.smtp("relay") as s:
        s.ehlo()
        assert s.has_extn("8bitmime")
        code, text = send_smtplib(s, "e@example.net", ["f@example.com"], body.encode("utf-8"),
                                  mail_options=["BODY=8BITMIME"])
    assert code == 250, text
    queue_id_of(text)


def test_smtputf8_with_smtplib(petrel):
    with petrel.smtp("relay") as s:
        s.ehlo()
        assert s.has_extn("smtputf8")
        msg = ("Subject: utf8\r\nFrom: %s\r\n\r\nbody\r\n" % SENDER).encode()
        code, text = send_smtplib(s, SENDER, [RCPT], msg, mail_options=["SMTPUTF8"])
    assert code == 250, text
    assert petrel.queued(queue_id_of(text))["sender"] == SENDER
