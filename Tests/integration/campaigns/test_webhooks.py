"""Webhooks end to end: a real HTTP receiver (Python's http.server on
loopback) subscribed over the API to delivered, opened, clicked, unsubscribed
and campaign_finished. A campaign to three contacts is delivered to the
aiosmtpd MX; one recipient opens, one clicks, one unsubscribes with the RFC
8058 one-click POST. The receiver answers its first two requests 500 and 503:
those deliveries come again (same body) after the backoff, and the delivery
log shows every attempt. Every request's Petrel-Signature verifies (HMAC-SHA256
over "<t>.<body>" with the webhook's secret, computed here independently). A
webhook subscribed to other events gets nothing; an automation's webhook step
posts to its URL signed with that URL's own secret.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from campaign_harness import (BROWSER_UA, FROM_ADDRESS, contacts_csv, html_links, http, parse, parts,
                              wait_campaign_done, wait_until)


class Receiver:
    """Records every POST (path, headers, body) and answers from `script`, then 200."""

    def __init__(self, script: list[int]):
        self.script = list(script)
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    status = receiver.script.pop(0) if receiver.script else 200
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body,
                                              "status": status, "time": time.time()})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if 200 <= r["status"] < 300]

    def close(self):
        self.server.shutdown()


def verify(request: dict, secret: str) -> bool:
    """Petrel-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>."""
    fields = dict(part.split("=", 1) for part in request["headers"]["Petrel-Signature"].split(","))
    mac = hmac.new(secret.encode(), fields["t"].encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, fields["v1"]) and abs(time.time() - int(fields["t"])) < 300


def test_signed_events_with_retries(campaign_petrel):
    receiver = Receiver([500, 503])
    try:
        petrel = campaign_petrel(extra_toml='[webhooks]\nfirst_retry = "300ms"\nmax_retry = "1s"\nmax_attempts = 6\n')
        for body, field in [({"url": "ftp://x", "events": ["delivered"]}, "url"),
                            ({"url": receiver.url, "events": ["delivered", "sometimes"]}, "events"),
                            ({"url": receiver.url, "events": []}, "events")]:
            status, _, data = petrel.api("POST", "/api/v1/webhooks", json=body)
            assert status == 400 and data["error"]["field"] == field, (body, status, data)
        hook = petrel.ok("POST", "/api/v1/webhooks", expect=201, json={
            "url": receiver.url + "/events", "events": ["delivered", "opened", "clicked", "unsubscribed",
                                                        "campaign_finished"]})
        secret = hook["secret"]
        assert secret.startswith("whsec_") and len(secret) > 40, hook
        listed = petrel.ok("GET", "/api/v1/webhooks")["items"]
        assert listed and "secret" not in listed[0], listed
        other = petrel.ok("POST", "/api/v1/webhooks", expect=201, json={
            "url": receiver.url + "/other", "events": ["complained", "bounced"]})

        # ---- a campaign to three contacts
        rows = [{"email": "w%d@d%d.test" % (i, i), "first_name": "W%d" % i} for i in range(3)]
        petrel.import_csv(contacts_csv(rows, ["email", "first_name"]), list_name="hooks")
        tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={
            "name": "hooks", "subject": "Hooked", "html": '<p>Hi {{first_name}} <a href="https://x.example/a">a</a></p>',
            "text": "Hi"})
        camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
            "name": "hooks", "template_id": tpl["id"], "from_address": FROM_ADDRESS, "postal_address": "1 Hook St",
            "audience": {"lists": ["hooks"]}})
        petrel.ok("POST", "/api/v1/campaigns/%d/send" % camp["id"], expect=202)
        msgs = sorted(wait_campaign_done(petrel, camp["id"], 3), key=lambda r: r.rcpt_tos[0])
        pixel = [s for s in html_links(parts(parse(msgs[0]))["text/html"])[1] if "/t/o/" in s][0]
        assert http("GET", pixel, headers={"User-Agent": BROWSER_UA})[0] == 200
        click = [h for h, _ in html_links(parts(parse(msgs[1]))["text/html"])[0] if "/t/c/" in h][0]
        assert http("GET", click, headers={"User-Agent": BROWSER_UA})[0] == 302
        unsubscribe = str(parse(msgs[2])["List-Unsubscribe"]).strip("<> ")
        status, _, _ = http("POST", unsubscribe, body="List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (200, 204), status

        # ---- what the receiver got
        want = {"delivered": 3, "campaign_finished": 1, "opened": 1, "clicked": 1, "unsubscribed": 1}

        def events():
            got = {}
            for r in receiver.accepted():
                if r["path"] == "/events":
                    e = json.loads(r["body"])["event"]
                    got[e] = got.get(e, 0) + 1
            return got if got == want else None
        wait_until(events, 60, "the events %r" % want, on_fail=lambda: repr([
            (r["path"], r["status"], r["body"][:80]) for r in receiver.requests]))

        by_id: dict[str, list[dict]] = {}
        for r in receiver.requests:
            assert r["path"] == "/events", "the webhook for other events got %r" % r
            assert verify(r, secret), "bad signature: %r" % r["headers"]
            assert not verify(r, secret + "x") and not verify(dict(r, body=r["body"] + b" "), secret)
            body = json.loads(r["body"])
            assert r["headers"]["Petrel-Event"] == body["event"] and r["headers"]["Petrel-Delivery"] == body["id"]
            assert r["headers"]["Content-Type"] == "application/json"
            by_id.setdefault(body["id"], []).append(r)
        # The first two answers failed: those deliveries came again with the same body, after the backoff.
        failed = receiver.requests[:2]
        assert [r["status"] for r in failed] == [500, 503]
        for r in failed:
            tries = by_id[json.loads(r["body"])["id"]]
            assert tries[-1]["status"] == 200 and all(t["body"] == tries[0]["body"] for t in tries), tries
            assert tries[1]["time"] - tries[0]["time"] >= 0.25, "retried before the backoff"
        # Data: the delivered events name the recipients, the activity events the campaign and contact.
        delivered = [json.loads(r["body"])["data"] for r in receiver.accepted()
                     if json.loads(r["body"])["event"] == "delivered"]
        assert sorted(d["recipient"] for d in delivered) == sorted(r["email"] for r in rows), delivered
        assert all(d["campaign"] == "c%d" % camp["id"] for d in delivered), delivered
        opened = [json.loads(r["body"])["data"] for r in receiver.accepted()
                  if json.loads(r["body"])["event"] == "opened"][0]
        assert opened["campaign_id"] == camp["id"] and opened["machine"] is False, opened

        # ---- the delivery log: every attempt, with its status
        log = petrel.ok("GET", "/api/v1/webhooks/%d/deliveries" % hook["id"])
        assert len(log) == sum(want.values()) and all(d["status"] == "delivered" for d in log), log
        retried = [d for d in log if len(d["attempts"]) > 1]
        codes = sorted(a["status_code"] for d in retried for a in d["attempts"])
        assert 500 in codes and 503 in codes, retried
        assert petrel.ok("GET", "/api/v1/webhooks/%d/deliveries" % other["id"]) == []

        # ---- an automation's webhook step: its own webhook (events []), its own secret
        petrel.ok("POST", "/api/v1/automations", expect=201, json={
            "name": "ping", "from_address": FROM_ADDRESS, "trigger": {"type": "event", "event": "ping"},
            "steps": [{"type": "webhook", "url": receiver.url + "/step"}]})
        petrel.ok("POST", "/api/v1/events", expect=202, json={"event": "ping", "email": rows[0]["email"]})
        step = wait_until(lambda: [r for r in receiver.accepted() if r["path"] == "/step"], 30, "the webhook step")
        step_hook = [w for w in petrel.ok("GET", "/api/v1/webhooks")["items"] if w["url"] == receiver.url + "/step"]
        assert len(step_hook) == 1 and step_hook[0]["events"] == [], step_hook
        step_secret = petrel.ok("GET", "/api/v1/webhooks/%d" % step_hook[0]["id"])["secret"]
        assert verify(step[0], step_secret) and not verify(step[0], secret)
        data = json.loads(step[0]["body"])["data"]
        assert data["step"] == "webhook" and data["email"] == rows[0]["email"], data
    finally:
        receiver.close()
