"""A/B tests end to end, through the HTTP API, against the aiosmtpd MX.

- A clear winner: two subjects to a 50% test share; after the test mail
  arrives, most recipients of B open it (the open pixel, from a browser) and
  few of A's do. When the wait is over B wins on significance (p < 0.05), the
  rest of the audience gets B's subject, nobody gets two messages, and
  `GET /campaigns/{id}/ab` reports each variant's rate inside its confidence
  interval and the decision's p-value.
- No significant difference: both variants opened at the same rate. With
  fallback "manual" the test waits in phase "choosing" until
  `POST /campaigns/{id}/ab/winner` picks A, which the remainder then gets;
  with fallback "leader" (a second campaign, nobody opening) the leader (the
  first variant on a tie) is taken without significance.
- Content and send-time variants: one variant with another template, one
  with a later `send_at` whose share goes out only then.
"""
from __future__ import annotations

import email.utils
import time
from collections import Counter

from campaign_harness import (DOMAINS, FROM_ADDRESS, addr, contacts_csv, duplicates, html_links, http, of_campaign,
                              parse, parts, per_recipient, wait_until)

HTML = ('<html><body><p>Hello {{first_name}},</p>'
        '<p><a href="https://shop.example/spring">See the offer</a></p></body></html>')
TEXT = "Hello {{first_name}}, see https://shop.example/spring"


def _audience(petrel, list_name: str, n: int, prefix: str) -> dict[str, str]:
    rows = [{"email": "%s%d@%s" % (prefix, i, DOMAINS[i % len(DOMAINS)]), "first_name": "F%d" % i}
            for i in range(n)]
    report = petrel.import_csv(contacts_csv(rows, ["email", "first_name"]), list_name=list_name)
    assert report["inserted"] == n and not report["errors"], report
    return {r["email"]: r["first_name"] for r in rows}


def _campaign(petrel, list_name: str, ab: dict) -> int:
    tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": "ab-" + list_name, "subject": "Base subject", "html": HTML, "text": TEXT})
    camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
        "name": "AB " + list_name, "template_id": tpl["id"], "from_address": FROM_ADDRESS,
        "postal_address": "1 Test Street", "audience": {"lists": [list_name]}, "ab_test": ab})
    assert camp["ab_test"]["variants"][0]["name"] == "A" and camp["ab"]["phase"] == "testing", camp
    petrel.ok("POST", "/api/v1/campaigns/%d/send" % camp["id"], expect=202)
    return camp["id"]


def _ab(petrel, cid: int) -> dict:
    return petrel.ok("GET", "/api/v1/campaigns/%d/ab" % cid)


def _wait_phase(petrel, cid: int, phases: tuple, timeout: float = 90) -> dict:
    return wait_until(lambda: (lambda a: a if a["phase"] in phases else None)(_ab(petrel, cid)), timeout,
                      "campaign %d in A/B phase %s" % (cid, phases),
                      on_fail=lambda: "%r\n%s" % (_ab(petrel, cid), petrel.log_tail(30)))


def _test_mail(petrel, cid: int) -> dict:
    """Waits until every test message is delivered (the receiver has them and
    the ledger says delivered); returns {variant subject: [received records]}."""
    ab = _wait_phase(petrel, cid, ("waiting", "choosing", "remainder", "done"))
    sent = sum(v["sent"] for v in ab["results"]["variants"])
    assert sent > 0, ab
    wait_until(lambda: len(of_campaign(petrel.mx, cid)) >= sent, 60, "%d test messages" % sent)
    wait_until(lambda: sum(v["delivered"] for v in _ab(petrel, cid)["results"]["variants"]) >= sent, 60,
               "the test messages counted delivered", on_fail=lambda: repr(_ab(petrel, cid)))
    by_subject: dict[str, list] = {}
    for rec in of_campaign(petrel.mx, cid):
        by_subject.setdefault(str(parse(rec)["Subject"]), []).append(rec)
    return by_subject


def _open(petrel, recs: list, share: float) -> int:
    """Loads the open pixel of the first `share` of `recs` from a browser."""
    opened = 0
    for rec in recs[:int(len(recs) * share)]:
        _, images = html_links(parts(parse(rec))["text/html"])
        pixel = [s for s in images if s.startswith(petrel.public + "/t/o/")]
        assert pixel, images
        status, _, _ = http("GET", pixel[0])
        assert status == 200, status
        opened += 1
    return opened


def _check_everyone_once(petrel, cid: int, audience: dict) -> list:
    petrel.wait_status(cid, "sent", timeout=90)
    wait_until(lambda: len(of_campaign(petrel.mx, cid)) >= len(audience), 60, "all %d messages" % len(audience))
    time.sleep(0.5)
    msgs = of_campaign(petrel.mx, cid)
    counts = per_recipient(msgs)
    assert not duplicates(counts), duplicates(counts)
    assert set(counts) == set(audience), (len(counts), len(audience))
    return msgs


def test_clear_winner_gets_the_remainder(campaign_petrel):
    petrel = campaign_petrel()
    audience = _audience(petrel, "ab1", 400, "w")
    cid = _campaign(petrel, "ab1", {
        "variants": [{"subject": "Plain news"}, {"subject": "Big news for {{first_name}}"}],
        "test_percent": 50, "metric": "open_rate", "wait_seconds": 15, "confidence": 0.95, "min_sample": 30,
        "fallback": "manual"})
    by_subject = _test_mail(petrel, cid)
    plain = by_subject.pop("Plain news", [])
    big = [r for subject, recs in by_subject.items() if subject.startswith("Big news for ") for r in recs]
    assert len(plain) >= 50 and len(big) >= 50, {k: len(v) for k, v in by_subject.items()}
    assert len(plain) + len(big) == len(of_campaign(petrel.mx, cid)), "a test message with another subject"
    opened_a = _open(petrel, plain, 0.1)
    opened_b = _open(petrel, big, 0.7)

    ab = _wait_phase(petrel, cid, ("remainder", "done"))
    decision = ab["decision"]
    assert decision["winner"] == "B" and decision["decided_by"] == "significance", ab
    assert decision["significant"] and decision["p_value"] < 0.05, ab
    variants = {v["name"]: v for v in ab["results"]["variants"]}
    assert (variants["A"]["opened"], variants["B"]["opened"]) == (opened_a, opened_b), variants
    assert (variants["A"]["sent"], variants["B"]["sent"]) == (len(plain), len(big)), variants
    for v in variants.values():
        assert v["trials"] == v["delivered"] and v["successes"] == v["opened"], v
        assert v["ci_low"] <= v["rate"] <= v["ci_high"] and v["ci_high"] - v["ci_low"] > 0.01, v
    assert variants["A"]["ci_high"] < variants["B"]["ci_low"], "intervals should not overlap: %r" % variants
    assert ab["results"]["leader"] == "B" and ab["results"]["enough_sample"], ab

    msgs = _check_everyone_once(petrel, cid, audience)
    test_recipients = {addr(parse(r)["To"]) for r in plain + big}
    remainder = [r for r in msgs if addr(parse(r)["To"]) not in test_recipients]
    assert len(remainder) == len(audience) - len(test_recipients) > 100
    for rec in remainder:
        msg = parse(rec)
        assert str(msg["Subject"]) == "Big news for " + audience[addr(msg["To"])], msg["Subject"]
    assert _ab(petrel, cid)["phase"] == "done"
    # A decided test takes no other winner.
    status, _, _ = petrel.api("POST", "/api/v1/campaigns/%d/ab/winner" % cid, json={"variant": "A"})
    assert status == 409


def test_no_significant_difference_falls_back(campaign_petrel):
    petrel = campaign_petrel()
    manual_audience = _audience(petrel, "ab2", 300, "m")
    leader_audience = _audience(petrel, "ab3", 120, "l")
    manual = _campaign(petrel, "ab2", {
        "variants": [{"name": "A", "subject": "First subject"}, {"name": "B", "subject": "Second subject"}],
        "test_percent": 60, "wait_seconds": 8, "min_sample": 20, "fallback": "manual"})
    leader = _campaign(petrel, "ab3", {
        "variants": [{"from_name": "Team One"}, {"from_name": "Team Two"}],
        "test_percent": 50, "wait_seconds": 2, "min_sample": 5, "fallback": "leader"})

    # Too early to choose: the test shares are still being sent or just sent; a bad variant is named.
    status, _, data = petrel.api("POST", "/api/v1/campaigns/%d/ab/winner" % manual, json={"variant": "Z"})
    assert status == 400 and data["error"]["field"] == "variant", data

    by_subject = _test_mail(petrel, manual)
    first, second = by_subject.get("First subject", []), by_subject.get("Second subject", [])
    assert len(first) >= 40 and len(second) >= 40, {k: len(v) for k, v in by_subject.items()}
    _open(petrel, first, 0.3)
    _open(petrel, second, 0.3)

    ab = _wait_phase(petrel, manual, ("choosing",))
    assert ab.get("decision") is None and not ab["results"]["significant"], ab
    assert ab["results"]["p_value"] > 0.05, ab
    # Nothing beyond the test share goes out while the choice is pending.
    test_count = len(first) + len(second)
    time.sleep(1.5)
    assert len(of_campaign(petrel.mx, manual)) == test_count
    assert petrel.campaign(manual)["status"] == "sending"

    chosen = petrel.ok("POST", "/api/v1/campaigns/%d/ab/winner" % manual, json={"variant": "A"}, expect=202)
    assert chosen["ab"]["decision"]["winner"] == "A" and chosen["ab"]["decision"]["decided_by"] == "manual", chosen
    msgs = _check_everyone_once(petrel, manual, manual_audience)
    test_recipients = {addr(parse(r)["To"]) for r in first + second}
    remainder = [parse(r) for r in msgs if addr(parse(r)["To"]) not in test_recipients]
    assert remainder and all(str(m["Subject"]) == "First subject" for m in remainder)

    # Fallback "leader": nobody opened, a tie, so the first variant stands; the remainder is from Team One.
    ab = _wait_phase(petrel, leader, ("remainder", "done"))
    assert ab["decision"]["winner"] == "A" and ab["decision"]["decided_by"] == "leader", ab
    assert not ab["decision"]["significant"], ab
    msgs = _check_everyone_once(petrel, leader, leader_audience)
    names = per_recipient(msgs)
    assert len(names) == len(leader_audience)
    by_from = Counter(email.utils.parseaddr(str(parse(rec)["From"]))[0] for rec in msgs)
    sent = {v["name"]: v["sent"] for v in ab["results"]["variants"]}
    assert by_from.get("Team Two") == sent["B"], (by_from, sent)
    assert by_from.get("Team One") == len(leader_audience) - sent["B"], (by_from, sent)


def test_ab_settings_are_validated(campaign_petrel):
    petrel = campaign_petrel()
    tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={"name": "v", "subject": "S", "html": HTML})
    base = {"name": "bad", "template_id": tpl["id"], "from_address": FROM_ADDRESS, "audience": {"lists": ["x"]}}
    petrel.ok("POST", "/api/v1/lists", expect=201, json={"name": "x"})
    for ab, field in [
        ({"variants": [{"subject": "only one"}]}, "ab_test.variants"),
        ({"variants": [{}, {}], "test_percent": 0}, "ab_test.test_percent"),
        ({"variants": [{}, {}], "confidence": 1.5}, "ab_test.confidence"),
        ({"variants": [{"name": "x"}, {"name": "x"}]}, "ab_test.variants[1].name"),
        ({"variants": [{}, {"template_id": 999}]}, "ab_test.variants[1].template_id"),
    ]:
        status, _, data = petrel.api("POST", "/api/v1/campaigns", json=dict(base, ab_test=ab))
        assert status == 400 and data["error"]["field"] == field, (ab, status, data)
    camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json=dict(base, ab_test={"variants": [{}, {}]}))
    assert camp["ab_test"]["test_percent"] == 20 and camp["ab_test"]["metric"] == "open_rate", camp
    status, _, data = petrel.api("GET", "/api/v1/campaigns/%d/ab" % camp["id"])
    assert status == 200 and data["phase"] == "testing" and data.get("decision") is None, data
    cleared = petrel.ok("PATCH", "/api/v1/campaigns/%d" % camp["id"], json={"ab_test": None})
    assert cleared.get("ab_test") is None and cleared.get("ab") is None, cleared
    status, _, data = petrel.api("GET", "/api/v1/campaigns/%d/ab" % camp["id"])
    assert status == 404, data


def test_content_and_send_time_variants(campaign_petrel):
    """A variant with another template (content) and one with a later send time: that variant's share goes
    out only when its time comes; then, nothing measured, the leader fallback keeps the first variant."""
    petrel = campaign_petrel()
    audience = _audience(petrel, "ab4", 200, "t")
    two = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": "two", "subject": "Content two", "html": HTML.replace("See the offer", "Another offer"),
        "text": TEXT})["id"]
    later = time.time() + 10
    send_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(later))
    cid = _campaign(petrel, "ab4", {
        "variants": [{"name": "A", "subject": "Content one"}, {"name": "B", "template_id": two},
                     {"name": "C", "subject": "Later one", "send_at": send_at}],
        "test_percent": 60, "wait_seconds": 1, "min_sample": 1000, "fallback": "leader"})

    def subjects():
        return {str(parse(r)["Subject"]) for r in of_campaign(petrel.mx, cid)}
    wait_until(lambda: {"Content one", "Content two"} <= subjects(), 60, "variants A and B")
    assert "Later one" not in subjects() and time.time() < later, "variant C went out before its time"
    assert _ab(petrel, cid)["phase"] == "testing"
    b = [parse(r) for r in of_campaign(petrel.mx, cid) if str(parse(r)["Subject"]) == "Content two"]
    assert all("Another offer" in parts(m)["text/html"] for m in b), "variant B without its template's content"
    wait_until(lambda: "Later one" in subjects(), 60, "variant C at its send time")
    assert time.time() >= later - 1
    ab = _wait_phase(petrel, cid, ("remainder", "done"))
    assert ab["decision"]["winner"] == "A" and ab["decision"]["decided_by"] == "leader", ab
    msgs = _check_everyone_once(petrel, cid, audience)
    sent = {v["name"]: v["sent"] for v in ab["results"]["variants"]}
    counts = Counter(str(parse(r)["Subject"]) for r in msgs)
    assert counts["Content two"] == sent["B"] and counts["Later one"] == sent["C"], (counts, sent)
    assert counts["Content one"] == len(audience) - sent["B"] - sent["C"], (counts, sent)
