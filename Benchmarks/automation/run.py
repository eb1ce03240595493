#!/usr/bin/env python3
"""Flow engine throughput: contacts advanced per second through a 5-step automation.

Imports N contacts into the list that triggers the flow (`petrel contacts import`), then times, over the
HTTP API, how long `petrel serve` takes to move every contact through:

    1 send "Welcome"  2 tag onboarded  3 wait one day  4 branch on a segment (tag onboarded) → list engaged
    5 send "Next steps"

with the test clock (PETREL_TEST_CLOCK=1, the day passed with CLOCK ADVANCE on the control socket), delivery on
with a resolver that never answers and the recipient domains suspended: every message is rendered, written to
the spool (fsync on) and queued, not delivered. Prints contacts/s (N over the time spent in steps, the waited
day excluded) and steps/s.

    Benchmarks/automation/run.py [--contacts 20000] [--petrel .build/release/petrel]
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Benchmarks"))

from petrel_api import api, api_key, bench_config, free_port, stop, wait_up  # noqa: E402




def control(data: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(str(data / "control.sock"))
        s.sendall(command.encode() + b"\n")
        return s.recv(4096).decode().strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=20_000)
    ap.add_argument("--petrel", default=str(REPO / ".build/release/petrel"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    n = args.contacts
    work = Path(tempfile.mkdtemp(prefix="petrel-automation-bench-"))
    data = work / "data"
    port = free_port()
    config = work / "petrel.toml"
    config.write_text(bench_config(data, port))
    log = open(work / "petrel.log", "w")
    env = dict(os.environ, PETREL_TEST_CLOCK="1")
    server = subprocess.Popen([args.petrel, "serve", "--config", str(config)], stdout=log, stderr=log, env=env)
    try:
        wait_up(port, "/automations")  # the server up (and its database migrated) first
        key = api_key(args.petrel, config)
        for d in range(20):
            control(data, "SUSPEND d%d.test" % d)
        for name in ("flow", "engaged"):
            assert api(port, key, "POST", "/lists", {"name": name})[0] == 201
        html = "<html><body><p>Hello {{first_name}}</p><p><a href=\"https://shop.example/x\">Shop</a></p></body></html>"
        ids = []
        for subject in ("Welcome", "Next steps"):
            status, tpl = api(port, key, "POST", "/templates", {"name": subject, "subject": subject, "html": html,
                                                                "text": "Hello {{first_name}}"})
            assert status == 201, tpl
            ids.append(tpl["id"])
        status, flow = api(port, key, "POST", "/automations", {
            "name": "bench", "from_address": "news@bench.test", "postal_address": "1 Bench Street",
            "trigger": {"type": "list_subscribed", "list": "flow"},
            "steps": [
                {"type": "send", "template_id": ids[0]},
                {"type": "tag", "add": "onboarded"},
                {"type": "wait", "seconds": 86400},
                {"type": "branch", "condition": {"segment": {"tag": "onboarded"}},
                 "then": [{"type": "list", "add": "engaged"}]},
                {"type": "send", "template_id": ids[1]},
            ]})
        assert status == 201, flow
        csv = work / "contacts.csv"
        with csv.open("w") as f:
            f.write("email,first_name\n")
            for i in range(n):
                f.write("user%d@d%d.test,First%d\n" % (i, i % 20, i))
        out = subprocess.run([args.petrel, "contacts", "import", "--config", str(config), "--list", "flow", str(csv)],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        started = time.monotonic()

        def runs():
            return api(port, key, "GET", "/automations/%d" % flow["id"])[1]
        while True:
            state = runs()
            # Position 3 is the wait (program: send, tag, wait, branch, list, jump, send).
            if state.get("active_by_position", {}).get("2") == n:
                break
            time.sleep(0.2)
        first = time.monotonic() - started
        print(control(data, "CLOCK ADVANCE 86401"))
        started = time.monotonic()
        while runs().get("runs", {}).get("done") != n:
            time.sleep(0.2)
        second = time.monotonic() - started
        steps = runs()["steps_done"]
        total = first + second
        print("entered and advanced to the wait: %d contacts in %.1f s (2 steps each, one a send)" % (n, first))
        print("after the day: %d contacts through 3 steps in %.1f s (one a send)" % (n, second))
        print("flow: %d contacts through 5 steps in %.1f s = %.0f contacts/s, %.0f steps/s (%d steps logged)"
              % (n, total, n / total, steps / total, steps))
    finally:
        stop(server, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
