"""Start and stop a real `petrel serve` for the integration tests.

Every server gets its own temporary data directory and free loopback ports;
nothing touches ./queue or the default ports.
"""
from __future__ import annotations

import json
import os
import signal
import smtplib
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PETREL_BIN = os.environ.get("PETREL_BIN", str(ROOT / ".build" / "debug" / "petrel"))
HOST = "127.0.0.1"
HOSTNAME = "mx.petrel.test"
USER = "alice"
PASSWORD = "correct horse battery staple"

_hash_cache: dict[str, str] = {}


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def run_cli(args: list[str], input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PETREL_BIN] + args, input=input, capture_output=True, text=True, timeout=timeout
    )


def hash_password(password: str = PASSWORD) -> str:
    if password not in _hash_cache:
        r = run_cli(["auth", "hash-password"], input=password + "\n")
        assert r.returncode == 0, "petrel auth hash-password failed: rc=%d %s" % (r.returncode, r.stderr)
        h = r.stdout.strip().splitlines()[-1].strip() if r.stdout.strip() else ""
        assert h, "petrel auth hash-password printed nothing"
        _hash_cache[password] = h
    return _hash_cache[password]


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)  # a TOML basic string (\uXXXX escapes are valid TOML)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(v)


def default_listeners() -> list[dict]:
    return [
        {"name": "relay", "mode": "relay", "tls": "starttls", "require_tls": False,
         "allow_plaintext_auth": False},
        {"name": "submission", "mode": "submission", "tls": "starttls", "require_tls": False,
         "allow_plaintext_auth": False},
        {"name": "submission_plain", "mode": "submission", "tls": "starttls", "require_tls": False,
         "allow_plaintext_auth": True},
    ]


class PetrelServer:
    """One `petrel serve --config <tmp>/petrel.toml` process."""

    def __init__(self, workdir: Path, *, listeners: list[dict] | None = None, server: dict | None = None,
                 relay: dict | None = None, limits: dict | None = None, spool: dict | None = None,
                 users: list[dict] | None = None, log_level: str = "info", wrapper: list[str] | None = None,
                 delivery: dict | None = None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.workdir / "data"
        self.config_path = self.workdir / "petrel.toml"
        self.log_path = self.workdir / "petrel.log"
        self.listeners = [dict(l) for l in (listeners if listeners is not None else default_listeners())]
        for l in self.listeners:
            l.setdefault("address", "%s:%d" % (HOST, free_port()))
        self.server = {"hostname": HOSTNAME, "data_directory": str(self.data_dir), "shutdown_grace": "5s"}
        self.server.update(server or {})
        self.relay = {"trusted_networks": ["127.0.0.0/8", "::1/128"], "local_domains": ["bounce.example.org"]}
        self.relay.update(relay or {})
        self.limits = dict(limits or {})
        self.spool = {"fsync": True}
        self.spool.update(spool or {})
        # Accept and keep: tests inspect the queue, and no test may send mail
        # or DNS queries off the machine (the resolver is a dead loopback port).
        self.delivery = {"enabled": False, "resolver": "127.0.0.1:9"}
        self.delivery.update(delivery or {})
        self.users = users if users is not None else [{"name": USER, "password_hash": hash_password()}]
        self.log_level = log_level
        self.wrapper = list(wrapper or [])  # e.g. ["strace", "-f", "-o", FILE]: runs `wrapper petrel serve ...`
        # The HTTP API on a free port (its default, 127.0.0.1:8025, would clash between servers run at once);
        # a subclass may set `http` before calling this initialiser.
        self.http = getattr(self, "http", None) or {"listen": "%s:%d" % (HOST, free_port())}
        self.proc: subprocess.Popen | None = None
        self._log = None
        self.write_config()

    # -- configuration
    def config_text(self) -> str:
        out = ["# written by Tests/integration/petrel_harness.py"]

        def table(name, values):
            out.append("[%s]" % name)
            for k, v in values.items():
                out.append("%s = %s" % (k, toml_value(v)))
            out.append("")

        table("server", self.server)
        table("log", {"level": self.log_level})
        table("spool", self.spool)
        table("relay", self.relay)
        if self.limits:
            table("limits", self.limits)
        if self.delivery:
            table("delivery", self.delivery)
        table("http", self.http)
        for l in self.listeners:
            out.append("[[listener]]")
            for k, v in l.items():
                out.append("%s = %s" % (k, toml_value(v)))
            out.append("")
        for u in self.users:
            out.append("[[user]]")
            for k, v in u.items():
                out.append("%s = %s" % (k, toml_value(v)))
            out.append("")
        return "\n".join(out) + "\n"

    def write_config(self) -> None:
        self.config_path.write_text(self.config_text())

    def addr(self, name: str = "relay") -> tuple[str, int]:
        for l in self.listeners:
            if l["name"] == name:
                host, _, port = l["address"].rpartition(":")
                return host, int(port)
        raise KeyError(name)

    def port(self, name: str = "relay") -> int:
        return self.addr(name)[1]

    # -- process
    def start(self, wait: float = 60.0) -> None:
        assert self.proc is None or self.proc.poll() is not None, "already running"
        assert os.path.exists(PETREL_BIN), "no petrel binary at %s (swift build, or set PETREL_BIN)" % PETREL_BIN
        self._log = open(self.log_path, "ab")
        self._log.write(b"\n===== start %s =====\n" % time.strftime("%H:%M:%S").encode())
        self._log.flush()
        self.proc = subprocess.Popen(
            self.wrapper + [PETREL_BIN, "serve", "--config", str(self.config_path)],
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(self.workdir),
        )
        self.wait_ready(wait)

    def wait_ready(self, limit: float) -> None:
        end = time.monotonic() + limit
        for l in self.listeners:
            host, port = self.addr(l["name"])
            last = None
            while True:
                if self.proc.poll() is not None:
                    raise AssertionError("petrel serve exited with %s before listening on %s:%d\n%s"
                                         % (self.proc.returncode, host, port, self.log_tail()))
                try:
                    with socket.create_connection((host, port), timeout=2) as s:
                        s.settimeout(5)
                        banner = s.recv(512)
                        if banner.startswith(b"220"):
                            try:
                                s.sendall(b"QUIT\r\n")
                                s.recv(512)
                            except OSError:
                                pass
                            break
                        last = banner
                except OSError as e:
                    last = e
                if time.monotonic() > end:
                    raise AssertionError("no 220 banner on %s:%d after %.0fs (last: %r)\n%s"
                                         % (host, port, limit, last, self.log_tail()))
                time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def server_pid(self) -> int:
        """PID of petrel itself (the wrapper's child when there is a wrapper)."""
        assert self.proc is not None
        if not self.wrapper:
            return self.proc.pid
        end = time.monotonic() + 10
        while time.monotonic() < end:
            try:
                with open("/proc/%d/task/%d/children" % (self.proc.pid, self.proc.pid)) as f:
                    kids = f.read().split()
                if kids:
                    return int(kids[0])
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("no child process of %s" % self.wrapper[0])

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        if self.wrapper:
            os.kill(self.server_pid, sig)
        else:
            self.proc.send_signal(sig)

    def wait_exit(self, timeout: float) -> int | None:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL after `timeout`. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                self.signal(signal.SIGTERM)
            except (AssertionError, ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                if self.wrapper:
                    try:
                        os.kill(self.server_pid, signal.SIGKILL)
                    except (AssertionError, ProcessLookupError):
                        pass
                self.proc.kill()
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        return self.proc.returncode

    def kill9(self) -> None:
        assert self.proc is not None
        if self.wrapper:
            os.kill(self.server_pid, signal.SIGKILL)
        self.proc.kill()
        self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None

    def log_tail(self, n: int = 60) -> str:
        try:
            if self._log:
                self._log.flush()
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "---- petrel log (last %d lines of %s) ----\n%s" % (n, self.log_path, "\n".join(lines[-n:]))

    # -- command line
    def cli(self, *args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return run_cli(list(args) + ["--config", str(self.config_path)], input=input, timeout=timeout)

    def queue_list(self) -> list[dict]:
        r = self.cli("queue", "list", "--json")
        assert r.returncode == 0, "petrel queue list --json: rc=%d\n%s%s" % (r.returncode, r.stdout, r.stderr)
        out = []
        for line in r.stdout.splitlines():
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise AssertionError("queue list --json: not JSON (%s): %r" % (e, line))
        return out

    def queue_show(self, qid: str) -> str:
        r = self.cli("queue", "show", qid)
        assert r.returncode == 0, "petrel queue show %s: rc=%d\n%s%s" % (qid, r.returncode, r.stdout, r.stderr)
        return r.stdout

    def queue_raw(self, qid: str) -> bytes:
        """`petrel queue show ID --raw`: the whole stored message."""
        r = subprocess.run([PETREL_BIN, "queue", "show", qid, "--raw", "--config", str(self.config_path)],
                           capture_output=True, timeout=60)
        assert r.returncode == 0, "petrel queue show %s --raw: rc=%d\n%r" % (qid, r.returncode, r.stderr)
        return r.stdout

    def queued(self, qid: str) -> dict:
        entries = [e for e in self.queue_list() if e.get("id") == qid]
        assert len(entries) == 1, "queue id %s appears %d times in queue list --json" % (qid, len(entries))
        return entries[0]

    # -- clients
    def smtp(self, listener: str = "relay", timeout: float = 15) -> smtplib.SMTP:
        host, port = self.addr(listener)
        return smtplib.SMTP(host, port, local_hostname="client.petrel.test", timeout=timeout)

    def wire(self, listener: str = "relay", timeout: float = 10, source: str | None = None):
        from smtpwire import SMTPWire

        host, port = self.addr(listener)
        return SMTPWire(host, port, timeout=timeout, source=source)


def send_smtplib(smtp: smtplib.SMTP, sender: str, rcpts: list[str], msg: bytes,
                 mail_options: list[str] = (), rcpt_options: list[str] = ()) -> tuple[int, str]:
    """MAIL, RCPT..., DATA on an smtplib connection that already said EHLO.
    Returns the DATA reply (code, text) -- smtplib.sendmail() throws it away."""
    code, resp = smtp.mail(sender, list(mail_options))
    assert code == 250, "MAIL FROM:<%s> -> %d %s" % (sender, code, resp)
    for r in rcpts:
        code, resp = smtp.rcpt(r, list(rcpt_options))
        assert code == 250, "RCPT TO:<%s> -> %d %s" % (r, code, resp)
    code, resp = smtp.data(msg)
    return code, resp.decode("utf-8", errors="replace")


def queue_id_of(text: str) -> str:
    from smtpwire import QUEUED_AS

    m = QUEUED_AS.search(text)
    assert m, "no 'queued as <ID>' in %r" % text
    return m.group(1)


def swaks(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["swaks", "--hide-informational", *args], capture_output=True, text=True,
                          timeout=timeout)
