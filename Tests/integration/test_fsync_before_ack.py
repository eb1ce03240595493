"""Durability seen from the system calls: between the moment the server reads
the end of a message from the socket and the moment it writes the "250 ...
queued as" reply, it has completed an fsync/fdatasync of a file under its
data directory. Observed with strace; one message at a time, so nothing is
ambiguous."""
import re
import shutil

import pytest

from smtpwire import message

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed (scripts/setup.sh)")

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")
DURATION = re.compile(r"<(\d+\.\d+)>\s*$")
MESSAGES = 5


def parse(path):
    """Yield (pid, start, end, syscall, text) for every completed call."""
    pending = {}
    for raw in open(path, errors="replace"):
        m = LINE.match(raw.rstrip("\n"))
        if not m:
            continue
        pid, ts, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        if rest.endswith("<unfinished ...>"):
            name = rest.split("(", 1)[0]
            pending[(pid, name)] = (ts, rest[: -len("<unfinished ...>")])
            continue
        r = re.match(r"<\.\.\. (\w+) resumed>(.*)$", rest)
        if r:
            name = r.group(1)
            start, head = pending.pop((pid, name), (ts, name + "("))
            d = DURATION.search(rest)
            yield pid, start, ts, name, head + r.group(2)
            continue
        name = rest.split("(", 1)[0]
        d = DURATION.search(rest)
        yield pid, ts, ts + (float(d.group(1)) if d else 0.0), name, rest


def test_fsync_completes_before_each_250(petrel_factory, tmp_path):
    trace = tmp_path / "strace.out"
    wrapper = ["strace", "-f", "-ttt", "-T", "-y", "-s", "96", "-o", str(trace),
               "-e", "trace=read,readv,recvfrom,recvmsg,write,writev,sendto,sendmsg,fsync,fdatasync"]
    srv = petrel_factory(wrapper=wrapper, spool={"fsync": True}, log_level="warning")
    data_dir = str(srv.data_dir)
    ids = []
    with srv.wire("relay", timeout=30) as w:
        w.banner()
        w.ehlo()
        for i in range(MESSAGES):
            assert w.cmd("MAIL FROM:<fsync@example.net>").code == 250
            assert w.cmd("RCPT TO:<r%d@example.com>" % i).code == 250
            assert w.cmd("DATA").code == 354
            w.send(message({"Subject": "fsync %d" % i}, "body %d" % i) + b".\r\n")
            r = w.reply()
            assert r.code == 250 and r.queue_id, r
            ids.append(r.queue_id)
        w.cmd("QUIT")
    srv.stop()

    calls = list(parse(trace))
    syncs = [(s, e, t) for _, s, e, n, t in calls if n in ("fsync", "fdatasync") and data_dir in t]
    ends = [e for _, s, e, n, t in calls
            if n in ("read", "readv", "recvfrom", "recvmsg") and "\\r\\n.\\r\\n" in t]
    acks = {}
    for _, s, e, n, t in calls:
        if n in ("write", "writev", "sendto", "sendmsg") and "queued as" in t:
            for qid in ids:
                if qid in t:
                    acks.setdefault(qid, s)
    assert len(acks) == MESSAGES, "found %d of %d '250 queued as' writes in the trace" % (len(acks), MESSAGES)
    assert syncs, "no fsync/fdatasync on files under %s at all" % data_dir
    for qid in ids:
        t_ack = acks[qid]
        t_end = max((e for e in ends if e <= t_ack), default=None)
        assert t_end is not None, "no read of the end of data before the 250 for %s" % qid
        ok = [x for x in syncs if x[0] >= t_end and x[1] <= t_ack]
        assert ok, ("no fsync/fdatasync completed between the end of data (%.6f) and the 250 for %s (%.6f)"
                    % (t_end, qid, t_ack))
