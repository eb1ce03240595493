"""SIGTERM: stop accepting, let sessions finish within shutdown_grace, then
421 the rest, exit 0; accepted mail survives the restart."""
import signal
import socket
import time


def refused_or_421(srv) -> bool:
    host, port = srv.addr("relay")
    try:
        with socket.create_connection((host, port), timeout=3) as s:
            s.settimeout(3)
            data = s.recv(512)
            return data == b"" or data.startswith(b"421")
    except (ConnectionRefusedError, ConnectionResetError):
        return True
    except socket.timeout:
        return False


def test_session_in_flight_finishes(petrel_factory):
    srv = petrel_factory(server={"shutdown_grace": "10s"})
    with srv.wire("relay") as w:
        w.banner()
        w.ehlo()
        assert w.cmd("MAIL FROM:<inflight@example.net>").code == 250
        assert w.cmd("RCPT TO:<r@example.com>").code == 250
        assert w.cmd("DATA").code == 354
        w.send(b"Subject: in flight\r\n\r\nfirst half\r\n")
        srv.signal(signal.SIGTERM)
        time.sleep(0.5)
        assert srv.running, "server exited at once with a session in flight"
        assert refused_or_421(srv), "new connection accepted after SIGTERM"
        w.send(b"second half\r\n.\r\n")
        r = w.reply()
        assert r.code == 250 and r.queue_id, "in-flight message after SIGTERM: %s" % r
        qid = r.queue_id
        r = w.cmd("QUIT")
        assert r.code == 221, r
    rc = srv.wait_exit(15)
    assert rc == 0, "petrel serve exit status after SIGTERM: %r" % rc
    srv.start()
    assert srv.queued(qid)["sender"] == "inflight@example.net"


def test_idle_session_gets_421_after_grace(petrel_factory):
    srv = petrel_factory(server={"shutdown_grace": "2s"})
    with srv.wire("relay", timeout=20) as w:
        w.banner()
        w.ehlo()
        t0 = time.monotonic()
        srv.signal(signal.SIGTERM)
        rs = w.replies_until_close(15)
        took = time.monotonic() - t0
        assert rs and rs[-1].code == 421, "idle session at shutdown: %s" % [str(r) for r in rs]
        assert rs[-1].enhanced is not None and rs[-1].enhanced.startswith("4."), rs[-1]
        assert took <= 8, "421 only after %.1fs with shutdown_grace 2s" % took
    rc = srv.wait_exit(10)
    assert rc == 0, "exit status %r" % rc


def test_sigint_also_stops(petrel_factory):
    srv = petrel_factory()
    srv.signal(signal.SIGINT)
    rc = srv.wait_exit(15)
    assert rc == 0, "exit status after SIGINT: %r" % rc
