"""The public links of campaign mail are signed and their events honest:

* a token with any one character changed (every position tried), cut short
  or lengthened is a 404 on /t/o (open pixel), /t/c (click), /u
  (unsubscribe) and /p (preferences) -- GET, and POST for /u and /p -- and
  records nothing: no open, no click, nobody unsubscribed;
* GET /u/TOKEN is only a confirmation page (200 HTML): the contact stays
  subscribed and off the suppression list (link scanners follow GETs;
  RFC 8058 unsubscribes by POST); POST /p/TOKEN unsubscribe_all=1 does
  unsubscribe;
* machine activity is counted apart: with machine_window = "0s", an open
  from a browser is human, an open with User-Agent curl/8.0 and a HEAD on a
  click link are machine (the click still redirects); with machine_window =
  "60s" an open and a click right after sending are machine, not unique.
"""
import re

from campaign_harness import (BROWSER_UA, addr, bulk_campaign, html_links, http, parse, parts,
                              wait_campaign_done)

CURL = {"User-Agent": "curl/8.0"}


def _urls(petrel, rec) -> dict:
    """The message's open pixel, first click link, unsubscribe and
    preferences URLs."""
    msg = parse(rec)
    body = parts(msg)
    links, images = html_links(body["text/html"])
    base = petrel.public
    out = {
        "o": [s for s in images if s.startswith(base + "/t/o/")],
        "c": [h for h, _ in links if h.startswith(base + "/t/c/")],
        "u": [str(msg["List-Unsubscribe"]).strip().strip("<>")],
        "p": re.findall(re.escape(base) + r"/p/[^\s<>\"']+", body["text/plain"] + body["text/html"]),
    }
    for kind, found in out.items():
        assert found, "no /%s/ URL in the message: %r" % (kind, out)
        out[kind] = found[0]
    return out


def _tampered(url: str):
    """Every one-character change of the token (a different character of
    its own alphabet at each position), then the token cut short and
    lengthened."""
    base, token = url.rsplit("/", 1)
    pool = sorted(set(c for c in token if c.isalnum())) or ["a", "b"]
    if len(pool) < 2:
        pool.append("b" if pool[0] != "b" else "c")
    for i, ch in enumerate(token):
        repl = pool[(pool.index(ch) + 1) % len(pool)] if ch in pool else pool[0]
        yield base + "/" + token[:i] + repl + token[i + 1:]
    yield base + "/" + token[:-1]
    yield base + "/" + token + pool[0]


def _status_of(petrel, email) -> str:
    data = petrel.ok("GET", "/api/v1/contacts?q=%s" % email)
    return [c for c in data["items"] if c["email"] == email][0]["status"]


def _send(petrel, n):
    cid, emails = bulk_campaign(petrel, n)
    petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid, expect=202)
    msgs = wait_campaign_done(petrel, cid, n)
    return cid, sorted(msgs, key=lambda r: addr(parse(r)["To"]))


def test_tampered_tokens_404_and_machine_activity_counted_apart(campaign_petrel):
    petrel = campaign_petrel(http={"machine_window": "0s"})
    cid, msgs = _send(petrel, 3)
    urls = [_urls(petrel, r) for r in msgs]
    who = [addr(parse(r)["To"]) for r in msgs]

    # ---- tampered tokens
    bad = []
    tried = 0
    for kind in ("o", "c", "u", "p"):
        variants = list(_tampered(urls[0][kind]))
        for i, url in enumerate(variants):
            status, _, _ = http("GET", url)
            tried += 1
            if status != 404:
                bad.append(("GET", url, status))
            if kind in ("u", "p") and i in (0, len(variants) // 2, len(variants) - 3):
                form = "List-Unsubscribe=One-Click" if kind == "u" else "unsubscribe_all=1"
                status, _, _ = http("POST", url, body=form,
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
                tried += 1
                if status != 404:
                    bad.append(("POST", url, status))
    assert not bad, "%d of %d tampered-token requests were not 404 (original %r): %r" % (
        len(bad), tried, urls[0], bad[:10])
    stats = petrel.analytics(cid)
    assert (stats["opens"], stats["machine_opens"], stats["clicks"], stats["machine_clicks"],
            stats["unsubscribed"]) == (0, 0, 0, 0, 0), "tampered tokens recorded events: %r" % stats
    assert _status_of(petrel, who[0]) == "subscribed"

    # ---- GET /u and GET /p only show pages
    status, headers, page = http("GET", urls[0]["u"])
    assert status == 200 and headers.get("Content-Type", "").startswith("text/html"), (status, dict(headers))
    status, headers, page = http("GET", urls[0]["p"])
    assert status == 200 and headers.get("Content-Type", "").startswith("text/html"), (status, dict(headers))
    assert _status_of(petrel, who[0]) == "subscribed", "GET /u/TOKEN (or /p/TOKEN) unsubscribed the contact"
    status, _, data = petrel.api("GET", "/api/v1/suppression/%s" % who[0])
    assert status == 404, "GET /u/TOKEN suppressed the address: %d %r" % (status, data)
    assert petrel.analytics(cid)["unsubscribed"] == 0

    # ---- human and machine opens and clicks
    status, headers, _ = http("GET", urls[0]["o"], headers={"User-Agent": BROWSER_UA})
    assert status == 200 and headers.get("Content-Type", "").startswith("image/gif"), (status, dict(headers))
    stats = petrel.analytics(cid)
    assert (stats["unique_opens"], stats["opens"], stats["machine_opens"]) == (1, 1, 0), stats

    status, _, _ = http("GET", urls[1]["o"], headers=CURL)
    assert status == 200
    stats = petrel.analytics(cid)
    assert (stats["unique_opens"], stats["opens"], stats["machine_opens"]) == (1, 1, 1), \
        "an open by curl/8.0 must be machine: %r" % stats

    status, _, _ = http("HEAD", urls[2]["c"])
    assert status in (200, 302), "HEAD %s -> %d" % (urls[2]["c"], status)
    stats = petrel.analytics(cid)
    assert (stats["unique_clicks"], stats["clicks"], stats["machine_clicks"]) == (0, 0, 1), \
        "a HEAD on a click link must be machine: %r" % stats

    status, headers, _ = http("GET", urls[1]["c"], headers=CURL)
    assert status == 302 and headers.get("Location") == "https://www.example.org/news", (status, dict(headers))
    stats = petrel.analytics(cid)
    assert (stats["unique_clicks"], stats["clicks"], stats["machine_clicks"]) == (0, 0, 2), stats
    assert stats["unique_opens"] == 1, "machine activity counted as a unique open: %r" % stats

    # ---- the preference page's unsubscribe-all does unsubscribe
    status, _, body = http("POST", urls[2]["p"], body="unsubscribe_all=1",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200, "POST %s -> %d %r" % (urls[2]["p"], status, body)
    assert _status_of(petrel, who[2]) == "unsubscribed"
    assert petrel.ok("GET", "/api/v1/suppression/%s" % who[2])["kind"] == "unsubscribe"
    assert _status_of(petrel, who[1]) == "subscribed"


def test_activity_within_the_machine_window_is_machine(campaign_petrel):
    petrel = campaign_petrel(http={"machine_window": "60s"})
    cid, msgs = _send(petrel, 1)
    urls = _urls(petrel, msgs[0])

    status, _, _ = http("GET", urls["o"])
    assert status == 200
    status, headers, _ = http("GET", urls["c"])
    assert status == 302 and headers.get("Location") == "https://www.example.org/news", (status, dict(headers))
    stats = petrel.analytics(cid)
    assert (stats["machine_opens"], stats["machine_clicks"]) == (1, 1), stats
    assert (stats["unique_opens"], stats["opens"], stats["unique_clicks"], stats["clicks"]) == (0, 0, 0, 0), \
        "opens and clicks within 60 s of queueing counted as human: %r" % stats
    assert stats["open_rate"] == 0 and stats["click_rate"] == 0, stats
