"""CHUNKING / BDAT (RFC 3030)."""
from smtpwire import message


def start(w):
    w.banner()
    assert "CHUNKING" in w.ehlo().keywords
    assert w.cmd("MAIL FROM:<b@example.net>").code == 250
    assert w.cmd("RCPT TO:<r@example.com>").code == 250


def test_bdat_chunks(petrel):
    msg = message({"Subject": "bdat", "X-Test": "chunked"}, "line one\nline two\n")
    a, b = msg[:30], msg[30:]
    with petrel.wire("relay") as w:
        start(w)
        w.send(b"BDAT %d\r\n" % len(a) + a)
        r = w.reply()
        assert (r.code, r.enhanced) == (250, "2.0.0"), r
        w.send(b"BDAT %d LAST\r\n" % len(b) + b)
        r = w.reply()
        assert (r.code, r.enhanced) == (250, "2.0.0"), r
        assert r.queue_id, r
    shown = petrel.queue_show(r.queue_id)
    assert "X-Test: chunked" in shown, shown
    assert petrel.queue_raw(r.queue_id).endswith(msg), "chunks not joined exactly"


def test_bdat_pipelined_and_zero_last(petrel):
    msg = message({"Subject": "bdat pipelined"}, "payload")
    with petrel.wire("relay") as w:
        start(w)
        w.send(b"BDAT %d\r\n" % len(msg) + msg + b"BDAT 0 LAST\r\n")
        r1, r2 = w.replies(2)
        assert r1.code == 250, r1
        assert r2.code == 250 and r2.queue_id, r2


def test_bdat_data_is_binary_safe(petrel):
    """CRLF.CRLF inside a BDAT chunk is data, not the end of the message."""
    body = b"Subject: dot\r\n\r\nbefore\r\n.\r\nMAIL FROM:<smuggled@evil.test>\r\nafter\r\n"
    with petrel.wire("relay") as w:
        start(w)
        w.send(b"BDAT %d LAST\r\n" % len(body) + body)
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
        assert w.cmd("NOOP").code == 250, "session out of sync after BDAT"
    e = petrel.queued(r.queue_id)
    assert e["size"] >= len(body), e
    raw = petrel.queue_raw(r.queue_id)
    assert raw.endswith(body), "BDAT content altered: %r" % raw[-120:]
    assert all(x["sender"] != "smuggled@evil.test" for x in petrel.queue_list())


def test_bdat_needs_recipient(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<b@example.net>").code == 250
        w.send(b"BDAT 5 LAST\r\nhello")
        r = w.reply()
        assert r.code in (503, 554), r
        # the 5 octets were consumed as chunk data, not as a command
        assert w.cmd("NOOP").code == 250


def test_data_after_bdat_refused(petrel):
    with petrel.wire("relay") as w:
        start(w)
        w.send(b"BDAT 5\r\nhello")
        assert w.reply().code == 250
        r = w.cmd("DATA")
        assert r.code == 503, "DATA mixed with BDAT in one transaction: %s" % r


def test_bdat_over_size_limit(petrel_factory):
    srv = petrel_factory(limits={"max_message_size": 20000})
    with srv.wire("relay") as w:
        start(w)
        chunk = b"x" * 15000
        w.send(b"BDAT %d\r\n" % len(chunk) + chunk)
        assert w.reply().code == 250
        w.send(b"BDAT %d LAST\r\n" % len(chunk) + chunk)
        r = w.reply()
        assert (r.code, r.enhanced) == (552, "5.3.4"), r
        assert w.cmd("RSET").code == 250
    assert srv.queue_list() == []
