"""`GET /api/v1/openapi.json` (no key) is an OpenAPI 3.1.0 document that
tells the truth about the router:

* it is JSON with openapi "3.1.0", info, paths, and every `$ref` resolves
  inside the document; every operation has responses;
* every documented operation that declares security answers 401 without a
  key;
* every documented path + method, called with a valid key on real objects
  (a contact, list, segment, template, campaign, suppressed address made
  beforehand; DELETE and erase on objects of their own, last), answers
  something other than 404 / 405 -- and never a 5xx.
"""
from campaign_harness import FROM_ADDRESS, contacts_csv, http, wait_until

TEMPLATE = {"name": "oa", "subject": "Hi {{first_name}}", "html": "<p>Hi {{first_name}}</p>",
            "text": "Hi {{first_name}}"}
SAMPLE = {"email": "sample@d0.test", "first_name": "Sam", "fields": {}}


def _refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def _resolve(doc, ref):
    assert ref.startswith("#/"), "external $ref %r" % ref
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, "unresolved $ref %r" % ref
        node = node[part]
    return node


def test_openapi_document_matches_the_router(campaign_petrel):
    petrel = campaign_petrel()
    status, headers, doc = http("GET", petrel.base + "/api/v1/openapi.json")
    assert status == 200 and "json" in headers.get("Content-Type", ""), (status, dict(headers))
    assert isinstance(doc, dict), "not a JSON object: %r" % (doc if not isinstance(doc, bytes) else doc[:200])
    assert doc.get("openapi") == "3.1.0", doc.get("openapi")
    assert doc.get("info", {}).get("title") and doc["info"].get("version"), doc.get("info")
    paths = doc.get("paths")
    assert isinstance(paths, dict) and paths, "no paths"
    for ref in set(_refs(doc)):
        _resolve(doc, ref)
    prefix = (doc.get("servers") or [{"url": ""}])[0]["url"].rstrip("/")
    assert prefix.endswith("/api/v1") or any(p.startswith("/api/v1/") for p in paths), (prefix, list(paths)[:5])

    methods = ("get", "post", "put", "patch", "delete")
    ops = [(m, p, op) for p, item in paths.items() for m, op in item.items() if m in methods]
    assert len(ops) >= 40, "only %d operations documented" % len(ops)
    for m, p, op in ops:
        assert op.get("responses"), "%s %s has no responses" % (m.upper(), p)
    # The router's core: every resource the brief names is documented.
    documented = {(m, p) for m, p, _ in ops}
    for want in [("post", "/imports"), ("get", "/contacts"), ("post", "/contacts"), ("get", "/contacts/{id}"),
                 ("post", "/contacts/{id}/erase"), ("get", "/contacts/export"), ("post", "/lists"),
                 ("post", "/lists/{id}/members"), ("post", "/segments"), ("get", "/segments/{id}/count"),
                 ("post", "/templates"), ("put", "/templates/{id}"), ("post", "/templates/{id}/preview"),
                 ("post", "/campaigns"), ("post", "/campaigns/{id}/send"), ("post", "/campaigns/{id}/pause"),
                 ("post", "/campaigns/{id}/resume"), ("post", "/campaigns/{id}/cancel"),
                 ("post", "/campaigns/{id}/duplicate"), ("post", "/campaigns/{id}/test"),
                 ("get", "/campaigns/{id}/analytics"), ("get", "/suppression/{address}"), ("post", "/messages"),
                 ("get", "/campaigns/{id}/ab"), ("post", "/campaigns/{id}/ab/winner"), ("post", "/automations"),
                 ("get", "/automations/{id}"), ("post", "/events"), ("post", "/webhooks"),
                 ("get", "/webhooks/{id}/deliveries")]:
        assert want in documented, "%s %s is not in openapi.json" % (want[0].upper(), want[1])

    # ---- without a key: 401 wherever security is declared
    unauth = []
    for m, p, op in ops:
        if op.get("security", doc.get("security")):
            url = petrel.base + prefix + p.replace("{id}", "1").replace("{version}", "1").replace(
                "{address}", "x@d0.test")
            s, _, _ = http(m.upper(), url, json={} if m in ("post", "put", "patch") else None)
            if s != 401:
                unauth.append((m.upper(), p, s))
    assert not unauth, "documented as secured but not 401 without a key: %r" % unauth

    # ---- real objects
    api = petrel.ok
    list_id = api("POST", "/api/v1/lists", expect=201, json={"name": "oa-list"})["id"]
    victim_list = api("POST", "/api/v1/lists", expect=201, json={"name": "oa-victim"})["id"]

    def contact(email):
        return api("POST", "/api/v1/contacts", expect=201, json={"email": email, "first_name": "O",
                                                                  "lists": ["oa-list"]})["id"]
    main_contact, other_contact = contact("oa-main@d0.test"), contact("oa-other@d1.test")
    victims = {"contacts": contact("oa-delete@d2.test"), "erase": contact("oa-erase@d3.test"), "lists": victim_list}
    seg = api("POST", "/api/v1/segments", expect=201, json={"name": "oa", "definition": {"tag": "x"}})["id"]
    victims["segments"] = api("POST", "/api/v1/segments", expect=201,
                              json={"name": "oa-victim", "definition": {"tag": "y"}})["id"]
    tpl = api("POST", "/api/v1/templates", expect=201, json=TEMPLATE)["id"]
    victims["templates"] = api("POST", "/api/v1/templates", expect=201, json=dict(TEMPLATE, name="oa-victim"))["id"]
    campaign = {"name": "oa", "template_id": tpl, "from_address": FROM_ADDRESS, "from_name": "OA",
                "postal_address": "1 Test Street", "audience": {"lists": ["oa-list"]},
                "ab_test": {"variants": [{"subject": "A"}, {"subject": "B"}]}}
    camp = api("POST", "/api/v1/campaigns", expect=201, json=campaign)["id"]
    victims["campaigns"] = api("POST", "/api/v1/campaigns", expect=201, json=dict(campaign, name="oa-victim"))["id"]
    supp = "oa-suppressed@d4.test"
    api("POST", "/api/v1/suppression", expect=(200, 201), json={"address": supp})
    flow = {"name": "oa", "from_address": FROM_ADDRESS, "trigger": {"type": "event", "event": "oa"},
            "steps": [{"type": "webhook", "url": "http://127.0.0.1:9/oa"}]}
    automation = api("POST", "/api/v1/automations", expect=201, json=flow)["id"]
    victims["automations"] = api("POST", "/api/v1/automations", expect=201, json=dict(flow, name="oa-victim"))["id"]
    hook = api("POST", "/api/v1/webhooks", expect=201, json={"url": "http://127.0.0.1:9/h", "events": ["opened"]})["id"]
    victims["webhooks"] = api("POST", "/api/v1/webhooks", expect=201,
                              json={"url": "http://127.0.0.1:9/v", "events": ["opened"]})["id"]
    # A delivery to retry: the flow's webhook step, to a port where nobody listens.
    api("POST", "/api/v1/events", expect=202, json={"event": "oa", "email": "oa-main@d0.test"})
    step_hook = wait_until(lambda: [w["id"] for w in api("GET", "/api/v1/webhooks")["items"]
                                    if w["url"] == "http://127.0.0.1:9/oa"], 30, "the webhook step")[0]
    delivery = wait_until(lambda: api("GET", "/api/v1/webhooks/%d/deliveries" % step_hook), 30, "a delivery")[0]["id"]
    ids = {"contacts": main_contact, "lists": list_id, "segments": seg, "templates": tpl, "campaigns": camp,
           "automations": automation, "webhooks": hook}

    bodies = {
        ("post", "/contacts"): {"email": "oa-new@d0.test", "first_name": "New"},
        ("patch", "/contacts/{id}"): {"first_name": "Patched"},
        ("put", "/contacts/{id}"): {"first_name": "Put"},
        ("post", "/lists"): {"name": "oa-new"},
        ("patch", "/lists/{id}"): {"name": "oa-list"},
        ("post", "/lists/{id}/members"): {"contact_ids": [main_contact]},
        ("post", "/lists/{id}/members/remove"): {"contact_ids": [other_contact]},
        ("post", "/segments"): {"name": "oa-new", "definition": {"tag": "z"}},
        ("post", "/segments/count"): {"definition": {"tag": "z"}},
        ("patch", "/segments/{id}"): {"name": "oa-renamed"},
        ("put", "/segments/{id}"): {"name": "oa-renamed", "definition": {"tag": "x"}},
        ("post", "/templates"): dict(TEMPLATE, name="oa-new"),
        ("post", "/templates/preview"): dict(TEMPLATE, sample=SAMPLE),
        ("put", "/templates/{id}"): TEMPLATE,
        ("post", "/templates/{id}/preview"): {"sample": SAMPLE},
        ("post", "/campaigns"): dict(campaign, name="oa-new"),
        ("patch", "/campaigns/{id}"): {"name": "oa-patched"},
        ("put", "/campaigns/{id}"): dict(campaign, name="oa-put"),
        ("post", "/campaigns/{id}/test"): {"addresses": ["oa-test@d4.test"]},
        ("post", "/suppression"): {"address": "oa-added@d4.test"},
        ("post", "/messages"): {"from": FROM_ADDRESS, "to": ["oa-tx@d2.test"], "subject": "s", "text": "t"},
        ("post", "/automations"): dict(flow, name="oa-new"),
        ("patch", "/automations/{id}"): {"name": "oa-renamed"},
        ("post", "/webhooks"): {"url": "http://127.0.0.1:9/n", "events": ["clicked"]},
        ("patch", "/webhooks/{id}"): {"description": "patched"},
        ("post", "/events"): {"event": "oa", "email": "oa-other@d1.test"},
        ("post", "/campaigns/{id}/ab/winner"): {"variant": "B"},
    }

    def is_last(m, p):
        return m == "delete" or p.endswith("/erase")
    ordered = [o for o in ops if not is_last(o[0], o[1])] + [o for o in ops if is_last(o[0], o[1])]
    bad = []
    for m, p, op in ordered:
        resource = p.strip("/").split("/")[0]
        oid = ids.get(resource, 1)
        if m == "delete":
            oid = victims.get(resource, oid)
        if p.endswith("/erase"):
            oid = victims["erase"]
        if p == "/webhooks/deliveries/{id}/retry":
            oid = delivery
        path = prefix + p.replace("{id}", str(oid)).replace("{version}", "1").replace("{address}", supp).replace(
            "{contact}", str(main_contact))
        headers = {}
        json = body = None
        if (m, p) == ("post", "/imports"):
            body = contacts_csv([{"email": "oa-import@d1.test", "first_name": "I"}], ["email", "first_name"])
            headers["Content-Type"] = "text/csv"
            path += "?list=oa-list"
        elif (m, p) in bodies:
            json = bodies[(m, p)]
        elif m in ("post", "put", "patch") and (m, p) != ("post", "/campaigns/{id}/send"):
            json = {}
        s, _, data = petrel.api(m.upper(), path, json=json, body=body, headers=headers)
        if s in (404, 405) or s >= 500:
            bad.append("%s %s -> %d %r" % (m.upper(), path, s, data if not isinstance(data, bytes) else data[:100]))
    assert not bad, "documented operations not answered:\n" + "\n".join(bad)
