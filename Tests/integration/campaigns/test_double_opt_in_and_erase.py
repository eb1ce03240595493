"""Double opt-in and GDPR erase, through the API of a real server:

* POST /api/v1/contacts with "double_opt_in": true makes a `pending` contact
  with a consent record (source, time, client IP) and sends a confirmation
  mail (received by the contact's MX) whose signed link /confirm/TOKEN
  subscribes it; a tampered link is 404 and leaves it pending;
* a pending contact is not in a campaign's audience until confirmed;
* POST /api/v1/contacts/{id}/erase removes the contact and its personal
  data: GET is 404, the export no longer has the address, and the address's
  suppression entry survives only as a hash (lookup by address finds
  nothing, re-creating the contact is refused).
"""
import json
import re

from campaign_harness import addr, head, parse, parts
from delivery_harness import wait_until


def _confirm_link(rec) -> str:
    text = parts(parse(rec)).get("text/plain", "")
    match = re.search(r"(http://\S+/confirm/[A-Za-z0-9_-]+)", text)
    assert match, "no confirmation link in %r" % text
    return match.group(1)


def test_double_opt_in_then_erase(campaign_petrel):
    petrel = campaign_petrel()
    mx = petrel.mx

    created = petrel.ok("POST", "/api/v1/contacts", expect=201, json={
        "email": "Optin@D1.test", "first_name": "Olive", "lists": ["news"], "double_opt_in": True})
    cid = created["id"]
    assert created["status"] == "pending" and created["email"] == "optin@d1.test"
    consent = petrel.ok("GET", "/api/v1/contacts/%d/consent" % cid)
    assert consent["source"] == "api" and consent["ip"] == "127.0.0.1" and consent.get("confirmed") is None

    # The confirmation mail reaches the contact.
    wait_until(lambda: [r for r in mx.received() if addr(head(r)["To"]) == "optin@d1.test"], 60,
               "the confirmation mail", on_fail=lambda: petrel.log_tail(30))
    rec = [r for r in mx.received() if addr(head(r)["To"]) == "optin@d1.test"][0]
    assert "confirm" in head(rec)["Subject"].lower()
    link = _confirm_link(rec)
    assert link.startswith(petrel.public + "/confirm/")

    # A campaign to the list leaves the pending contact out.
    petrel.ok("POST", "/api/v1/contacts", expect=201, json={"email": "plain@d1.test", "lists": ["news"]})
    template = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": "t", "subject": "Hello", "html": "<p>Hi {{first_name}}</p>", "text": "Hi"})
    campaign = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
        "name": "c", "template_id": template["id"], "from_address": "news@sender.test",
        "postal_address": "1 Test Road", "audience": {"lists": ["news"]}})
    petrel.ok("POST", "/api/v1/campaigns/%d/send" % campaign["id"], expect=202)
    petrel.wait_status(campaign["id"], "sent")
    assert petrel.analytics(campaign["id"])["sent"] == 1

    # Tampered: 404, still pending.
    token = link.rsplit("/", 1)[1]
    bad = token[:-1] + ("A" if token[-1] != "A" else "B")
    status, _, _ = petrel.api("GET", "/confirm/" + bad, key=None)
    assert status == 404
    assert petrel.ok("GET", "/api/v1/contacts/%d" % cid)["status"] == "pending"
    status, _, page = petrel.api("GET", "/confirm/" + token, key=None)
    assert status == 200 and "confirmed" in page
    assert petrel.ok("GET", "/api/v1/contacts/%d" % cid)["status"] == "subscribed"
    assert petrel.ok("GET", "/api/v1/contacts/%d/consent" % cid)["confirmed"]

    # Suppress, then erase.
    petrel.ok("POST", "/api/v1/suppression", expect=201, json={"address": "optin@d1.test", "kind": "manual"})
    status, _, _ = petrel.api("POST", "/api/v1/contacts/%d/erase" % cid)
    assert status == 204
    status, _, _ = petrel.api("GET", "/api/v1/contacts/%d" % cid)
    assert status == 404
    status, _, export = petrel.api("GET", "/api/v1/contacts/export?format=jsonl")
    # (One line of JSON Lines is also a JSON document, which the helper parses.)
    export = export if isinstance(export, str) else json.dumps(export)
    assert status == 200 and "optin@d1.test" not in export and "plain@d1.test" in export
    status, _, _ = petrel.api("GET", "/api/v1/suppression/optin@d1.test")
    assert status == 404, "the suppression entry must no longer hold the address"
    entries = petrel.ok("GET", "/api/v1/suppression")["items"]
    assert any(e["address"].startswith("sha256:") for e in entries), entries
    assert not any("optin" in e["address"] for e in entries)
    status, _, data = petrel.api("POST", "/api/v1/contacts", json={"email": "optin@d1.test"})
    assert status == 409, (status, data)
