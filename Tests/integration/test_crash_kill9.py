"""Durability: 30 concurrent sessions inject up to 3,000 messages; the server
is killed with SIGKILL mid-load. After a restart every message that got a 250
is in the queue exactly once, and every queued message is complete."""
import hashlib
import random
import smtplib
import threading
import time

from petrel_harness import queue_id_of

SESSIONS = 30
PER_SESSION = 100
KILL_AFTER_ACKS = 1000
KILL_AFTER_SECONDS = 25


def build(seq: int) -> tuple[bytes, str]:
    mid = "<crash-%05d.%s@client.petrel.test>" % (seq, RUN)
    lines = ["seq %05d line %02d %s" % (seq, i, "x" * 40) for i in range(8)]
    lines.append("END-OF-BODY-%05d" % seq)
    body = "\r\n".join(lines) + "\r\n"
    digest = hashlib.sha256(body.encode()).hexdigest()
    head = ("From: load@example.net\r\nTo: sink%d@example.com\r\nSubject: crash test %d\r\n"
            "Message-ID: %s\r\nX-Seq: %05d\r\nX-Body-SHA256: %s\r\n\r\n" % (seq % 7, seq, mid, seq, digest))
    return (head + body).encode(), mid


RUN = "%08x" % random.getrandbits(32)


def test_kill9_loses_no_acknowledged_message(petrel_factory):
    srv = petrel_factory(spool={"fsync": True}, log_level="warning")
    host, port = srv.addr("relay")
    acked: dict[int, str] = {}  # seq -> queue id
    sent: dict[int, tuple[bytes, str]] = {}
    lock = threading.Lock()
    errors: list[str] = []
    stop = threading.Event()

    def session(n: int):
        try:
            s = smtplib.SMTP(host, port, local_hostname="load%d.petrel.test" % n, timeout=30)
            s.ehlo()
        except Exception as e:
            errors.append("connect %d: %r" % (n, e))
            return
        try:
            for i in range(PER_SESSION):
                if stop.is_set():
                    break
                seq = n * PER_SESSION + i
                msg, mid = build(seq)
                with lock:
                    sent[seq] = (msg, mid)
                code, _ = s.mail("load@example.net")
                if code != 250:
                    errors.append("MAIL %d" % code)
                    break
                code, _ = s.rcpt("sink%d@example.com" % (seq % 7))
                if code != 250:
                    errors.append("RCPT %d" % code)
                    break
                code, resp = s.data(msg)
                if code != 250:
                    errors.append("DATA %d %r" % (code, resp))
                    break
                with lock:
                    acked[seq] = queue_id_of(resp.decode())
        except (smtplib.SMTPException, OSError):
            pass  # the kill
        finally:
            try:
                s.close()
            except Exception:
                pass

    threads = [threading.Thread(target=session, args=(n,), daemon=True) for n in range(SESSIONS)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    while True:
        with lock:
            n_acked = len(acked)
        if n_acked >= KILL_AFTER_ACKS or time.monotonic() - t0 > KILL_AFTER_SECONDS:
            break
        if not any(t.is_alive() for t in threads):
            break
        time.sleep(0.005)
    still_loading = any(t.is_alive() for t in threads)
    kill_at = time.monotonic() - t0
    srv.kill9()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not errors, "errors before the kill: %s" % errors[:5]
    assert still_loading, "all sessions had finished before the kill; the test proves nothing"
    assert len(acked) > 0, "no message acknowledged before the kill"
    with lock:
        acked_snapshot = dict(acked)

    srv.start()
    entries = srv.queue_list()
    print("crash test: %d sent, %d acknowledged before kill -9 at %.1fs, %d queued after restart"
          % (len(sent), len(acked_snapshot), kill_at, len(entries)))
    by_id: dict[str, list[dict]] = {}
    for e in entries:
        by_id.setdefault(e["id"], []).append(e)
    missing = [(seq, qid) for seq, qid in acked_snapshot.items() if qid not in by_id]
    assert not missing, "%d acknowledged messages lost after kill -9, e.g. %s" % (len(missing), missing[:5])
    dup_ids = [qid for qid, es in by_id.items() if len(es) > 1]
    assert not dup_ids, "queue ids listed more than once: %s" % dup_ids[:5]

    mids = {mid.strip("<>"): seq for seq, (_, mid) in sent.items()}
    seen_mid: dict[str, str] = {}
    for e in entries:
        m = (e.get("message_id") or "").strip("<>")
        assert m in mids, "queued message %s has an unknown or missing Message-ID %r" % (e["id"], m)
        assert m not in seen_mid, "message %s queued twice: %s and %s" % (m, seen_mid[m], e["id"])
        seen_mid[m] = e["id"]
        seq = mids[m]
        if seq in acked_snapshot:
            assert acked_snapshot[seq] == e["id"], "seq %d acked as %s but queued as %s" % (seq, acked_snapshot[seq], e["id"])
        msg, _ = sent[seq]
        assert e["size"] >= len(msg), "message %s (seq %d) truncated: size %d < %d" % (e["id"], seq, e["size"], len(msg))
        assert e["sender"] == "load@example.net" and e["recipients"] == ["sink%d@example.com" % (seq % 7)], e

    # Full check of the messages most at risk -- the newest of every session
    # (in flight at the kill) -- and of a random sample of the rest.
    newest = {}
    for e in entries:
        seq = mids[e["message_id"].strip("<>")]
        n = seq // PER_SESSION
        newest.setdefault(n, []).append(seq)
    check = set()
    for seqs in newest.values():
        check.update(sorted(seqs)[-2:])
    rest = [mids[e["message_id"].strip("<>")] for e in entries]
    check.update(random.sample(rest, min(60, len(rest))))
    for seq in sorted(check):
        qid = seen_mid[sent[seq][1].strip("<>")]
        msg = sent[seq][0]
        shown = srv.queue_show(qid)
        head = msg.decode().split("\r\n\r\n", 1)[0]
        for line in head.split("\r\n"):
            assert line in shown, "queue show %s (seq %d) lacks header %r:\n%s" % (qid, seq, line, shown)
        raw = srv.queue_raw(qid)
        assert raw.endswith(msg), "stored message %s (seq %d) differs from what was sent (%d bytes stored, " \
            "%d sent); tail: %r" % (qid, seq, len(raw), len(msg), raw[-120:])
        assert raw.count(b"X-Seq:") == 1, raw[:400]
