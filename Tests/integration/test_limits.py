"""Limits (RFC 5321 §4.5.3): command line 512, text line 1000, message size
(declared and actual), recipients, connections per IP and in total, idle
timeout, errors before disconnect."""
import time

import pytest

from smtpwire import ConnectionClosed, message

MAX_SIZE = 100000


@pytest.fixture
def limited(petrel_factory):
    return petrel_factory(limits={"max_message_size": MAX_SIZE, "max_recipients": 100, "max_errors": 20})


def test_command_line_length(limited):
    with limited.wire("relay") as w:
        w.banner()
        w.ehlo()
        ok = b"NOOP " + b"a" * (512 - 5 - 2) + b"\r\n"
        assert len(ok) == 512
        w.send(ok)
        r = w.reply()
        assert r.code == 250, "512-octet command line refused: %s" % r
        # 600 octets, with something that looks like a command in the tail:
        # exactly one error reply, and the tail is not executed
        long = b"NOOP " + b"a" * 580 + b"MAIL FROM:<tail@evil.test>\r\n"
        w.send(long + b"RSET\r\n")
        r = w.reply()
        assert r.code == 500, "over-long command line: %s" % r
        assert r.enhanced is not None and r.enhanced.startswith("5."), r
        r = w.reply()
        assert r.code == 250, "RSET after the long line: %s" % r
        r = w.cmd("RCPT TO:<x@example.com>")
        assert r.code == 503, "tail of the long line was executed as MAIL: %s" % r


def test_text_line_length(limited):
    with limited.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<l@example.net>").code == 250
        assert w.cmd("RCPT TO:<r@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(b"Subject: ok\r\n\r\n" + b"x" * 998 + b"\r\n.\r\n")
        r = w.reply()
        assert r.code == 250, "998+CRLF text line refused: %s" % r
        assert w.cmd("MAIL FROM:<l@example.net>").code == 250
        assert w.cmd("RCPT TO:<r@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(b"Subject: long\r\n\r\n" + b"y" * 1500 + b"\r\n.\r\n")
        r = w.reply()
        assert 500 <= r.code < 600, "1502-octet text line accepted: %s" % r
        assert w.cmd("NOOP").code == 250, "session out of sync after the long text line"
    senders = [e for e in limited.queue_list() if e["sender"] == "l@example.net"]
    assert len(senders) == 1, senders


def test_declared_size(limited):
    with limited.wire("relay") as w:
        w.banner()
        kw = w.ehlo().keywords
        assert kw.get("SIZE") == str(MAX_SIZE), "SIZE advertised %r, configured %d" % (kw.get("SIZE"), MAX_SIZE)
        r = w.cmd("MAIL FROM:<s@example.net> SIZE=%d" % (MAX_SIZE + 1))
        assert (r.code, r.enhanced) == (552, "5.3.4"), r
        r = w.cmd("MAIL FROM:<s@example.net> SIZE=%d" % MAX_SIZE)
        assert r.code == 250, r


def test_actual_size(limited):
    with limited.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<big@example.net>").code == 250
        assert w.cmd("RCPT TO:<r@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        line = b"z" * 98 + b"\r\n"
        w.send(b"Subject: big\r\n\r\n" + line * (MAX_SIZE // 100 + 50) + b".\r\n")
        r = w.reply()
        assert (r.code, r.enhanced) == (552, "5.3.4"), r
        assert w.cmd("RSET").code == 250
    assert [e for e in limited.queue_list() if e["sender"] == "big@example.net"] == []


def test_recipient_limit(limited):
    with limited.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<many@example.net>").code == 250
        w.send(b"".join(b"RCPT TO:<r%d@example.com>\r\n" % i for i in range(101)))
        rs = w.replies(101)
        assert all(r.code == 250 for r in rs[:100]), [str(r) for r in rs[:100] if r.code != 250][:3]
        assert (rs[100].code, rs[100].enhanced) == (452, "4.5.3"), rs[100]
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "100 rcpts"}, "x") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    assert len(limited.queued(r.queue_id)["recipients"]) == 100


def _open(srv, source=None):
    w = srv.wire("relay", source=source)
    return w, w.banner()


def test_connections_per_ip(petrel_factory):
    srv = petrel_factory(limits={"max_connections_per_ip": 5, "max_connections": 50})
    conns = []
    try:
        for _ in range(5):
            w, b = _open(srv)
            conns.append(w)
            assert b.code == 220, b
        w, b = _open(srv)
        conns.append(w)
        assert b.code == 421, "6th connection from one IP (max 5): %s" % b
        assert w.is_closed(5)
        # another address is not affected
        w, b = _open(srv, source="127.0.0.2")
        conns.append(w)
        assert b.code == 220, b
        # closing one frees a slot
        conns[0].cmd("QUIT")
        conns[0].close()
        time.sleep(0.5)
        w, b = _open(srv)
        conns.append(w)
        assert b.code == 220, "slot not freed after QUIT: %s" % b
    finally:
        for c in conns:
            c.close()


def test_total_connections(petrel_factory):
    srv = petrel_factory(limits={"max_connections_per_ip": 5, "max_connections": 8})
    conns = []
    try:
        for src, n in (("127.0.0.1", 5), ("127.0.0.2", 3)):
            for _ in range(n):
                w, b = _open(srv, source=src)
                conns.append(w)
                assert b.code == 220, b
        w, b = _open(srv, source="127.0.0.3")
        conns.append(w)
        assert b.code == 421, "9th connection (max_connections 8): %s" % b
    finally:
        for c in conns:
            c.close()


def test_errors_before_disconnect(petrel_factory):
    srv = petrel_factory(limits={"max_errors": 3})
    with srv.wire("relay") as w:
        w.banner()
        w.ehlo()
        codes = []
        for _ in range(5):
            try:
                r = w.cmd("BOGUS")
            except (ConnectionClosed, ConnectionResetError, BrokenPipeError):
                break
            codes.append(r.code)
            if r.code == 421:
                break
            if len(codes) == 3:
                extra = w.replies_until_close(1.0)
                codes += [x.code for x in extra]
                if 421 in codes:
                    break
        assert 421 in codes, "no 421 after repeated errors (max_errors 3): %s" % codes
        assert codes.index(421) <= 3, codes
        assert w.is_closed(5)


def test_idle_timeout(petrel_factory):
    srv = petrel_factory(limits={"command_timeout": "2s"})
    with srv.wire("relay", timeout=15) as w:
        w.banner()
        w.ehlo()
        t0 = time.monotonic()
        rs = w.replies_until_close(12)
        took = time.monotonic() - t0
        assert rs and rs[0].code == 421, "idle session: %s" % [str(r) for r in rs]
        assert rs[0].enhanced is not None and rs[0].enhanced.startswith("4."), rs[0]
        assert 1.5 <= took <= 8, "closed after %.1fs with command_timeout 2s" % took
