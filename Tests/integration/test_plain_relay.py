"""Plain relay from a trusted network (loopback): banner, EHLO extensions,
HELO fallback, command order, RSET/NOOP/VRFY/QUIT, a message accepted with
smtplib and with swaks and visible in the queue."""
import datetime
import uuid

from petrel_harness import HOSTNAME, queue_id_of, send_smtplib, swaks
from smtpwire import message

EXTENSIONS = ["PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "STARTTLS", "CHUNKING", "DSN"]


def test_banner_and_ehlo_extensions(petrel):
    with petrel.wire("relay") as w:
        b = w.banner()
        assert b.code == 220, b
        assert "ESMTP" in b.lines[0], b
        r = w.ehlo()
        assert r.code == 250, r
        kw = r.keywords
        for ext in EXTENSIONS:
            assert ext in kw, "EHLO does not advertise %s: %s" % (ext, r)
        assert kw["SIZE"].isdigit() and int(kw["SIZE"]) > 0, r
        # relay listener without allow_plaintext_auth: no AUTH before TLS
        assert "AUTH" not in kw, "AUTH offered in plaintext: %s" % r
        assert w.cmd("QUIT").code == 221


def test_smtplib_relay_to_any_domain_from_trusted_network(petrel):
    mid = "<%s@client.petrel.test>" % uuid.uuid4()
    msg = message({"From": "app@example.net", "To": "user@example.com", "Subject": "plain relay",
                   "Message-ID": mid, "Date": "Tue, 25 Nov 2025 10:00:00 +0000"}, "hello\n")
    with petrel.smtp("relay") as s:
        s.ehlo()
        code, text = send_smtplib(s, "app@example.net", ["user@example.com", "other@example.org"], msg)
    assert code == 250, text
    assert text.startswith("2.0.0"), "DATA reply without enhanced code 2.0.0: %r" % text
    qid = queue_id_of(text)
    e = petrel.queued(qid)
    assert e["sender"] == "app@example.net"
    assert sorted(e["recipients"]) == ["other@example.org", "user@example.com"]
    assert isinstance(e["size"], int) and e["size"] >= len(msg), e
    assert e["message_id"].strip("<>") == mid.strip("<>"), e
    datetime.datetime.fromisoformat(e["arrival"].replace("Z", "+00:00"))
    shown = petrel.queue_show(qid)
    assert "Received:" in shown, "no Received header in queue show:\n" + shown
    assert HOSTNAME in shown
    assert "Subject: plain relay" in shown


def test_swaks_relay(petrel):
    host, port = petrel.addr("relay")
    r = swaks("--server", "%s:%d" % (host, port), "--ehlo", "swaks.petrel.test",
              "--from", "swaks@example.net", "--to", "someone@example.com",
              "--header", "Subject: via swaks", "--body", "swaks body")
    assert r.returncode == 0, r.stdout + r.stderr
    qid = queue_id_of(r.stdout)
    e = petrel.queued(qid)
    assert e["sender"] == "swaks@example.net"
    assert e["recipients"] == ["someone@example.com"]


def test_helo_fallback(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        r = w.cmd("HELO old.client.test")
        assert r.code == 250, r
        assert w.cmd("MAIL FROM:<helo@example.net>").code == 250
        assert w.cmd("RCPT TO:<x@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "helo"}, "body") + b".\r\n")
        r = w.reply()
        assert r.code == 250, r
        assert r.queue_id, r
        assert w.cmd("QUIT").code == 221


def test_command_order_is_enforced(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert (r.code, r.enhanced) == (503, "5.5.1"), "MAIL before EHLO: %s" % r
        w.ehlo()
        r = w.cmd("RCPT TO:<b@example.com>")
        assert (r.code, r.enhanced) == (503, "5.5.1"), "RCPT before MAIL: %s" % r
        r = w.cmd("DATA")
        assert (r.code, r.enhanced) == (503, "5.5.1"), "DATA before MAIL: %s" % r
        assert w.cmd("MAIL FROM:<a@example.net>").code == 250
        r = w.cmd("MAIL FROM:<a@example.net>")
        assert (r.code, r.enhanced) == (503, "5.5.1"), "nested MAIL: %s" % r
        r = w.cmd("DATA")
        # RFC 5321 §3.3: without an accepted RCPT, 503 or 554 "no valid recipients"
        assert r.code in (503, 554) and r.enhanced == "5.5.1", "DATA before RCPT: %s" % r


def test_rset_noop_vrfy_quit(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.cmd("NOOP")
        assert (r.code, r.enhanced) == (250, "2.0.0"), r
        assert w.cmd("MAIL FROM:<a@example.net>").code == 250
        assert w.cmd("RCPT TO:<b@example.com>").code == 250
        r = w.cmd("RSET")
        assert (r.code, r.enhanced) == (250, "2.0.0"), r
        # the transaction is gone: RCPT needs a new MAIL
        r = w.cmd("RCPT TO:<b@example.com>")
        assert r.code == 503, "RCPT after RSET: %s" % r
        r = w.cmd("VRFY postmaster")
        assert r.code == 252, r
        assert r.enhanced is not None and r.enhanced.startswith("2."), r
        r = w.cmd("QUIT")
        assert (r.code, r.enhanced) == (221, "2.0.0"), r
        assert w.is_closed(5), "connection still open after QUIT"


def test_unknown_command(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        r = w.cmd("FROB nicate")
        assert r.code in (500, 502), r
        assert r.enhanced is not None and r.enhanced.startswith("5.5."), r
        assert w.cmd("NOOP").code == 250


def test_ehlo_needs_a_domain(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        r = w.cmd("EHLO")
        assert r.code == 501, r
        assert w.ehlo().code == 250


def test_null_sender(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<>").code == 250
        assert w.cmd("RCPT TO:<x@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(message({"Subject": "bounce"}, "x") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    assert petrel.queued(r.queue_id)["sender"] == ""


def test_large_message_stored_exactly(petrel):
    """2 MB with dot-stuffed lines: stored byte for byte (dots unstuffed)."""
    lines = []
    for i in range(20000):
        lines.append(("." if i % 7 == 0 else "") + "line %06d " % i + "abcdefghij" * 9)
    body = "\r\n".join(lines) + "\r\n"
    msg = ("Subject: large\r\nMessage-ID: <large@client.petrel.test>\r\n\r\n" + body).encode()
    with petrel.smtp("relay") as s:
        s.ehlo()
        code, text = send_smtplib(s, "big@example.net", ["x@example.com"], msg)  # smtplib dot-stuffs
    assert code == 250, text
    qid = queue_id_of(text)
    raw = petrel.queue_raw(qid)
    assert raw.endswith(msg), "stored message differs (%d bytes stored, %d sent)" % (len(raw), len(msg))
