#!/usr/bin/env python3
"""Acceptance benchmark: Petrel vs Postfix on this machine, same run.

Measures how fast each MTA *accepts* mail durably (250 only after fsync), not
delivery: Postfix puts every message on hold, Petrel has no delivery agent
running in this set-up. For every (message size, sessions) pair:

  rate     messages / wall time of one `smtp-source` run (from start to exit;
           every message one connection, smtp-source's default) -- after
           checking that smtp-source exited 0 and that the MTA's queue grew by
           exactly the number of messages sent (plus the probe's);
  latency  p50 / p99 of end-of-DATA -> 250, measured by a probe client
           (Python, one extra session, messages of the same size sent back to
           back over one connection while smtp-source runs): the time from
           writing the final CRLF.CRLF to reading the 250 reply, i.e. the
           time the MTA needs to make the message durable and answer.

Everything runs inside private network, mount and PID namespaces (like
../shared/bench/run.py): a private loopback only, so no packet leaves the
machine and nothing collides with services on the host. Postfix is the
harness's peer (../shared/bench/peers/postfix.sh, MB_* variables) plus two
settings that turn it into an accept-only MTA (see postfix_accept_only()).

Needs root, smtp-source (Postfix), unshare, ip. Python 3 stdlib only.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
BENCH = os.path.abspath(os.environ.get("MB_BENCH_DIR", os.path.join(REPO, "..", "shared", "bench")))
STATE = os.environ.get("MTABENCH_STATE", "/var/lib/mtabench")
POSTFIX_ADDR = "127.0.1.1"
PETREL_ADDR = "127.0.1.10"
PORT = 25
SENDER = "loadgen@bench.test"
HELO = "loadgen.bench.test"


def log(msg):
    sys.stderr.write("bench: %s\n" % msg)
    sys.stderr.flush()


def parse_size(s):
    s = s.strip().lower()
    mult = 1
    if s.endswith("k"):
        mult, s = 1024, s[:-1]
    elif s.endswith("m"):
        mult, s = 1024 * 1024, s[:-1]
    return int(s) * mult


def parse_args(argv):
    p = argparse.ArgumentParser(description="Petrel vs Postfix acceptance benchmark")
    p.add_argument("--mta", default="postfix,petrel", help="comma list: postfix, petrel (default both)")
    p.add_argument("--sizes", default="4k,100k", help="message body sizes (default 4k,100k)")
    p.add_argument("--sessions", default="10,50", help="smtp-source sessions (default 10,50)")
    p.add_argument("--msgs", default="4k=10000,100k=4000",
                   help="messages per run for each size (default 4k=10000,100k=4000)")
    p.add_argument("--warmup", type=int, default=200, help="warm-up messages per run (default 200)")
    p.add_argument("--petrel-bin", default=os.path.join(REPO, ".build", "release", "petrel"))
    p.add_argument("--state", default=STATE, help="state directory on a real disk (default %s)" % STATE)
    p.add_argument("--results", help="append result lines (JSON) to this file")
    p.add_argument("--timeout", type=int, default=3600, help="limit for the whole benchmark, seconds")
    p.add_argument("--_inner", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    a.mtas = [m.strip() for m in a.mta.split(",") if m.strip()]
    for m in a.mtas:
        if m not in ("postfix", "petrel"):
            p.error("unknown MTA %r" % m)
    a.size_list = [s.strip() for s in a.sizes.split(",") if s.strip()]
    a.session_list = [int(x) for x in a.sessions.split(",") if x.strip()]
    a.msg_counts = {}
    for item in a.msgs.split(","):
        k, _, v = item.partition("=")
        a.msg_counts[k.strip().lower()] = int(v)
    return a


# ------------------------------------------------------------------ namespaces
def outer(argv, a):
    if os.geteuid() != 0:
        sys.exit("bench: must run as root (namespaces)")
    for tool in ("unshare", "ip", "smtp-source", "postfix", "postconf"):
        if shutil.which(tool) is None:
            sys.exit("bench: %s not found (scripts/setup.sh, ../shared/bench/setup-install.sh)" % tool)
    if not os.path.isfile(os.path.join(BENCH, "peers", "postfix.sh")):
        sys.exit("bench: no %s/peers/postfix.sh (the shared bench harness)" % BENCH)
    cmd = ["unshare", "--net", "--mount", "--uts", "--propagation", "private", "--pid", "--fork",
           "--kill-child", "--mount-proc", sys.executable, os.path.abspath(__file__), "--_inner"] + argv
    proc = subprocess.Popen(cmd)
    try:
        rc = proc.wait(timeout=a.timeout + 120)
    except subprocess.TimeoutExpired:
        log("hard timeout: killing the namespace")
        proc.kill()
        rc = 124
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait()
    sys.exit(rc if rc >= 0 else 128 - rc)


def setup_namespace(rundir):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for addr in (POSTFIX_ADDR, PETREL_ADDR):
        subprocess.run(["ip", "addr", "add", addr + "/32", "dev", "lo"], check=True)
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    names = [l.split(":")[1].strip().split("@")[0] for l in links.splitlines() if ":" in l]
    if names != ["lo"]:
        raise RuntimeError("unexpected interfaces in the namespace: %s" % names)
    socket.sethostname("bench.test")
    # no DNS server here: lookups fail at once instead of leaving the machine
    rc = os.path.join(rundir, "resolv.conf")
    with open(rc, "w") as f:
        f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    subprocess.run(["mount", "--bind", rc, "/etc/resolv.conf"], check=True)
    hosts = os.path.join(rundir, "hosts")
    with open(hosts, "w") as f:
        f.write("127.0.0.1 localhost loadgen.bench.test\n127.0.1.99 bench.test\n")
    subprocess.run(["mount", "--bind", hosts, "/etc/hosts"], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "mode=755,size=64m", "acceptbench-run", "/run"], check=True)


# ------------------------------------------------------------------ SMTP helpers
def wait_banner(host, port, limit=60, proc=None):
    end = time.monotonic() + limit
    last = None
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        try:
            with socket.create_connection((host, port), timeout=2) as s:
                s.settimeout(5)
                b = s.recv(512)
                if b.startswith(b"220"):
                    s.sendall(b"QUIT\r\n")
                    return b.decode(errors="replace").strip()
                last = b
        except OSError as e:
            last = e
        time.sleep(0.1)
    raise RuntimeError("no 220 banner on %s:%d (%s)" % (host, port, last))


class Conn:
    def __init__(self, host, port):
        self.s = socket.create_connection((host, port), timeout=60)
        # no Nagle: the final ".\r\n" must leave at once, not wait for the
        # ACK of the body (delayed ACK would add up to 40 ms to every sample)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def reply(self):
        while True:
            while b"\n" not in self.buf:
                chunk = self.s.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                self.buf += chunk
            line, _, self.buf = self.buf.partition(b"\n")
            if len(line) >= 4 and line[3:4] == b"-":
                continue
            return int(line[:3]), line.decode(errors="replace").strip()

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\r\n")
        return self.reply()

    def close(self):
        try:
            self.s.sendall(b"QUIT\r\n")
        except OSError:
            pass
        self.s.close()


def probe_message(size, n):
    head = ("From: probe@bench.test\r\nTo: probe@a.test\r\nSubject: latency probe %d\r\n"
            "Message-ID: <probe-%d-%f@bench.test>\r\n\r\n" % (n, n, time.time())).encode()
    line = b"x" * 76 + b"\r\n"
    body = line * (size // len(line) + 1)
    return head + body[:size - 2] + b"\r\n"


class Probe(threading.Thread):
    """Sends messages back to back over one connection and times
    end-of-DATA -> 250 for each, until stopped."""

    def __init__(self, host, port, size):
        super().__init__(daemon=True)
        self.host, self.port, self.size = host, port, size
        self.samples = []
        self.errors = []
        self.sent = 0
        self.stop = threading.Event()

    def run(self):
        try:
            c = Conn(self.host, self.port)
            c.reply()
            c.cmd("EHLO probe.bench.test")
            n = 0
            while not self.stop.is_set():
                n += 1
                for line, want in (("MAIL FROM:<probe@bench.test>", 250), ("RCPT TO:<probe%d@a.test>" % n, 250),
                                   ("DATA", 354)):
                    code, text = c.cmd(line)
                    if code != want:
                        raise RuntimeError("%s -> %s" % (line, text))
                c.s.sendall(probe_message(self.size, n))
                t0 = time.perf_counter()
                c.s.sendall(b".\r\n")
                code, text = c.reply()
                dt = time.perf_counter() - t0
                self.sent += 1
                if code != 250:
                    raise RuntimeError("end of data -> %s" % text)
                self.samples.append(dt)
            c.close()
        except Exception as e:
            self.errors.append(repr(e))


def smtp_source(host, port, sessions, msgs, size, tag):
    argv = ["smtp-source", "-s", str(sessions), "-m", str(msgs), "-l", str(size), "-f", SENDER,
            "-t", "%s@a.test" % tag, "-N", "-M", HELO, "-S", "acceptance bench %s" % tag,
            "%s:%d" % (host, port)]
    t0 = time.monotonic()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=3600)
    return time.monotonic() - t0, r.returncode, (r.stdout + r.stderr).strip()[-2000:]


# ------------------------------------------------------------------ MTAs
class Postfix:
    name = "postfix"
    addr = POSTFIX_ADDR

    def __init__(self, state):
        self.peer_state = os.path.join(state, "peers", "postfix-accept")
        self.script = os.path.join(BENCH, "peers", "postfix.sh")
        self.env = dict(os.environ, MB_STATE=state, MB_PEER_STATE=self.peer_state, MB_LISTEN_ADDR=self.addr,
                        MB_LISTEN_PORT=str(PORT), MB_DKIM="0", MB_BENCH_DIR=BENCH, MB_IN_NS="1")
        self.conf = os.path.join(self.peer_state, "etc")

    def sh(self, *args, check=True):
        r = subprocess.run(["bash", self.script] + list(args), env=self.env, capture_output=True, text=True,
                           timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError("postfix.sh %s: %s" % (" ".join(args), (r.stdout + r.stderr)[-1500:]))
        return r.stdout.strip()

    def version(self):
        return self.sh("version", check=False).splitlines()[0]

    def start(self):
        self.sh("stop", check=False)
        self.sh("clean", check=False)
        self.sh("start")
        self.postfix_accept_only()
        wait_banner(self.addr, PORT)
        # make sure the reloaded configuration is live: a message must land in hold
        end = time.monotonic() + 30
        while True:
            before = self.held()
            send_one(self.addr, PORT)
            time.sleep(0.3)
            if self.held() > before:
                break
            if time.monotonic() > end:
                raise RuntimeError("postfix does not put messages on hold")

    def postfix_accept_only(self):
        # Accept only: every message goes to the hold queue (written and
        # fsync'ed by cleanup exactly as usual, but never scheduled by qmgr),
        # and in_flow_delay = 0: with nothing delivered qmgr hands out no
        # flow-control tokens, and the default 1s in_flow_delay would then
        # stall every smtpd by up to a second per message, which measures
        # the throttle, not acceptance. Durability settings are unchanged.
        subprocess.run(["postconf", "-c", self.conf, "-e",
                        "smtpd_data_restrictions = check_client_access static:HOLD",
                        "in_flow_delay = 0"], check=True)
        subprocess.run(["postfix", "-c", self.conf, "reload"], check=True, capture_output=True)

    def held(self):
        d = os.path.join(self.peer_state, "spool", "hold")
        return sum(len(f) for _, _, f in os.walk(d)) if os.path.isdir(d) else 0

    def count(self):
        return self.held()

    def stop(self):
        self.sh("stop", check=False)
        self.sh("clean", check=False)


class Petrel:
    name = "petrel"
    addr = PETREL_ADDR

    def __init__(self, state, binary):
        self.dir = os.path.join(state, "peers", "petrel-accept")
        self.bin = binary
        self.conf = os.path.join(self.dir, "petrel.toml")
        self.proc = None

    def version(self):
        r = subprocess.run([self.bin, "--version"], capture_output=True, text=True, timeout=30)
        return "petrel " + (r.stdout.strip() or "?") + " (release build)"

    def start(self):
        self.stop()
        os.makedirs(self.dir)
        with open(self.conf, "w") as f:
            f.write("""# generated by Benchmarks/acceptance/bench.py
[server]
hostname = "petrel.bench.test"
data_directory = "%s"
[log]
level = "warning"
[spool]
fsync = true
[relay]
trusted_networks = ["127.0.0.0/8"]
[delivery]
# accept only (the counterpart of Postfix's hold queue); nothing to resolve here
enabled = false
resolver = "127.0.0.1:9"
[[listener]]
name = "bench"
address = "%s:%d"
mode = "relay"
tls = "none"
""" % (os.path.join(self.dir, "data"), self.addr, PORT))
        self.log = open(os.path.join(self.dir, "petrel.log"), "wb")
        self.proc = subprocess.Popen([self.bin, "serve", "--config", self.conf], stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_banner(self.addr, PORT, 60, self.proc)

    def count(self):
        r = subprocess.run([self.bin, "queue", "list", "--json", "--config", self.conf], capture_output=True,
                           text=True, timeout=300)
        if r.returncode != 0:
            raise RuntimeError("petrel queue list: %s" % r.stderr[-500:])
        return sum(1 for l in r.stdout.splitlines() if l.strip())

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)


def send_one(host, port):
    c = Conn(host, port)
    c.reply()
    c.cmd("EHLO check.bench.test")
    c.cmd("MAIL FROM:<check@bench.test>")
    c.cmd("RCPT TO:<check@a.test>")
    c.cmd("DATA")
    c.s.sendall(b"Subject: check\r\n\r\ncheck\r\n.\r\n")
    code, text = c.reply()
    c.close()
    if code != 250:
        raise RuntimeError("check message: %s" % text)


def pct(samples, q):
    s = sorted(samples)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, int(round(q / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


def one_run(mta, size_name, sessions, msgs, warmup):
    size = parse_size(size_name)
    res = {"mta": mta.name, "size": size_name, "sessions": sessions, "msgs": msgs}
    mta.start()
    try:
        if warmup:
            _, rc, out = smtp_source(mta.addr, PORT, min(sessions, 10), warmup, size, "warm")
            if rc != 0:
                raise RuntimeError("warm-up failed: %s" % out)
        time.sleep(1.0)
        before = mta.count()
        probe = Probe(mta.addr, PORT, size)
        probe.start()
        wall, rc, out = smtp_source(mta.addr, PORT, sessions, msgs, size, "m")
        probe.stop.set()
        probe.join(timeout=120)
        after = mta.count()
        accepted = after - before - probe.sent
        res.update({
            "status": "ok" if rc == 0 and accepted == msgs and not probe.errors else "ERROR",
            "accepted": accepted,
            "wall_s": round(wall, 2),
            "rate": round(msgs / wall, 1),
            "p50_ms": round(1000 * pct(probe.samples, 50), 2),
            "p99_ms": round(1000 * pct(probe.samples, 99), 2),
            "mean_ms": round(1000 * statistics.mean(probe.samples), 2) if probe.samples else None,
            "samples": len(probe.samples),
        })
        if rc != 0:
            res["error"] = "smtp-source rc=%d: %s" % (rc, out[-300:])
        elif probe.errors:
            res["error"] = "probe: %s" % probe.errors[0]
        elif accepted != msgs:
            res["error"] = "queue grew by %d, expected %d" % (accepted, msgs)
    finally:
        mta.stop()
    return res


def inner(a):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    rundir = os.path.join(a.state, "runs", "acceptance-%s-%d" % (stamp, os.getpid()))
    os.makedirs(rundir)
    setup_namespace(rundir)
    mtas = []
    skipped = {}
    for m in a.mtas:
        if m == "postfix":
            mtas.append(Postfix(a.state))
        elif m == "petrel":
            if not os.access(a.petrel_bin, os.X_OK):
                skipped["petrel"] = "no release binary at %s" % a.petrel_bin
                continue
            mtas.append(Petrel(a.state, a.petrel_bin))
    print("# acceptance benchmark %s, %d cores, fsync on for every MTA, private loopback namespace"
          % (stamp, os.cpu_count()))
    for m in mtas:
        try:
            print("# %s: %s" % (m.name, m.version()))
        except Exception as e:
            print("# %s: version unknown (%s)" % (m.name, e))
    for name, why in skipped.items():
        print("# %s: SKIPPED (%s)" % (name, why))
    hdr = "%-8s %5s %8s %6s %8s %7s %9s %8s %8s %7s  %s" % (
        "mta", "size", "sessions", "msgs", "accepted", "wall_s", "rate/s", "p50_ms", "p99_ms", "samples", "status")
    print(hdr)
    print("-" * len(hdr))
    sys.stdout.flush()
    rc = 0
    for size_name in a.size_list:
        msgs = a.msg_counts.get(size_name.lower(), 2000)
        for sessions in a.session_list:
            for m in mtas:
                try:
                    r = one_run(m, size_name, sessions, msgs, a.warmup)
                except Exception as e:
                    r = {"mta": m.name, "size": size_name, "sessions": sessions, "msgs": msgs,
                         "status": "ERROR", "error": str(e)[-500:]}
                if r.get("status") != "ok":
                    rc = 1
                print("%-8s %5s %8d %6d %8s %7s %9s %8s %8s %7s  %s" % (
                    r["mta"], r["size"], r["sessions"], r["msgs"], r.get("accepted", "-"), r.get("wall_s", "-"),
                    r.get("rate", "-"), r.get("p50_ms", "-"), r.get("p99_ms", "-"), r.get("samples", "-"),
                    r["status"] + ("  " + r["error"] if r.get("error") else "")))
                sys.stdout.flush()
                r["at"] = stamp
                if a.results:
                    with open(a.results, "a") as f:
                        f.write(json.dumps(r) + "\n")
    shutil.rmtree(rundir, ignore_errors=True)
    return rc


def main():
    argv = sys.argv[1:]
    a = parse_args(argv)
    if not a._inner:
        outer([x for x in argv], a)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        sys.exit(inner(a))


if __name__ == "__main__":
    main()
