"""Fixtures for the campaign scenarios (one per file, test_*.py here): a real
`petrel serve` with delivery and the `[http]` server on, MX records in
dnsmasq for the test domains (d0.test … d4.test, sender.test) all pointing
at one aiosmtpd receiver (`petrel.mx`), and an all-scopes API key.

The `dns` and `receivers` fixtures are those of ../delivery/conftest.py
(dnsmasq and the aiosmtpd MX hosts); the server is delivery_harness's
OutboundPetrel extended with `[http]` (campaign_harness.CampaignPetrel).
Unlike `outbound`, the test clock is NOT turned on: the campaign layer
(machine_window, send_at) runs on real time. Everything a test starts is
stopped at teardown; on failure the Petrel logs are printed."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from campaign_harness import DOMAINS, MX_HOST, CampaignPetrel  # noqa: E402
from delivery_harness import PETREL_HOSTNAME  # noqa: E402
from petrel_harness import free_port  # noqa: E402

# delivery/conftest.py under a module name of its own (both files are
# "conftest"): its `dns` and `receivers` fixtures are ours too.
_spec = importlib.util.spec_from_file_location("delivery_conftest", HERE.parent / "delivery" / "conftest.py")
_delivery_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_delivery_conftest)
dns = _delivery_conftest.dns
receivers = _delivery_conftest.receivers
_failed = _delivery_conftest._failed


@pytest.fixture
def campaign_petrel(tmp_path, request, dns, receivers):
    """campaign_petrel(http={...}, extra_toml="", start=True, delivery={...},
    **OutboundPetrel kwargs) -> CampaignPetrel. `[http]` listens on a free
    port with machine_window "0s" unless `http` says otherwise; the spool
    does not fsync unless `spool` says so. After start, `petrel.key` is an
    API key with every scope. Every server made shares the one receiver."""
    made: list[CampaignPetrel] = []
    state: dict = {}

    def make(http: dict | None = None, extra_toml: str = "", start: bool = True, delivery: dict | None = None,
             **kwargs) -> CampaignPetrel:
        if "mx" not in state:
            for d in DOMAINS + ["sender.test"]:
                dns.mx(d, MX_HOST, 10)
            dns.a(MX_HOST, receivers.ip(1))
            state["mx"] = receivers.add(1, MX_HOST)
        if dns.proc is None:
            dns.start()
        workdir = tmp_path / ("c%d" % len(made))
        workdir.mkdir(parents=True, exist_ok=True)
        d = {"enabled": True, "resolver": dns.address, "port": receivers.port, "tls": "opportunistic",
             "retry_initial": "5m", "retry_factor": 2.0, "retry_max": "1h", "max_age": "5d"}
        d.update(delivery or {})
        h = {"enabled": True, "listen": "127.0.0.1:%d" % free_port(), "machine_window": "0s"}
        h.update(http or {})
        kwargs.setdefault("listeners", [{"name": "relay", "mode": "relay", "tls": "none"}])
        kwargs.setdefault("users", [])
        kwargs.setdefault("spool", {"fsync": False})
        server = {"hostname": PETREL_HOSTNAME}
        server.update(kwargs.pop("server", {}))
        srv = CampaignPetrel(workdir, http=h, extra_toml=extra_toml, delivery=d, server=server, **kwargs)
        srv.mx = state["mx"]
        made.append(srv)
        if start:
            srv.start()
            srv.key = srv.create_key("test-all")
        return srv

    yield make
    for srv in made:
        srv.stop()
    if _failed(request.node):
        for srv in made:
            sys.stderr.write("\n" + srv.log_tail(80) + "\n")
