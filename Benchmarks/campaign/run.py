#!/usr/bin/env python3
"""Render-and-enqueue rate of a campaign, through the real interfaces.

Imports N contacts with `petrel contacts import` (printing the import rate), starts `petrel serve`
(fsync on, delivery on with a resolver that never answers, so every message is rendered, DKIM-less,
written to the spool with group commit and scheduled in the queue manager but not delivered), creates
a ~3 KB HTML template with ten links over the HTTP API, sends a campaign to all N contacts and prints
messages per second from the campaign's started/finished times, plus the segment count time.

    Benchmarks/campaign/run.py [--contacts 1000000] [--petrel .build/release/petrel]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Benchmarks"))

from petrel_api import api, api_key, bench_config, free_port, stop, wait_up  # noqa: E402




HTML = "<html><body><h1>Hello {{first_name}}</h1>" + "".join(
    '<p>Paragraph %d for {{first_name}} {{last_name}} in {{fields.city}}: lorem ipsum dolor sit amet, '
    'consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '
    '<a href="https://shop.example.com/item/%d?utm_source=petrel&amp;utm_campaign={{campaign.id}}">Item %d</a></p>'
    % (n, n, n) for n in range(10)) + "</body></html>"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--contacts", type=int, default=1_000_000)
    ap.add_argument("--petrel", default=str(REPO / ".build/release/petrel"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="petrel-campaign-bench-"))
    data = work / "data"
    port = free_port()
    config = work / "petrel.toml"
    config.write_text(bench_config(data, port))
    csv = work / "contacts.csv"
    cities = ["Paris", "Lyon", "Rome", "Oslo", "Kyiv"]
    with csv.open("w") as f:
        f.write("email,first_name,last_name,city\n")
        for n in range(args.contacts):
            f.write("user%d@d%d.test,First%d,Last%d,%s\n" % (n, n % 20, n, n, cities[n % 5]))
    started = time.monotonic()
    out = subprocess.run([args.petrel, "contacts", "import", "--config", str(config), "--list", "all", str(csv)],
                         capture_output=True, text=True)
    took = time.monotonic() - started
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        return 1
    print("import: %d contacts in %.2f s = %.0f contacts/s (petrel contacts import, fsync on)"
          % (args.contacts, took, args.contacts / took))
    log = open(work / "petrel.log", "w")
    server = subprocess.Popen([args.petrel, "serve", "--config", str(config)], stdout=log, stderr=log)
    try:
        key = api_key(args.petrel, config)
        wait_up(port, "/campaigns")
        if not os.environ.get("NO_SEGMENT"):
            status, segment = api(port, key, "POST", "/segments", {
                "name": "two-cities", "definition": {"custom": "city", "op": "in", "value": ["Paris", "Rome"]}})
            assert status == 201, (status, segment)
            status, count = api(port, key, "GET", "/segments/%d/count" % segment["id"])
            print("segment count: %d of %d contacts in %.3f s (custom field in [2 values], over the HTTP API)"
                  % (count["count"], args.contacts, count["seconds"]))
        for n in range(20):
            subprocess.run([args.petrel, "queue", "suspend", "d%d.test" % n, "--config", str(config)],
                           capture_output=True, check=True)
        status, template = api(port, key, "POST", "/templates", {
            "name": "bench", "subject": "News for {{first_name}}", "html": HTML,
            "text": "Hello {{first_name}}, see {{unsubscribe_url}}"})
        assert status == 201, template
        status, campaign = api(port, key, "POST", "/campaigns", {
            "name": "bench", "template_id": template["id"], "from_address": "news@bench.test",
            "postal_address": "1 Bench Street", "audience": {"lists": ["all"]}})
        assert status == 201, campaign
        cpu_before = cpu_seconds(server.pid)
        sent_at = time.monotonic()
        status, _ = api(port, key, "POST", "/campaigns/%d/send" % campaign["id"])
        assert status == 202
        while True:
            time.sleep(0.5)
            status, state = api(port, key, "GET", "/campaigns/%d" % campaign["id"])
            if state["status"] in ("sent", "paused", "cancelled"):
                break
        wall = time.monotonic() - sent_at
        cpu = cpu_seconds(server.pid) - cpu_before
        if state["status"] != "sent":
            print("campaign ended %s; see %s" % (state["status"], work / "petrel.log"))
            return 1
        t0 = datetime.fromisoformat(state["started"].replace("Z", "+00:00"))
        t1 = datetime.fromisoformat(state["finished"].replace("Z", "+00:00"))
        status, analytics = api(port, key, "GET", "/campaigns/%d/analytics" % campaign["id"])
        seconds = wall  # from the send request to the status read as sent (0.5 s polls)
        del t0, t1
        size = os.path.getsize(data / "petrel.sqlite")
        print("campaign: %d messages rendered, spooled (fsync) and queued in %.1f s = %.0f messages/s"
              % (analytics["sent"], seconds, analytics["sent"] / seconds))
        print("server CPU during the campaign: %.1f s = %.2f cores (of %d)" % (cpu, cpu / wall, os.cpu_count()))
        print("(html part %d bytes before links; sqlite %d MB)" % (len(HTML), size >> 20))
    finally:
        stop(server, work, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
