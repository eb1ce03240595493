"""A raw SMTP client for tests that must control every byte on the wire
(pipelining, smuggling, STARTTLS injection, limits).

Unlike smtplib it never fixes up line endings, never pipelines on its own and
exposes every reply with its code, enhanced status code and text.
"""
from __future__ import annotations

import re
import socket
import ssl
import time
from dataclasses import dataclass, field

ENHANCED = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})(?:\s|$)")
QUEUED_AS = re.compile(r"queued as <?([A-Za-z0-9._+-]+)>?")


class ConnectionClosed(Exception):
    """The server closed the connection while a reply was expected."""


@dataclass
class Reply:
    code: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def enhanced(self) -> str | None:
        """Enhanced status code (RFC 3463) of the first line, e.g. "5.7.1"."""
        if not self.lines:
            return None
        m = ENHANCED.match(self.lines[0])
        return "%s.%s.%s" % m.groups() if m else None

    @property
    def queue_id(self) -> str | None:
        m = QUEUED_AS.search(self.text)
        return m.group(1) if m else None

    @property
    def keywords(self) -> dict[str, str]:
        """EHLO keywords (upper case) -> parameters, from a 250 EHLO reply."""
        out = {}
        for line in self.lines[1:]:
            parts = line.split(None, 1)
            if parts:
                out[parts[0].upper()] = parts[1] if len(parts) > 1 else ""
        return out

    def __str__(self) -> str:
        return "%d %s" % (self.code, " / ".join(self.lines))


class SMTPWire:
    def __init__(self, host: str, port: int, timeout: float = 10.0, source: str | None = None):
        self.host = host
        self.timeout = timeout
        self.sock = socket.create_connection(
            (host, port), timeout=timeout, source_address=(source, 0) if source else None
        )
        self.sock.settimeout(timeout)
        self.buf = b""
        self.tls = False

    # -- low level
    def send(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sock.sendall(data)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionClosed("connection closed by server (buffer %r)" % self.buf[:200])
        self.buf += chunk

    def read_line(self) -> bytes:
        while b"\n" not in self.buf:
            self._fill()
        line, _, self.buf = self.buf.partition(b"\n")
        return line.rstrip(b"\r")

    def reply(self, timeout: float | None = None) -> Reply:
        """Read one (possibly multi-line) reply."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        try:
            lines = []
            code = None
            while True:
                raw = self.read_line().decode("utf-8", errors="replace")
                if len(raw) < 3 or not raw[:3].isdigit():
                    raise AssertionError("malformed reply line %r" % raw)
                c = int(raw[:3])
                if code is not None and c != code:
                    raise AssertionError("reply code changed inside a multi-line reply: %r" % raw)
                code = c
                lines.append(raw[4:])
                if len(raw) == 3 or raw[3] == " ":
                    return Reply(code, lines)
                if raw[3] != "-":
                    raise AssertionError("malformed reply line %r" % raw)
        finally:
            if timeout is not None:
                self.sock.settimeout(self.timeout)

    def replies(self, n: int) -> list[Reply]:
        return [self.reply() for _ in range(n)]

    def cmd(self, line: str | bytes) -> Reply:
        if isinstance(line, str):
            line = line.encode("utf-8")
        self.send(line + b"\r\n")
        return self.reply()

    def pending(self, wait: float = 0.3) -> bytes:
        """Whatever the server sends within `wait` seconds (no reply parsing)."""
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buf += chunk
        except (socket.timeout, TimeoutError):
            pass
        finally:
            self.sock.settimeout(self.timeout)
        data, self.buf = self.buf, b""
        return data

    def replies_until_close(self, limit: float = 10.0) -> list[Reply]:
        """Read replies until the server closes the connection (or `limit`)."""
        out = []
        end = time.monotonic() + limit
        while time.monotonic() < end:
            try:
                out.append(self.reply(timeout=max(0.1, end - time.monotonic())))
            except (ConnectionClosed, ConnectionResetError, BrokenPipeError):
                return out
            except (socket.timeout, TimeoutError):
                break
        return out

    def is_closed(self, limit: float = 5.0) -> bool:
        """True if the server closes the connection within `limit` seconds."""
        self.sock.settimeout(limit)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
                self.buf += chunk
        except (ConnectionResetError, BrokenPipeError):
            return True
        except (socket.timeout, TimeoutError):
            return False
        except ssl.SSLError:
            return True
        finally:
            try:
                self.sock.settimeout(self.timeout)
            except OSError:
                pass

    # -- SMTP steps
    def banner(self) -> Reply:
        return self.reply()

    def ehlo(self, name: str = "client.petrel.test") -> Reply:
        return self.cmd("EHLO " + name)

    def starttls_handshake(self) -> None:
        """Wrap the socket in TLS (after a 220 reply to STARTTLS). Fails if the
        server sent anything after the 220 in plaintext."""
        assert self.buf == b"", "server sent plaintext after the STARTTLS reply: %r" % self.buf
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        self.sock = ctx.wrap_socket(self.sock, server_hostname=self.host)
        self.tls = True

    def starttls(self) -> Reply:
        r = self.cmd("STARTTLS")
        if r.code == 220:
            self.starttls_handshake()
        return r

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> "SMTPWire":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def message(headers: dict[str, str] | list[tuple[str, str]], body: str) -> bytes:
    """An RFC 5322 message with CRLF line endings (no dot-stuffing)."""
    items = headers.items() if isinstance(headers, dict) else headers
    head = "".join("%s: %s\r\n" % (k, v) for k, v in items)
    text = body.replace("\r\n", "\n").replace("\n", "\r\n")
    if not text.endswith("\r\n"):
        text += "\r\n"
    return (head + "\r\n" + text).encode("utf-8")


def dot_stuff(data: bytes) -> bytes:
    lines = data.split(b"\r\n")
    return b"\r\n".join(b"." + l if l.startswith(b".") else l for l in lines)


def auth_plain(user: str, password: str) -> str:
    import base64

    return base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
