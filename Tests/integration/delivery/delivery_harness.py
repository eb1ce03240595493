"""Peers and helpers for the outbound delivery scenarios: the real `petrel
serve` delivering to real peers on loopback (fixtures: conftest.py).

* `dns`       -- dnsmasq on 127.0.0.1:<free port>, authoritative for `.test`
                 (names it was not told about are NXDOMAIN);
* `receivers` -- aiosmtpd servers on 127.<a>.<b>.<n>:<port> (threads in this
                 process) with per-recipient behaviour, optional STARTTLS, a
                 slow DATA, and a record of connections and messages;
* `outbound`  -- a Petrel with a relay listener, `[delivery] resolver` at the
                 dnsmasq, `port` at the receivers' port and the test clock
                 (PETREL_TEST_CLOCK=1, driven by `CLOCK ADVANCE`).

Every test gets its own address block (127.<a>.<b>.0/24), port, temporary
directory and processes; all are stopped at teardown. On failure the Petrel
and dnsmasq logs are printed.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import random
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # petrel_harness (Tests/integration)

from petrel_harness import PetrelServer, free_port, queue_id_of, send_smtplib, toml_value  # noqa: E402

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP as AioSMTP
except ImportError:  # pragma: no cover - reported as an error, never a skip
    Controller = AioSMTP = None

SENDER_DOMAIN = "sender.test"
SENDER = "app@" + SENDER_DOMAIN
PETREL_HOSTNAME = "out.petrel.test"  # no DNS record: never an MX of a test domain
POLL = 0.05


def wait_until(predicate, timeout: float, what: str, on_fail=None):
    """Polls `predicate` until it returns a true value (returned) or the
    deadline passes (AssertionError naming `what`)."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            extra = ("\n" + on_fail()) if on_fail else ""
            raise AssertionError("timed out after %.1fs waiting for %s%s" % (timeout, what, extra))
        time.sleep(POLL)


# --------------------------------------------------------------------------- DNS


class DNSServer:
    """dnsmasq answering for `.test` only, from the records added before
    `start()`. RFC 7505 null MX is the MX record "0 ."."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = 0
        self.lines: list[str] = []
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "dnsmasq.log"

    # -- records
    def a(self, name: str, address: str) -> None:
        self.lines.append("host-record=%s,%s" % (name, address))

    def mx(self, domain: str, host: str, preference: int) -> None:
        self.lines.append("mx-host=%s,%s,%d" % (domain, host, preference))

    def txt(self, name: str, text: str) -> None:
        # One TXT record; text longer than 255 octets becomes several
        # character-strings (RFC 1035 §3.3.14), which DKIM concatenates.
        parts = [text[i:i + 255] for i in range(0, len(text), 255)] or [""]
        self.lines.append("txt-record=%s,%s" % (name, ",".join('"%s"' % p for p in parts)))

    def null_mx(self, domain: str) -> None:
        # RFC 7505 §3: a single MX RR with preference 0 and a zero-length
        # label (".") as exchange. Written as raw RDATA so that the wire
        # bytes are exactly 0x0000 (preference) 0x00 (root name).
        self.lines.append("dns-rr=%s,15,000000" % domain)

    # -- process
    def start(self) -> None:
        assert shutil.which("dnsmasq"), "dnsmasq not installed (apt-get install dnsmasq-base; scripts/setup.sh)"
        for _ in range(5):
            self.port = free_port()
            conf = self.workdir / "dnsmasq.conf"
            conf.write_text("\n".join([
                "port=%d" % self.port,
                "listen-address=127.0.0.1",
                "bind-interfaces",
                "no-resolv",
                "no-hosts",
                "no-poll",
                "local=/test/",  # authoritative-ish for .test: unknown names are NXDOMAIN
                "local-ttl=0",
                "log-queries",
                *self.lines,
            ]) + "\n")
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                ["dnsmasq", "--keep-in-foreground", "--conf-file=%s" % conf, "--log-facility=-",
                 "--pid-file=", "--user=root"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            log.close()
            try:
                wait_until(lambda: self.proc.poll() is not None or self._answers(), 10, "dnsmasq to answer")
            except AssertionError:
                pass
            if self.proc.poll() is None and self._answers():
                return
            self.stop()
        raise AssertionError("dnsmasq did not start\n" + self.log_tail())

    def _answers(self) -> bool:
        try:
            rcode, _ = dns_query("127.0.0.1", self.port, "probe.test", 1)
            return rcode == 3
        except OSError:
            return False

    @property
    def address(self) -> str:
        return "127.0.0.1:%d" % self.port

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, n: int = 40) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no dnsmasq log)"
        return "---- dnsmasq log (last %d lines) ----\n%s" % (n, "\n".join(lines[-n:]))


def dns_query(server: str, port: int, name: str, qtype: int) -> tuple[int, bytes]:
    """One UDP query; returns (RCODE, whole response)."""
    tid = random.randint(0, 0xFFFF)
    qname = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".") if p) + b"\0"
    packet = tid.to_bytes(2, "big") + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + qname + \
        qtype.to_bytes(2, "big") + b"\x00\x01"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        s.sendto(packet, (server, port))
        data, _ = s.recvfrom(4096)
    return data[3] & 0x0F, data


# --------------------------------------------------------------------- receivers


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    peer: tuple

    @property
    def message(self) -> email.message.Message:
        return email.message_from_bytes(self.data, policy=email.policy.compat32)

    @property
    def message_id(self) -> str | None:
        return self.message.get("Message-ID")


@dataclass
class Behaviour:
    """What a receiver answers to RCPT TO for one address: accept, defer
    (4xx) for the first `defer_first` attempts (always when None), or
    reject (5xx)."""
    kind: str = "accept"  # accept | defer | reject
    defer_first: int | None = None
    reply: str = ""


ACCEPT = Behaviour("accept")


def defer(first: int | None = None, reply: str = "450 4.2.1 Mailbox busy, try again later") -> Behaviour:
    return Behaviour("defer", first, reply)


def reject(reply: str = "550 5.1.1 No such user here") -> Behaviour:
    return Behaviour("reject", None, reply)


class _Handler:
    def __init__(self, receiver: "Receiver"):
        self.r = receiver

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        b = self.r.behaviours.get(address.lower(), self.r.default)
        with self.r.lock:
            n = self.r.rcpt_attempts.get(address.lower(), 0)
            self.r.rcpt_attempts[address.lower()] = n + 1
        if b.kind == "reject":
            return b.reply
        if b.kind == "defer" and (b.defer_first is None or n < b.defer_first):
            return b.reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_QUIT(self, server, session, envelope):
        self.r._ended(server)
        return "221 2.0.0 Bye"

    async def handle_DATA(self, server, session, envelope):
        if self.r.data_delay:
            await asyncio.sleep(self.r.data_delay)
        # aiosmtpd keeps the null reverse-path as "<>"; record it as "".
        mail_from = "" if envelope.mail_from == "<>" else envelope.mail_from
        rec = Received(mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or b""),
                       session.ssl is not None, session.peer)
        with self.r.lock:
            self.r.messages.append(rec)
        return "250 2.0.0 Ok: queued"


class Receiver:
    """An aiosmtpd server on (ip, port) in a thread."""

    def __init__(self, ip: str, port: int, hostname: str, *, tls_context: ssl.SSLContext | None,
                 behaviours: dict[str, Behaviour] | None, default: Behaviour, data_delay: float):
        assert Controller is not None, "aiosmtpd not installed (pip install aiosmtpd; scripts/setup.sh)"
        self.ip, self.port, self.hostname = ip, port, hostname
        self.behaviours = {k.lower(): v for k, v in (behaviours or {}).items()}
        self.default = default
        self.data_delay = data_delay
        self.lock = threading.Lock()
        self.messages: list[Received] = []
        self.rcpt_attempts: dict[str, int] = {}
        # A connection counts from its accept until the client's QUIT or the
        # close, whichever comes first: after QUIT the client is done with
        # it, and the server-side close may be scheduled a little later.
        # `socket_peak` counts until the server-side close.
        self.connections = 0
        self.current = 0
        self.peak = 0
        self.sockets = 0
        self.socket_peak = 0
        receiver = self

        class CountingSMTP(AioSMTP):
            def connection_made(self, transport):
                first = self._original_transport is None and not getattr(self, "_counted", False)
                super().connection_made(transport)
                if first:
                    self._counted = True
                    self._active = True
                    with receiver.lock:
                        receiver.connections += 1
                        receiver.current += 1
                        receiver.peak = max(receiver.peak, receiver.current)
                        receiver.sockets += 1
                        receiver.socket_peak = max(receiver.socket_peak, receiver.sockets)

            def connection_lost(self, error):
                if getattr(self, "_counted", False):
                    self._counted = False
                    receiver._ended(self)
                    with receiver.lock:
                        receiver.sockets -= 1
                super().connection_lost(error)

        kwargs = dict(hostname=ip, port=port, server_hostname=hostname, ident="petrel-test-receiver",
                      decode_data=False, enable_SMTPUTF8=True)
        if tls_context is not None:
            kwargs.update(tls_context=tls_context, require_starttls=False)

        class CountingController(Controller):
            def factory(self):
                return CountingSMTP(self.handler, **self.SMTP_kwargs)

        self.controller = CountingController(_Handler(self), **kwargs)

    def _ended(self, server) -> None:
        if getattr(server, "_active", False):
            server._active = False
            with self.lock:
                self.current -= 1

    def start(self) -> None:
        self.controller.start()
        # The controller's own readiness probe is a connection: let it go
        # and start counting from zero.
        wait_until(lambda: self.sockets == 0, 5, "the aiosmtpd readiness probe to close")
        with self.lock:
            self.connections = 0
            self.peak = 0
            self.socket_peak = 0

    def stop(self) -> None:
        try:
            self.controller.stop()
        except Exception:  # already stopped / failed to start
            pass

    # -- queries
    def received(self) -> list[Received]:
        with self.lock:
            return list(self.messages)

    def attempts(self, address: str) -> int:
        with self.lock:
            return self.rcpt_attempts.get(address.lower(), 0)


class Receivers:
    """Factory for receivers in one test's address block 127.<a>.<b>.0/24,
    all on the same TCP port (Petrel's `[delivery] port`)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.made: list[Receiver] = []
        self._cert: tuple[str, str] | None = None
        for _ in range(50):
            self.block = "127.%d.%d." % (random.randint(1, 254), random.randint(0, 254))
            self.port = free_port()
            if all(_can_bind(self.block + str(n), self.port) for n in range(1, 21)):
                break
        else:
            raise AssertionError("no free address block/port for the receivers")

    def ip(self, n: int) -> str:
        return self.block + str(n)

    def add(self, n: int, hostname: str, *, tls: bool = False, behaviours: dict[str, Behaviour] | None = None,
            default: Behaviour = ACCEPT, data_delay: float = 0.0) -> Receiver:
        r = Receiver(self.ip(n), self.port, hostname, tls_context=self._tls_context() if tls else None,
                     behaviours=behaviours, default=default, data_delay=data_delay)
        self.made.append(r)
        r.start()
        return r

    def _tls_context(self) -> ssl.SSLContext:
        if self._cert is None:
            cert, key = str(self.workdir / "mx.crt"), str(self.workdir / "mx.key")
            r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                "-subj", "/CN=mx.test", "-keyout", key, "-out", cert],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, "openssl req failed: %s" % r.stderr
            self._cert = (cert, key)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*self._cert)
        return ctx

    def stop(self) -> None:
        for r in self.made:
            r.stop()


def _can_bind(ip: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((ip, port))
            return True
        except OSError:
            return False


# ------------------------------------------------------------------------ Petrel

# "suppressed": a recipient on the suppression list, failed without an attempt.
_LOG_EVENT = re.compile(r"\[Queue\] (sent|deferred|bounced|suppressed)\b")


@dataclass
class LogEvent:
    event: str
    line: str
    fields: dict = field(default_factory=dict)


class OutboundPetrel(PetrelServer):
    """PetrelServer plus `[delivery]`, the control socket and the delivery
    log lines."""

    def __init__(self, workdir: Path, *, delivery: dict, **kwargs):
        super().__init__(workdir, **kwargs)
        # Replaces the harness's own [delivery] ("accept and keep"), if any.
        self.delivery = dict(delivery)
        self.write_config()

    def config_text(self) -> str:
        text = super().config_text()
        if re.search(r"^\[delivery\]", text, re.M):  # the harness wrote self.delivery
            return text
        out = [text, "[delivery]"]
        for k, v in getattr(self, "delivery", {}).items():
            out.append("%s = %s" % (k, toml_value(v)))
        return "\n".join(out) + "\n"

    @property
    def control_path(self) -> Path:
        return self.data_dir / "control.sock"

    def control(self, command: str, timeout: float = 10) -> str:
        wait_until(self.control_path.exists, 10, "the control socket %s" % self.control_path)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(self.control_path))
            s.sendall(command.encode() + b"\n")
            buf = b""
            while b"\n" not in buf:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
        return buf.decode(errors="replace").strip()

    def advance(self, seconds: float) -> None:
        reply = self.control("CLOCK ADVANCE %g" % seconds)
        assert reply.startswith("OK"), "CLOCK ADVANCE %g -> %r" % (seconds, reply)

    def status(self) -> dict[str, int]:
        reply = self.control("STATUS")
        assert reply.startswith("OK "), "STATUS -> %r" % reply
        return {k: int(v) for k, v in (w.split("=", 1) for w in reply[3:].split())}

    def idle(self) -> bool:
        s = self.status()
        return s["ready"] == 0 and s["inflight"] == 0

    # -- log
    def log_text(self) -> str:
        if self._log:
            self._log.flush()
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def events(self, event: str | None = None, to: str | None = None) -> list[LogEvent]:
        out = []
        for line in self.log_text().splitlines():
            m = _LOG_EVENT.search(line)
            if not m or (event and m.group(1) != event):
                continue
            fields = {}
            for key in ("id", "to", "relay", "dsn", "attempt"):
                fm = re.search(r"\b%s=(\S+)" % key, line)
                if fm:
                    fields[key] = fm.group(1)
            fm = re.search(r"\breply=(.*?)(?= \w+=|\s*\[Queue\]|$)", line)
            if fm:
                fields["reply"] = fm.group(1)
            if to and fields.get("to") != to:
                continue
            out.append(LogEvent(m.group(1), line, fields))
        return out

    def wait_event(self, event: str, to: str, count: int = 1, timeout: float = 20) -> list[LogEvent]:
        return wait_until(lambda: (lambda e: e if len(e) >= count else None)(self.events(event, to)), timeout,
                          "%d '%s' log line(s) for %s" % (count, event, to), on_fail=lambda: self.log_tail(40))

    # -- injection
    def inject(self, rcpts: list[str], *, sender: str = SENDER, subject: str = "delivery test",
               message_id: str | None = None, body: str = "Hello from the delivery suite.\r\n",
               mail_options: list[str] = (), rcpt_options: list[str] = ()) -> tuple[str, str]:
        """One message over SMTP to the relay listener. Returns (queue id,
        Message-ID)."""
        message_id = message_id or make_message_id()
        with self.smtp() as c:
            c.ehlo("client.petrel.test")
            code, text = send_smtplib(c, sender, rcpts, build_message(sender, rcpts, subject, message_id, body),
                                      mail_options, rcpt_options)
            assert code == 250, "DATA -> %d %s" % (code, text)
            return queue_id_of(text), message_id


def make_message_id() -> str:
    return "<%s.%d@%s>" % ("%016x" % random.getrandbits(64), time.monotonic_ns(), SENDER_DOMAIN)


def mx_domain(dns, receivers, n: int, domain: str, **kwargs):
    """`domain` with one MX host, mx.<domain> at receivers.ip(n), answering
    as `kwargs` tell `receivers.add`. Returns the receiver."""
    host = "mx." + domain
    dns.mx(domain, host, 10)
    dns.a(host, receivers.ip(n))
    return receivers.add(n, host, **kwargs)


def cli_ok(petrel, *args):
    """`petrel ARGS --config ...`, asserted to exit 0; returns the result."""
    r = petrel.cli(*args)
    assert r.returncode == 0, "petrel %s: rc=%d\nstdout=%r\nstderr=%r" % (
        " ".join(args), r.returncode, r.stdout, r.stderr)
    return r


def build_message(sender: str, rcpts: list[str], subject: str, message_id: str, body: str) -> bytes:
    return ("From: <%s>\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\n"
            "Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n\r\n%s"
            % (sender, ", ".join("<%s>" % r for r in rcpts), subject, message_id, body)).encode()


def parse_dsn(rec: Received) -> tuple[email.message.Message, email.message.Message, list[email.message.Message]]:
    """Parses an RFC 3464 DSN: returns (whole message, per-message fields,
    per-recipient field blocks). Asserts the multipart/report structure."""
    msg = rec.message
    assert msg.get_content_type() == "multipart/report", "DSN content type %r\n%s" % (
        msg.get_content_type(), rec.data[:2000].decode(errors="replace"))
    assert msg.get_param("report-type") == "delivery-status", "report-type=%r" % msg.get_param("report-type")
    parts = msg.get_payload()
    assert isinstance(parts, list) and len(parts) >= 2, "DSN has %r parts" % (len(parts) if isinstance(parts, list) else parts)
    assert parts[1].get_content_type() == "message/delivery-status", \
        "second part of the report is %r (RFC 6522 §3)" % parts[1].get_content_type()
    blocks = parts[1].get_payload()
    assert isinstance(blocks, list) and len(blocks) >= 2, "delivery-status blocks: %r" % blocks
    return msg, blocks[0], blocks[1:]
