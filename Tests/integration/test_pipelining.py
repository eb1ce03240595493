"""PIPELINING (RFC 2920): a whole transaction in one write, replies in order,
one failing RCPT in the middle, many transactions on one connection."""
import uuid

from petrel_harness import queue_id_of, swaks

from smtpwire import message


def test_transaction_in_one_write(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        assert "PIPELINING" in w.ehlo().keywords
        w.send(b"MAIL FROM:<p@example.net>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n"
               b"RCPT TO:<c@example.com>\r\nDATA\r\n")
        rs = w.replies(5)
        assert [r.code for r in rs] == [250, 250, 250, 250, 354], [str(r) for r in rs]
        w.send(message({"Subject": "pipelined"}, "one write") + b".\r\nQUIT\r\n")
        r, q = w.replies(2)
        assert r.code == 250 and r.queue_id, r
        assert q.code == 221, q
    e = petrel.queued(r.queue_id)
    assert sorted(e["recipients"]) == ["a@example.com", "b@example.com", "c@example.com"]


def test_bad_recipient_in_the_middle(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        w.send(b"MAIL FROM:<p@example.net>\r\nRCPT TO:<a@example.com>\r\nRCPT TO:<not an address>\r\n"
               b"RCPT TO:<c@example.com>\r\nDATA\r\n")
        rs = w.replies(5)
        assert [r.code for r in rs] == [250, 250, 501, 250, 354], [str(r) for r in rs]
        assert rs[2].enhanced is not None and rs[2].enhanced.startswith("5."), rs[2]
        w.send(message({"Subject": "partial"}, "x") + b".\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, r
    e = petrel.queued(r.queue_id)
    assert sorted(e["recipients"]) == ["a@example.com", "c@example.com"]


def test_data_without_valid_recipient_is_refused_in_pipeline(petrel):
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        w.send(b"MAIL FROM:<p@example.net>\r\nRCPT TO:<bad address>\r\nDATA\r\n")
        rs = w.replies(3)
        assert [r.code for r in rs] == [250, 501, 554] or [r.code for r in rs] == [250, 501, 503], \
            [str(r) for r in rs]
        # the session is still in sync
        assert w.cmd("RSET").code == 250
        assert w.cmd("NOOP").code == 250


def test_many_transactions_one_connection(petrel):
    ids = []
    with petrel.wire("relay") as w:
        w.banner()
        w.ehlo()
        for i in range(25):
            w.send(b"MAIL FROM:<p@example.net>\r\nRCPT TO:<n%d@example.com>\r\nDATA\r\n" % i)
            rs = w.replies(3)
            assert [r.code for r in rs] == [250, 250, 354], [str(r) for r in rs]
            w.send(message({"Subject": "n%d" % i, "Message-ID": "<%s@t>" % uuid.uuid4()}, "x") + b".\r\n")
            r = w.reply()
            assert r.code == 250 and r.queue_id, r
            ids.append(r.queue_id)
        assert w.cmd("QUIT").code == 221
    assert len(set(ids)) == 25, "queue ids not unique: %s" % ids
    listed = {e["id"] for e in petrel.queue_list()}
    assert set(ids) <= listed


def test_swaks_pipeline(petrel):
    host, port = petrel.addr("relay")
    r = swaks("--server", "%s:%d" % (host, port), "--pipeline", "--from", "p@example.net",
              "--to", "a@example.com,b@example.com", "--header", "Subject: swaks pipeline")
    assert r.returncode == 0, r.stdout + r.stderr
    qid = queue_id_of(r.stdout)
    assert sorted(petrel.queued(qid)["recipients"]) == ["a@example.com", "b@example.com"]
