"""Automations end to end, on the test clock (PETREL_TEST_CLOCK=1, moved by
`CLOCK ADVANCE` on the control socket), through the HTTP API and the aiosmtpd MX.

- A drip over 1,000 contacts: joining the list "welcome" (a CSV import)
  enters the flow: welcome mail, wait a day, first drip, wait two days, then a
  branch on "opened the previous message" (thanks / we miss you), then a tag.
  Ten contacts unsubscribe after the welcome mail and five reach the goal (tag
  "buyer"): they leave before the first drip. Half of the rest open the first
  drip. The process is killed (-9) while the first drips go out and started
  again; at the end every contact has had each step's mail exactly once —
  nothing lost, nothing repeated — and the flow shows 985 runs done.
- A custom event (`POST /api/v1/events`) enters a flow once per contact, or
  once per event when re-entry is allowed.
"""
from __future__ import annotations

from collections import Counter

from campaign_harness import (DOMAINS, FROM_ADDRESS, addr, contacts_csv, head, html_links, http, parse,
                              parts, wait_until)

N = 1000
DAY = 86_400


def _template(petrel, name: str, subject: str) -> int:
    html = ('<html><body><p>%s, {{first_name}}.</p><p><a href="https://shop.example/%s">More</a></p>'
            '</body></html>' % (subject, name))
    return petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": name, "subject": subject, "html": html, "text": subject + " {{unsubscribe_url}}"})["id"]


def _by_subject(petrel) -> dict[str, Counter]:
    """{subject: Counter(recipient)} of everything the MX received."""
    out: dict[str, Counter] = {}
    for rec in petrel.mx.received():
        out.setdefault(str(head(rec)["Subject"]), Counter())[addr(head(rec)["To"])] += 1
    return out


def _wait_count(petrel, subject: str, n: int, timeout: float = 120, clock: bool = False):
    """Waits for `n` messages with `subject` at the MX. With `clock`, the test clock moves 5 s per poll
    meanwhile, as real time would: the queue's pacing (connection and rate limits) waits on that clock."""
    def arrived():
        if clock:
            petrel.advance(5)
        return sum(_by_subject(petrel).get(subject, Counter()).values()) >= n
    wait_until(arrived, timeout,
               "%d messages %r" % (n, subject),
               on_fail=lambda: "got %r\n%s" % ({k: sum(v.values()) for k, v in _by_subject(petrel).items()},
                                                petrel.log_tail(30)))


def _contact_id(petrel, email: str) -> int:
    page = petrel.ok("GET", "/api/v1/contacts?per_page=1000&q=" + email)
    items = [c for c in page["items"] if c["email"] == email]
    assert items, page
    return items[0]["id"]


def test_drip_with_branch_survives_kill9(campaign_petrel, monkeypatch):
    monkeypatch.setenv("PETREL_TEST_CLOCK", "1")
    petrel = campaign_petrel()
    petrel.ok("POST", "/api/v1/lists", expect=201, json={"name": "welcome"})
    ids = {name: _template(petrel, name, subject) for name, subject in [
        ("welcome", "Welcome"), ("drip1", "First drip"), ("thanks", "Thanks for reading"), ("miss", "We miss you")]}
    flow = petrel.ok("POST", "/api/v1/automations", expect=201, json={
        "name": "Onboarding", "from_address": FROM_ADDRESS, "postal_address": "1 Flow Street",
        "trigger": {"type": "list_subscribed", "list": "welcome"},
        "goal": {"tag": "buyer"},
        "steps": [
            {"type": "send", "template_id": ids["welcome"]},
            {"type": "wait", "seconds": DAY},
            {"type": "send", "template_id": ids["drip1"]},
            {"type": "wait", "seconds": 2 * DAY},
            {"type": "branch", "condition": {"opened": "previous"},
             "then": [{"type": "send", "template_id": ids["thanks"]}],
             "else": [{"type": "send", "template_id": ids["miss"]}]},
            {"type": "tag", "add": "finished"},
        ]})
    fid = flow["id"]
    assert flow["status"] == "active" and flow["steps"][0]["campaign_id"] > 0, flow

    rows = [{"email": "u%d@%s" % (i, DOMAINS[i % len(DOMAINS)]), "first_name": "U%d" % i} for i in range(N)]
    emails = [r["email"] for r in rows]
    report = petrel.import_csv(contacts_csv(rows, ["email", "first_name"]), list_name="welcome")
    assert report["inserted"] == N and not report["errors"], report

    # ---- the welcome mail, at once
    _wait_count(petrel, "Welcome", N, clock=True)
    assert set(_by_subject(petrel)["Welcome"]) == set(emails)
    # Ten unsubscribe, five reach the goal: none of them gets the first drip.
    leavers = emails[:10]
    buyers = emails[10:15]
    for email in leavers:
        petrel.ok("PATCH", "/api/v1/contacts/%d" % _contact_id(petrel, email), json={"status": "unsubscribed"})
    for email in buyers:
        petrel.ok("PATCH", "/api/v1/contacts/%d" % _contact_id(petrel, email), json={"tags": ["buyer"]})
    staying = emails[15:]

    # ---- a day later the first drip; killed while the flow sends it, started again. Delivery is held
    # (domains suspended) meanwhile, so that no SMTP transaction is in flight at the kill: a message the MX
    # accepted just before a kill is delivered again by any MTA (at-least-once), which is not what this tests.
    for domain in DOMAINS:
        r = petrel.cli("queue", "suspend", domain)
        assert r.returncode == 0, r.stderr
    drip_campaign = flow["steps"][2]["campaign_id"]
    petrel.advance(DAY + 1)
    sent_at_kill = wait_until(lambda: (lambda n: n if n >= 200 else 0)(petrel.analytics(drip_campaign)["sent"]), 120,
                              "the first drips to start")
    petrel.kill9()
    petrel.start()
    assert sent_at_kill < len(staying), "every first drip went out before the kill: the scenario tested nothing"
    # The test clock starts again at the present: the day (and the minutes the clock was moved while mail
    # went out) passes again for the runs still waiting.
    petrel.advance(DAY + 3600)
    wait_until(lambda: petrel.analytics(drip_campaign)["sent"] >= len(staying), 120, "every first drip queued")
    for domain in DOMAINS:
        r = petrel.cli("queue", "resume", domain)
        assert r.returncode == 0, r.stderr
    _wait_count(petrel, "First drip", len(staying), clock=True)
    drips = _by_subject(petrel)["First drip"]
    assert set(drips) == set(staying), (len(drips), sorted(set(drips) ^ set(staying))[:5])
    assert max(drips.values()) == 1, "first drip repeated: %r" % [e for e, n in drips.items() if n > 1][:5]

    # ---- half of them open it (the pixel, from a browser)
    opened = set()
    drip_recs = {addr(head(r)["To"]): r for r in petrel.mx.received() if str(head(r)["Subject"]) == "First drip"}
    for i, email in enumerate(staying):
        if i % 2 == 0:
            _, images = html_links(parts(parse(drip_recs[email]))["text/html"])
            pixel = [s for s in images if "/t/o/" in s]
            status, _, _ = http("GET", pixel[0])
            assert status == 200
            opened.add(email)

    # ---- two days later, the branch
    petrel.advance(2 * DAY + 3600)
    _wait_count(petrel, "Thanks for reading", len(opened), clock=True)
    _wait_count(petrel, "We miss you", len(staying) - len(opened), clock=True)
    wait_until(lambda: petrel.ok("GET", "/api/v1/automations/%d" % fid)["runs"].get("done") == len(staying), 60,
               "every run done", on_fail=lambda: repr(petrel.ok("GET", "/api/v1/automations/%d" % fid)))
    final = _by_subject(petrel)
    assert set(final["Thanks for reading"]) == opened
    assert set(final["We miss you"]) == set(staying) - opened
    for subject in ("Welcome", "First drip", "Thanks for reading", "We miss you"):
        assert max(final[subject].values()) == 1, "%s repeated" % subject
    assert set(final) == {"Welcome", "First drip", "Thanks for reading", "We miss you"}, set(final)

    detail = petrel.ok("GET", "/api/v1/automations/%d" % fid)
    assert detail["runs"] == {"done": len(staying), "exited": 15}, detail["runs"]
    one = petrel.ok("GET", "/api/v1/automations/%d/contacts/%d" % (fid, _contact_id(petrel, staying[0])))
    assert [s["step"] for s in one[0]["steps"]] == \
        ["send", "wait", "send", "wait", "branch", "send", "tag added"], one
    gone = petrel.ok("GET", "/api/v1/automations/%d/contacts/%d" % (fid, _contact_id(petrel, leavers[0])))
    assert gone[0]["state"] == "exited" and gone[0]["exit_reason"] == "unsubscribed", gone
    goal = petrel.ok("GET", "/api/v1/automations/%d/contacts/%d" % (fid, _contact_id(petrel, buyers[0])))
    assert goal[0]["state"] == "exited" and goal[0]["exit_reason"] == "goal", goal
    c = petrel.ok("GET", "/api/v1/contacts/%d" % _contact_id(petrel, staying[-1]))
    assert "finished" in c["tags"], c
    # The first drip's campaign counts its opens like any campaign.
    stats = petrel.analytics(detail["steps"][2]["campaign_id"])
    assert stats["sent"] == len(staying) and stats["unique_opens"] == len(opened), stats
    # The hidden step campaigns are not in the campaign list.
    assert petrel.ok("GET", "/api/v1/campaigns")["total"] == 0


def test_events_enter_once_or_each_time(campaign_petrel):
    petrel = campaign_petrel()
    receipt = _template(petrel, "receipt", "Your receipt")
    again = _template(petrel, "again", "Thanks again")
    petrel.import_csv(contacts_csv([{"email": "buyer@d1.test"}, {"email": "other@d2.test"}], ["email"]))
    once = petrel.ok("POST", "/api/v1/automations", expect=201, json={
        "name": "Receipt", "from_address": FROM_ADDRESS, "trigger": {"type": "event", "event": "purchase"},
        "steps": [{"type": "send", "template_id": receipt}]})
    petrel.ok("POST", "/api/v1/automations", expect=201, json={
        "name": "Every purchase", "from_address": FROM_ADDRESS, "allow_reentry": True,
        "trigger": {"type": "event", "event": "purchase"},
        "steps": [{"type": "send", "template_id": again}]})
    for n in range(1, 4):
        petrel.ok("POST", "/api/v1/events", expect=202, json={"event": "purchase", "email": "buyer@d1.test",
                                                               "data": {"total": 12.5}})
        # Each event is through the flows before the next (a run still active is not entered twice).
        _wait_count(petrel, "Thanks again", n)
    wait_until(lambda: petrel.ok("GET", "/api/v1/automations/%d" % once["id"])["runs"] == {"done": 1}, 30,
               "the receipt run done once")
    got = _by_subject(petrel)
    assert got["Your receipt"] == Counter({"buyer@d1.test": 1}), got
    assert got["Thanks again"] == Counter({"buyer@d1.test": 3}), got
    # Bad events name the field.
    status, _, data = petrel.api("POST", "/api/v1/events", json={"event": "purchase", "email": "nobody@d1.test"})
    assert status == 400 and data["error"]["field"] == "email", data
    status, _, data = petrel.api("POST", "/api/v1/automations", json={
        "name": "x", "from_address": FROM_ADDRESS, "trigger": {"type": "event", "event": "e"},
        "steps": [{"type": "send", "template_id": receipt}, {"type": "branch", "condition": {"opened": "previous"},
                                                             "then": [{"type": "wait"}]}]})
    assert status == 400 and data["error"]["field"] == "steps[1].then[0].seconds", data
    status, _, data = petrel.api("POST", "/api/v1/automations", json={
        "name": "x", "from_address": FROM_ADDRESS, "trigger": {"type": "list_subscribed", "list": "nope"},
        "steps": [{"type": "send", "template_id": receipt}]})
    assert status == 400 and data["error"]["field"] == "trigger.list", data
