"""Fixtures for the outbound delivery scenarios (one per file, test_delivery_*):
`dns` (dnsmasq), `receivers` (aiosmtpd MX hosts), `sender_mx` (where DSNs
to app@sender.test arrive) and `outbound` (a Petrel on the test clock
delivering through them). The peers and helpers are in delivery_harness.py.
Everything a test starts is stopped at teardown; on failure the Petrel and
dnsmasq logs are printed."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from delivery_harness import (  # noqa: E402
    PETREL_HOSTNAME, SENDER_DOMAIN, DNSServer, OutboundPetrel, Receiver, Receivers)


# ------------------------------------------------------------------------ fixtures


def _failed(node) -> bool:
    return any(getattr(node, "rep_" + w, None) is not None and getattr(node, "rep_" + w).failed
               for w in ("setup", "call"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def dns(tmp_path, request):
    server = DNSServer(tmp_path / "dns")
    yield server
    server.stop()
    if _failed(request.node):
        sys.stderr.write("\n" + server.log_tail() + "\n")


@pytest.fixture
def receivers(tmp_path):
    rs = Receivers(tmp_path)
    yield rs
    rs.stop()


@pytest.fixture
def sender_mx(dns, receivers) -> Receiver:
    """The MX of sender.test, where DSNs to app@sender.test arrive."""
    dns.mx(SENDER_DOMAIN, "mx.sender.test", 10)
    dns.a("mx.sender.test", receivers.ip(20))
    return receivers.add(20, "mx.sender.test")


@pytest.fixture
def outbound(tmp_path, request, dns, receivers, monkeypatch):
    """outbound(delivery={...}, shaping="toml text", start=True) -> OutboundPetrel.
    Starts dnsmasq first if the test did not. Test clock on."""
    monkeypatch.setenv("PETREL_TEST_CLOCK", "1")
    made: list[OutboundPetrel] = []

    def make(delivery: dict | None = None, shaping: str | None = None, start: bool = True,
             **kwargs) -> OutboundPetrel:
        if dns.proc is None:
            dns.start()
        workdir = tmp_path / ("p%d" % len(made))
        workdir.mkdir(parents=True, exist_ok=True)
        d = {"enabled": True, "resolver": dns.address, "port": receivers.port, "tls": "opportunistic",
             "retry_initial": "5m", "retry_factor": 2.0, "retry_max": "1h", "max_age": "5d"}
        if shaping is not None:
            path = workdir / "shaping.toml"
            path.write_text(shaping)
            d["shaping"] = str(path)
        d.update(delivery or {})
        kwargs.setdefault("listeners", [{"name": "relay", "mode": "relay", "tls": "none"}])
        kwargs.setdefault("users", [])
        kwargs.setdefault("spool", {"fsync": False})
        server = {"hostname": PETREL_HOSTNAME}
        server.update(kwargs.pop("server", {}))
        srv = OutboundPetrel(workdir, delivery=d, server=server, **kwargs)
        made.append(srv)
        if start:
            srv.start()
        return srv

    yield make
    for srv in made:
        srv.stop()
    if _failed(request.node):
        for srv in made:
            sys.stderr.write("\n" + srv.log_tail(80) + "\n")
