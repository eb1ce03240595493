"""The API's errors are JSON `{"error": {"code", "message", "field"}}` with
the right 4xx, and name the offending field:

* 401 without a key, with a malformed key and with an unknown `pk_` key;
  403 with a key that lacks the route's scope (the same key works where it
  has the scope);
* 400 naming the field: a contact with a bad email ("email"), a campaign
  without from_address ("from_address"), a segment with an unknown operator
  ("definition.and[0].op"), a template that does not compile (the part:
  "html"), a body that is not JSON; a template with an unknown variable is
  saved (201) with a "problems" entry;
* 404 JSON for unknown ids of every resource;
* pagination: per_page=0 and page=0 are 400 naming the parameter; pages of
  2 over 5 contacts are 2, 2, 1 with no overlap and the right total;
* POST /api/v1/messages with an Idempotency-Key twice: the same body (and
  Idempotent-Replayed: true) and exactly one message received; a new key
  sends a new message.
"""
import time

from campaign_harness import FROM_ADDRESS, addr, error_of, head
from delivery_harness import wait_until


def _err(petrel, method, path, status, json=None, field=None, **kw):
    got, _, data = petrel.api(method, path, json=json, **kw)
    assert got == status, "%s %s -> %d (want %d): %r" % (method, path, got, status, data)
    err = error_of(got, data)
    if field is not None:
        assert err.get("field") == field, "%s %s: field %r, want %r: %r" % (method, path, err.get("field"), field,
                                                                           err)
    return err


def test_api_errors(campaign_petrel):
    petrel = campaign_petrel()

    # ---- authentication and scopes
    _err(petrel, "GET", "/api/v1/contacts", 401, key=None)
    _err(petrel, "GET", "/api/v1/contacts", 401, key="not-a-key")
    _err(petrel, "GET", "/api/v1/contacts", 401, key="pk_" + "0" * 40)
    contacts_only = petrel.create_key("contacts-only", "contacts")
    petrel.ok("GET", "/api/v1/contacts", key=contacts_only)
    _err(petrel, "GET", "/api/v1/campaigns", 403, key=contacts_only)
    _err(petrel, "POST", "/api/v1/messages", 403, key=contacts_only, json={
        "from": FROM_ADDRESS, "to": ["x@d0.test"], "subject": "s", "text": "t"})

    # ---- 400 naming the field
    _err(petrel, "POST", "/api/v1/contacts", 400, json={"email": "not-an-address"}, field="email")
    _err(petrel, "POST", "/api/v1/contacts", 400, json={"email": "a@@d0.test"}, field="email")
    status, _, data = petrel.api("POST", "/api/v1/contacts", body="{not json",
                                 headers={"Content-Type": "application/json"})
    assert status == 400, (status, data)
    error_of(status, data)

    tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": "t", "subject": "Hi {{first_name}}", "html": "<p>{{nickname}}</p>", "text": "x"})
    assert {"part": "html", "variable": "nickname", "problem": "unknown"} in tpl["problems"], tpl
    _err(petrel, "POST", "/api/v1/templates", 400, field="html", json={
        "name": "broken", "subject": "Hi", "html": "<p>{{#vip}}VIP</p>", "text": "x"})
    _err(petrel, "POST", "/api/v1/templates", 400, field="subject", json={
        "name": "broken2", "subject": "Hi {{first_name", "html": "<p>x</p>", "text": "x"})

    _err(petrel, "POST", "/api/v1/campaigns", 400, field="from_address", json={
        "name": "no from", "template_id": tpl["id"], "postal_address": "1 Test Street",
        "audience": {"lists": ["x"]}})
    _err(petrel, "POST", "/api/v1/segments", 400, field="definition.and[0].op", json={
        "name": "bad", "definition": {"and": [{"field": "status", "op": "resembles", "value": "x"}]}})
    _err(petrel, "POST", "/api/v1/segments", 400, field="definition.or[1].custom", json={
        "name": "bad2", "definition": {"or": [{"tag": "vip"}, {"custom": "a;b", "op": "exists"}]}})

    # ---- 404 for unknown ids
    for path in ("/api/v1/contacts/999999", "/api/v1/lists/999999", "/api/v1/segments/999999",
                 "/api/v1/segments/999999/count", "/api/v1/templates/999999", "/api/v1/campaigns/999999",
                 "/api/v1/campaigns/999999/analytics", "/api/v1/suppression/nobody@d0.test"):
        err = _err(petrel, "GET", path, 404)
        assert err["code"] == "not_found", err
    _err(petrel, "POST", "/api/v1/campaigns/999999/send", 404)
    _err(petrel, "DELETE", "/api/v1/contacts/999999", 404)

    # ---- pagination
    petrel.ok("POST", "/api/v1/lists", expect=201, json={"name": "paged"})
    for i in range(5):
        petrel.ok("POST", "/api/v1/contacts", expect=201, json={
            "email": "page%d@d2.test" % i, "first_name": "P%d" % i, "lists": ["paged"]})
    _err(petrel, "GET", "/api/v1/contacts?per_page=0", 400, field="per_page")
    _err(petrel, "GET", "/api/v1/contacts?per_page=abc", 400, field="per_page")
    _err(petrel, "GET", "/api/v1/contacts?page=0", 400, field="page")
    seen = []
    for page, size in ((1, 2), (2, 2), (3, 1), (4, 0)):
        data = petrel.ok("GET", "/api/v1/contacts?list=paged&per_page=2&page=%d" % page)
        assert (data["total"], data["page"], data["per_page"], len(data["items"])) == (5, page, 2, size), data
        seen += [c["email"] for c in data["items"]]
    assert sorted(seen) == ["page%d@d2.test" % i for i in range(5)], seen

    # ---- idempotent transactional message
    mx = petrel.mx
    message = {"from": FROM_ADDRESS, "to": ["tx@d1.test"], "subject": "Your receipt", "html": "<p>Thanks</p>"}
    s1, h1, b1 = petrel.api("POST", "/api/v1/messages", json=message, headers={"Idempotency-Key": "order-42"})
    assert s1 == 202 and set(b1) >= {"id", "message_id", "recipients"} and b1["recipients"] == 1, (s1, b1)
    assert h1.get("Idempotent-Replayed") is None
    s2, h2, b2 = petrel.api("POST", "/api/v1/messages", json=message, headers={"Idempotency-Key": "order-42"})
    assert (s2, b2) == (s1, b1), "the repeat answered differently: %d %r vs %d %r" % (s2, b2, s1, b1)
    assert h2.get("Idempotent-Replayed") == "true", dict(h2)

    def to_tx():
        return [r for r in mx.received() if addr(head(r)["To"]) == "tx@d1.test"]
    wait_until(lambda: len(to_tx()) >= 1, 30, "the transactional message", on_fail=petrel.log_tail)
    wait_until(petrel.idle, 30, "the queue to empty")
    time.sleep(1)
    got = to_tx()
    assert len(got) == 1, "%d messages for one Idempotency-Key" % len(got)
    assert head(got[0])["Message-ID"].strip("<> ") == b1["message_id"].strip("<> "), (head(got[0])["Message-ID"], b1)

    s3, _, b3 = petrel.api("POST", "/api/v1/messages", json=message, headers={"Idempotency-Key": "order-43"})
    assert s3 == 202 and b3["id"] != b1["id"] and b3["message_id"] != b1["message_id"], (s3, b3)
    wait_until(lambda: len(to_tx()) >= 2, 30, "the second transactional message", on_fail=petrel.log_tail)
