"""The automation triggers not covered by test_automation.py, on the test clock:
a date field coming round (a birthday), a campaign opened, clicked, and not
opened an hour after sending, and a tag added over the API. Each flow sends
one template; the MX shows who entered.
"""
from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta, timezone

from campaign_harness import (BROWSER_UA, FROM_ADDRESS, addr, contacts_csv, head, html_links, http, parse, parts,
                              wait_campaign_done, wait_until)


def _template(petrel, subject: str) -> int:
    return petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": subject, "subject": subject,
        "html": '<p>%s {{first_name}} <a href="https://x.example/%d">x</a></p>' % (subject, len(subject)),
        "text": subject})["id"]


def _flow(petrel, name: str, trigger: dict, subject: str) -> int:
    return petrel.ok("POST", "/api/v1/automations", expect=201, json={
        "name": name, "from_address": FROM_ADDRESS, "trigger": trigger,
        "steps": [{"type": "send", "template_id": _template(petrel, subject)}]})["id"]


def _received(petrel) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for rec in petrel.mx.received():
        out.setdefault(str(head(rec)["Subject"]), Counter())[addr(head(rec)["To"])] += 1
    return out


def _wait_for(petrel, subject: str, who: set[str], timeout: float = 60):
    def arrived():
        petrel.advance(5)  # the queue's pacing waits on the test clock
        return set(_received(petrel).get(subject, Counter())) >= who
    wait_until(arrived, timeout, "%r to %s" % (subject, sorted(who)), on_fail=lambda: repr(_received(petrel)))


def test_date_engagement_and_tag_triggers(campaign_petrel, monkeypatch):
    monkeypatch.setenv("PETREL_TEST_CLOCK", "1")
    petrel = campaign_petrel()
    reply = petrel.control("CLOCK ADVANCE 0")
    today = datetime.fromtimestamp(float(reply.split()[1]), tz=timezone.utc)
    other_day = today + timedelta(days=40)
    rows = [
        {"email": "bday@d0.test", "first_name": "B", "birthday": today.strftime("1990-%m-%d")},
        {"email": "later@d1.test", "first_name": "L", "birthday": other_day.strftime("1985-%m-%d")},
        {"email": "nobday@d2.test", "first_name": "N", "birthday": ""},
    ]
    petrel.import_csv(contacts_csv(rows, ["email", "first_name", "birthday"]), list_name="all")

    # ---- a campaign to the three, for the engagement triggers
    tpl = _template(petrel, "Newsletter")
    camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
        "name": "news", "template_id": tpl, "from_address": FROM_ADDRESS, "postal_address": "1 Test St",
        "audience": {"lists": ["all"]}})["id"]
    _flow(petrel, "birthday", {"type": "date", "field": "birthday", "time": "00:00"}, "Happy birthday")
    _flow(petrel, "opened", {"type": "campaign_opened", "campaign_id": camp}, "Thanks for opening")
    _flow(petrel, "clicked", {"type": "campaign_clicked", "campaign_id": camp}, "Thanks for clicking")
    _flow(petrel, "silent", {"type": "campaign_not_opened", "campaign_id": camp, "after_seconds": 3600},
          "We noticed you were busy")
    _flow(petrel, "vip", {"type": "tag_added", "tag": "vip"}, "Welcome, VIP")

    # The birthday comes round today: only that contact enters.
    _wait_for(petrel, "Happy birthday", {"bday@d0.test"})

    petrel.ok("POST", "/api/v1/campaigns/%d/send" % camp, expect=202)
    msgs = {addr(head(r)["To"]): r for r in wait_campaign_done(petrel, camp, 3)}
    _, images = html_links(parts(parse(msgs["bday@d0.test"]))["text/html"])
    assert http("GET", [s for s in images if "/t/o/" in s][0], headers={"User-Agent": BROWSER_UA})[0] == 200
    links, _ = html_links(parts(parse(msgs["later@d1.test"]))["text/html"])
    assert http("GET", [h for h, _ in links if "/t/c/" in h][0], headers={"User-Agent": BROWSER_UA})[0] == 302
    _wait_for(petrel, "Thanks for opening", {"bday@d0.test"})
    _wait_for(petrel, "Thanks for clicking", {"later@d1.test"})

    # An hour after sending, the two who did not open enter the "not opened" flow.
    petrel.advance(3700)
    _wait_for(petrel, "We noticed you were busy", {"later@d1.test", "nobday@d2.test"})

    # A tag added over the API.
    contact = [c for c in petrel.ok("GET", "/api/v1/contacts?q=nobday")["items"] if c["email"] == "nobday@d2.test"][0]
    petrel.ok("PATCH", "/api/v1/contacts/%d" % contact["id"], json={"tags": ["vip"]})
    _wait_for(petrel, "Welcome, VIP", {"nobday@d2.test"})

    # A day later nothing fires again: each flow entered each contact once.
    petrel.advance(86_400)
    for _ in range(3):  # a few ticks of the flows (one a second)
        petrel.advance(5)
        time.sleep(1)
    got = _received(petrel)
    assert got["Happy birthday"] == Counter({"bday@d0.test": 1}), got
    assert got["Thanks for opening"] == Counter({"bday@d0.test": 1}), got
    assert got["Thanks for clicking"] == Counter({"later@d1.test": 1}), got
    assert got["We noticed you were busy"] == Counter({"later@d1.test": 1, "nobday@d2.test": 1}), got
    assert got["Welcome, VIP"] == Counter({"nobday@d2.test": 1}), got
