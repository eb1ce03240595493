"""The campaign walk-through, end to end over the HTTP API and real SMTP:

* `POST /api/v1/imports` of a generated 10,000-contact CSV (five recipient
  domains, custom column `city`, tags) with 16 bad rows (no @, empty email,
  local part over 64 octets) and 4 repeated addresses: the report names every
  bad row by its line (line 1 = header), counts the repeats as duplicates
  (the later row wins) and keeps every good row;
* a segment `city in [Paris, Lyon]` counts exactly what was generated;
* a template (two versions) previews with a sample, and reports a variable
  the sample lacks as "missing";
* a campaign to a segment (~300 "pilot" contacts, not in Nice) minus a list
  ("staff") is sent: every audience contact gets exactly one message, nobody
  else gets any; each message is personalised (subject and both parts, HTML
  escaped in the HTML part, the newest template version), carries To,
  List-Unsubscribe (+ One-Click), Feedback-ID, X-Campaign-ID, a unique
  Message-ID, multipart/alternative, links rewritten to signed /t/c/ links,
  an open pixel /t/o/ and the postal address;
* a click redirects (302) to the original URL (HTML entities decoded) and is
  counted; analytics: delivered = audience, unique_clicks 1, per-link counts;
* a one-click unsubscribe (RFC 8058 POST) unsubscribes and suppresses that
  contact; a duplicate of the campaign, sent, skips exactly that contact and
  mails everyone else exactly once, and the first campaign sends nothing more.
"""
import re
import time

from campaign_harness import (DOMAINS, FROM_ADDRESS, addr, contacts_csv, duplicates, html_links, http, of_campaign,
                              parse, parts, per_recipient, wait_campaign_done)

N = 10_000
CITIES = ["Paris", "Lyon", "Nice", "Lille", "Nantes", "Brest", "Metz", "Dijon", "Caen"]
COLUMNS = ["email", "first_name", "last_name", "tags", "city"]
POSTAL = "Petrel SAS, 1 rue de la Paix, 75002 Paris, France"
OFFER = "https://shop.example.com/offer?city=x&ref=mail"
ABOUT = "https://www.example.org/about"
SPECIAL = 5  # a pilot contact whose first name needs HTML escaping and RFC 2047
SPECIAL_NAME = "Zoé <&> O'Brien"

SUBJECT = "Hello {{first_name}}, news for {{fields.city}}"
HTML = ('<html><body><p>Dear {{first_name}},</p>'
        '<p>Our {{campaign.name}} offer in {{fields.city}}.</p>'
        '<p><a href="https://shop.example.com/offer?city=x&amp;ref=mail">See the offer</a> or '
        '<a href="https://www.example.org/about">about us</a>.</p>'
        '<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>')
TEXT = ("Dear {{first_name}},\n\nOur offer in {{fields.city}}: " + OFFER + "\n\n"
        "Unsubscribe: {{unsubscribe_url}}\n")


def _generate():
    """The CSV rows (in file order) and the contacts they leave, by email."""
    rows, final, bad_lines, dup_emails = [], {}, {}, []
    for i in range(N):
        email = "user%05d@%s" % (i, DOMAINS[i % len(DOMAINS)])
        tags = []
        if i % 33 == SPECIAL:
            tags.append("pilot")
        if i % 250 == 0:
            tags.append("vip")
        row = {"email": email, "first_name": SPECIAL_NAME if i == SPECIAL else "First%d" % i,
               "last_name": "Last%d" % i, "tags": ",".join(tags),
               "city": "Paris" if i == SPECIAL else CITIES[(i * 7 + i // 13) % len(CITIES)], "i": i}
        rows.append(row)
        final[email] = row
        # Bad rows in between (line = index in the file + 2).
        if i % 625 == 17:
            k = len(bad_lines)
            if k % 4 == 0 or k % 4 == 1:
                bad = {"email": "broken%d.%s" % (i, DOMAINS[0]), "first_name": "Bad"}
                reason = "no @"
            elif k % 4 == 2:
                bad = {"email": "", "first_name": "Empty"}
                reason = "empty"
            else:
                bad = {"email": "x" * 65 + "@" + DOMAINS[1], "first_name": "Long"}
                reason = "64"
            rows.append(bad)
            bad_lines[len(rows) + 1] = reason
    # Repeats of earlier addresses: the later row wins.
    for i in (100, 2000, 4321, 9999):
        email = "user%05d@%s" % (i, DOMAINS[i % len(DOMAINS)])
        row = dict(final[email], first_name="Second%d" % i)
        rows.append(row)
        final[email] = row
        dup_emails.append(email)
    return rows, final, bad_lines, dup_emails


def _contact_by_email(petrel, email):
    data = petrel.ok("GET", "/api/v1/contacts?q=%s" % email)
    items = [c for c in data["items"] if c["email"] == email]
    assert len(items) == 1, "GET /contacts?q=%s: %r" % (email, data)
    return items[0]


def test_campaign_walkthrough(campaign_petrel):
    petrel = campaign_petrel()
    mx = petrel.mx
    rows, final, bad_lines, dup_emails = _generate()
    assert len(bad_lines) == 16

    # ---- import
    t0 = time.monotonic()
    report = petrel.import_csv(contacts_csv(rows, COLUMNS), list_name="everyone")
    took = time.monotonic() - t0
    assert {"rows", "inserted", "updated", "duplicates", "errors", "seconds"} <= set(report), report
    got = {e["line"]: e["reason"] for e in report["errors"]}
    assert sorted(got) == sorted(bad_lines), "bad rows reported at lines %r, expected %r" % (
        sorted(got), sorted(bad_lines))
    for line, keyword in bad_lines.items():
        assert keyword in got[line], "line %d: reason %r should mention %r" % (line, got[line], keyword)
    assert (report["rows"], report["inserted"], report["updated"], report["duplicates"]) == \
        (N + 16 + 4, N, 4, 4), report
    assert took < 60, "importing 10,000 rows took %.1fs" % took

    page = petrel.ok("GET", "/api/v1/contacts?list=everyone&per_page=3")
    assert page["total"] == N and len(page["items"]) == 3 and page["per_page"] == 3, page
    assert all(item["lists"] == ["everyone"] for item in page["items"]), page
    for email in dup_emails:
        c = _contact_by_email(petrel, email)
        assert c["first_name"] == final[email]["first_name"], "the later row wins: %r" % c
    special_email = rows[SPECIAL]["email"]
    c = petrel.ok("GET", "/api/v1/contacts/%d" % _contact_by_email(petrel, special_email)["id"])
    assert {"id", "email", "first_name", "last_name", "status", "tags", "fields", "lists", "created",
            "updated"} <= set(c), c
    assert c["first_name"] == SPECIAL_NAME and c["fields"].get("city") == "Paris" and "pilot" in c["tags"], c
    assert c["status"] == "subscribed" and c["lists"] == ["everyone"], c

    # ---- segments
    seg = petrel.ok("POST", "/api/v1/segments", expect=201, json={
        "name": "paris-lyon", "definition": {"custom": "city", "op": "in", "value": ["Paris", "Lyon"]}})
    want = sum(1 for r in final.values() if r["city"] in ("Paris", "Lyon"))
    count = petrel.ok("GET", "/api/v1/segments/%d/count" % seg["id"])
    assert count["count"] == want, "segment city in [Paris, Lyon]: %r, generated %d" % (count, want)

    pilot = petrel.ok("POST", "/api/v1/segments", expect=201, json={
        "name": "pilot-not-nice", "definition": {"and": [
            {"tag": "pilot"}, {"field": "status", "op": "equals", "value": "subscribed"},
            {"not": {"custom": "city", "op": "equals", "value": "Nice"}}]}})
    pilot_rows = [r for r in final.values() if "pilot" in r["tags"].split(",") and r["city"] != "Nice"]
    count = petrel.ok("GET", "/api/v1/segments/%d/count" % pilot["id"])
    assert count["count"] == len(pilot_rows) and "seconds" in count, (count, len(pilot_rows))
    page = petrel.ok("GET", "/api/v1/contacts?segment=%d&per_page=1000" % pilot["id"])
    assert page["total"] == len(pilot_rows) and {c["email"] for c in page["items"]} == \
        {r["email"] for r in pilot_rows}, (page["total"], len(pilot_rows))

    # ---- exclusion list: three pilot contacts
    staff_rows = [r for r in pilot_rows if r["i"] != SPECIAL][-3:]
    staff = petrel.ok("POST", "/api/v1/lists", expect=201, json={"name": "staff"})
    ids = [_contact_by_email(petrel, r["email"])["id"] for r in staff_rows]
    petrel.ok("POST", "/api/v1/lists/%d/members" % staff["id"], json={"contact_ids": ids}, expect=(200, 201, 204))
    audience = {r["email"]: r for r in pilot_rows if r not in staff_rows}
    assert 250 < len(audience) < 350 and special_email in audience

    # ---- template: v1, then v2 (the campaign sends the newest)
    tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": "spring", "subject": "Draft {{first_name}}", "html": HTML, "text": TEXT})
    assert tpl.get("problems") == [], "known variables only: %r" % tpl
    v2 = petrel.ok("PUT", "/api/v1/templates/%d" % tpl["id"], json={
        "name": "spring", "subject": SUBJECT, "html": HTML, "text": TEXT}, expect=(200, 201))
    assert v2["version"] == tpl["version"] + 1, (tpl, v2)

    pv = petrel.ok("POST", "/api/v1/templates/%d/preview" % tpl["id"], json={
        "sample": {"email": "zoe@d0.test", "first_name": "Zoé", "fields": {"city": "Lyon"}}})
    assert pv["subject"] == "Hello Zoé, news for Lyon", pv
    assert "Dear Zoé," in pv["html"] and "offer in Lyon" in pv["html"], pv
    assert "Dear Zoé," in pv["text"] and "offer in Lyon" in pv["text"], pv
    assert not [p for p in pv["problems"] if p["variable"] in ("first_name", "fields.city")], pv
    pv = petrel.ok("POST", "/api/v1/templates/%d/preview" % tpl["id"], json={
        "sample": {"email": "zoe@d0.test", "first_name": "Zoé", "fields": {}}})
    assert any(p["variable"] == "fields.city" and p["problem"] == "missing" for p in pv["problems"]), pv

    # ---- campaign
    camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
        "name": "Spring sale", "template_id": tpl["id"], "from_address": FROM_ADDRESS, "from_name": "Petrel News",
        "postal_address": POSTAL, "audience": {"segments": [pilot["id"]], "exclude_lists": ["staff"]}})
    cid = camp["id"]
    assert camp["status"] == "draft", camp
    sent = petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid, expect=202)
    assert sent["status"] in ("sending", "sent"), sent

    n = len(audience)
    msgs = wait_campaign_done(petrel, cid, n)
    counts = per_recipient(msgs)
    assert not duplicates(counts), "mailed more than once: %r" % duplicates(counts)
    assert set(counts) == set(audience), "missing: %r, unexpected: %r" % (
        sorted(set(audience) - set(counts))[:10], sorted(set(counts) - set(audience))[:10])
    assert len(mx.received()) == n, "messages outside the campaign arrived"
    for r in staff_rows:
        assert r["email"] not in counts

    # ---- every message
    public = re.escape(petrel.public)
    by_to, message_ids, unsub_tokens = {}, set(), set()
    for rec in msgs:
        msg = parse(rec)
        to = addr(msg["To"])
        row = audience[to]
        by_to[to] = rec
        assert rec.rcpt_tos == [to], "envelope %r vs To %s" % (rec.rcpt_tos, to)
        assert addr(msg["From"]) == FROM_ADDRESS and "Petrel News" in str(msg["From"]), msg["From"]
        assert str(msg["Subject"]) == "Hello %s, news for %s" % (row["first_name"], row["city"]), msg["Subject"]
        m = re.fullmatch(r"<(%s/u/([^>\s]+))>" % public, str(msg["List-Unsubscribe"]).strip())
        assert m, "List-Unsubscribe: %r" % msg["List-Unsubscribe"]
        unsub_tokens.add(m.group(2))
        assert str(msg["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
        assert str(msg["Feedback-ID"]).strip() == "c%d:campaign:sender.test:petrel" % cid, msg["Feedback-ID"]
        assert str(msg["X-Campaign-ID"]).strip() == "c%d" % cid
        assert msg["Message-ID"] and msg["Message-ID"] not in message_ids, msg["Message-ID"]
        message_ids.add(msg["Message-ID"])
        assert msg.get_content_type() == "multipart/alternative", msg.get_content_type()
        body = parts(msg)
        assert set(body) == {"text/plain", "text/html"}, set(body)
        html, text = body["text/html"], body["text/plain"]
        assert "Dear %s," % row["first_name"] in text and "offer in %s" % row["city"] in text
        assert "offer in %s" % row["city"] in html and "Spring sale" in html
        if to == special_email:
            assert "Dear Zo\u00e9 &lt;&amp;&gt; O" in html, html
            assert "<&>" not in html, "first_name not HTML-escaped in the HTML part: %s" % html
        else:
            assert "Dear %s," % row["first_name"] in html
        links, images = html_links(html)
        tracked = [h for h, _ in links if re.match(r"%s/t/c/[^/?#\s]+$" % public, h)]
        assert len(tracked) >= 2, "links not rewritten to %s/t/c/…: %r" % (petrel.public, links)
        assert not [h for h, _ in links if "example.com" in h or "example.org" in h], \
            "an original link left in the HTML: %r" % links
        assert [s for s in images if re.match(r"%s/t/o/[^/?#\s]+$" % public, s)], "no open pixel: %r" % images
        assert POSTAL in html and POSTAL in text, "postal address missing from the footer"
    assert len(unsub_tokens) == n, "unsubscribe tokens are not per recipient"

    # ---- a click (twice on the offer, once on "about", one contact), an open
    clicker = sorted(a for a in audience if a != special_email)[0]
    links, images = html_links(parts(parse(by_to[clicker]))["text/html"])
    link_for = {t: h for h, t in links}
    for href, want_url in ((link_for["See the offer"], OFFER), (link_for["See the offer"], OFFER),
                           (link_for["about us"], ABOUT)):
        status, headers, _ = http("GET", href)
        assert status == 302 and headers.get("Location") == want_url, \
            "GET %s -> %d Location %r (want %s)" % (href, status, headers.get("Location"), want_url)
    pixel = [s for s in images if "/t/o/" in s][0]
    status, headers, _ = http("GET", pixel)
    assert status == 200 and headers.get("Content-Type", "").startswith("image/gif"), (status, dict(headers))

    stats = petrel.analytics(cid)
    assert (stats["recipients"], stats["pending"], stats["sent"], stats["delivered"], stats["bounced"]) == \
        (n, 0, n, n, 0), stats
    assert (stats["unique_clicks"], stats["clicks"], stats["machine_clicks"]) == (1, 3, 0), stats
    assert (stats["unique_opens"], stats["machine_opens"]) == (1, 0), stats
    assert abs(stats["click_rate"] - 1 / n) < 1e-3 and abs(stats["open_rate"] - 1 / n) < 1e-3, stats
    assert stats["click_to_open_rate"] == 1, stats
    per_link = {link["url"]: (link["clicks"], link["unique_clicks"]) for link in stats["links"]}
    assert per_link == {OFFER: (2, 1), ABOUT: (1, 1)}, stats["links"]

    # ---- one-click unsubscribe (RFC 8058)
    leaver = sorted(a for a in audience if a not in (special_email, clicker))[0]
    lu = str(parse(by_to[leaver])["List-Unsubscribe"]).strip()[1:-1]
    status, _, body = http("POST", lu, body="List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, "POST %s -> %d %r" % (lu, status, body)
    leaver_contact = _contact_by_email(petrel, leaver)
    assert leaver_contact["status"] == "unsubscribed", leaver_contact
    entry = petrel.ok("GET", "/api/v1/suppression/%s" % leaver)
    assert entry["kind"] == "unsubscribe" and entry["address"] == leaver, entry
    assert petrel.analytics(cid)["unsubscribed"] == 1

    # ---- the second campaign: a duplicate, sent
    copy = petrel.ok("POST", "/api/v1/campaigns/%d/duplicate" % cid, expect=201)
    cid2 = copy["id"]
    assert cid2 != cid and copy["status"] == "draft", copy
    petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid2, expect=202)
    msgs2 = wait_campaign_done(petrel, cid2, n - 1)
    counts2 = per_recipient(msgs2)
    assert leaver not in counts2, "the unsubscribed contact got the second campaign"
    assert not duplicates(counts2), "mailed more than once: %r" % duplicates(counts2)
    assert set(counts2) == set(audience) - {leaver}, (len(counts2), n - 1)
    assert len(of_campaign(mx, cid)) == n, "the first campaign sent again"
    a2 = petrel.analytics(cid2)
    assert (a2["recipients"], a2["sent"], a2["delivered"]) == (n - 1, n - 1, n - 1), a2
    assert len(mx.received()) == 2 * n - 1
