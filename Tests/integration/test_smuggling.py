"""SMTP smuggling: DATA ends only at CRLF.CRLF. A bare LF or bare CR in DATA
is rejected with 5xx and never ends the message, so a smuggled second
transaction inside the body is never seen as one."""
import pytest

SMUGGLED = (b"MAIL FROM:<smuggled@evil.test>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            b"From: ceo@example.net\r\nSubject: smuggled\r\n\r\nsmuggled body\r\n")

# (name, fake end-of-data sequence)
VARIANTS = [
    ("LF.LF", b"\n.\n"),
    ("CRLF.LF", b"\r\n.\n"),
    ("LF.CRLF", b"\n.\r\n"),
    ("CR.CR", b"\r.\r"),
    ("CRLF.CR", b"\r\n.\r"),
    ("CR.CRLF", b"\r.\r\n"),
]


@pytest.mark.parametrize("name,fake_end", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_no_second_message(petrel, name, fake_end):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<sender@example.net>").code == 250
        assert w.cmd("RCPT TO:<rcpt@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(b"From: sender@example.net\r\nSubject: carrier\r\n\r\nhello" + fake_end + SMUGGLED + b"\r\n.\r\n")
        try:
            w.send(b"QUIT\r\n")
        except OSError:
            pass
        rs = w.replies_until_close(10)
    codes = [r.code for r in rs]
    assert codes, "no reply at all to the message"
    assert 500 <= codes[0] < 600, "message with a bare LF/CR (%s) was not rejected: %s" % (name, [str(r) for r in rs])
    # nothing but the rejection and the QUIT reply: no 250 to a smuggled MAIL,
    # RCPT or end of data, no 354 to a smuggled DATA
    assert all(c in (221,) for c in codes[1:]), \
        "server answered smuggled commands (%s): %s" % (name, [str(r) for r in rs])
    senders = [e["sender"] for e in petrel.queue_list()]
    assert "smuggled@evil.test" not in senders, "smuggled message queued (%s)" % name
    assert "sender@example.net" not in senders, "message with bare LF/CR queued (%s)" % name


def test_dot_stuffing_is_not_an_end(petrel):
    """A stuffed line '..' is data; CRLF.CRLF after it ends the message."""
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<dots@example.net>").code == 250
        assert w.cmd("RCPT TO:<rcpt@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(b"Subject: dots\r\n\r\n..\r\n..MAIL FROM:<x@evil.test>\r\n.\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
        assert w.cmd("NOOP").code == 250
    assert [e["sender"] for e in petrel.queue_list()] == ["dots@example.net"]
    raw = petrel.queue_raw(r.queue_id)
    assert raw.endswith(b"Subject: dots\r\n\r\n.\r\n.MAIL FROM:<x@evil.test>\r\n"), \
        "dot-stuffing not undone exactly once: %r" % raw[-80:]
