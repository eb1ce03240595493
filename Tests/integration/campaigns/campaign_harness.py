"""Helpers for the campaign scenarios (fixtures: conftest.py): the Petrel
with `[http]` (CampaignPetrel, an OutboundPetrel of ../delivery plus the HTTP
server, an API key and `api()`), an HTTP client that never raises on a status
and never follows redirects, and readers for the received campaign mail.

`api(method, path, json=None, body=None, headers=None)` returns
(status, headers, parsed JSON or text)."""
from __future__ import annotations

import csv
import email
import email.parser
import email.policy
import email.utils
import html.parser
import io
import json as jsonlib
import re
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
DELIVERY = HERE.parent / "delivery"
for _p in (str(HERE.parent), str(DELIVERY)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from delivery_harness import OutboundPetrel, wait_until  # noqa: E402

# Five recipient domains, all with the one MX host below.
DOMAINS = ["d%d.test" % i for i in range(5)]
MX_HOST = "mx.campaign.test"
FROM_ADDRESS = "news@sender.test"
# A browser: tracking requests from it are human (unless within machine_window).
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


# --------------------------------------------------------------------------- HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(method: str, url: str, json=None, body=None, headers: dict | None = None, timeout: float = 120):
    """One request; returns (status, headers, parsed JSON | text | bytes).
    Never raises on an HTTP status (4xx, 5xx, 3xx are answers)."""
    h = {"User-Agent": BROWSER_UA}
    h.update(headers or {})
    data = None
    if json is not None:
        data = jsonlib.dumps(json).encode()
        h.setdefault("Content-Type", "application/json")
    elif body is not None:
        data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        resp = _opener.open(req, timeout=timeout)
        status, rheaders, raw = resp.status, resp.headers, resp.read()
        resp.close()
    except urllib.error.HTTPError as e:
        status, rheaders, raw = e.code, e.headers, e.read()
        e.close()
    ctype = (rheaders.get("Content-Type") or "").lower()
    if "json" in ctype:
        try:
            parsed = jsonlib.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
    elif ctype.startswith("text/") or not ctype:
        parsed = raw.decode(errors="replace")
    else:
        parsed = raw
    return status, rheaders, parsed


def error_of(status: int, data) -> dict:
    """The `error` object of a JSON error answer (asserted to be one)."""
    assert isinstance(data, dict) and isinstance(data.get("error"), dict), \
        "status %d: not a JSON error body: %r" % (status, data)
    err = data["error"]
    assert {"code", "message"} <= set(err), "error without code/message: %r" % err
    return err


# ------------------------------------------------------------------------ Petrel


class CampaignPetrel(OutboundPetrel):
    """OutboundPetrel plus `[http]` (and `extra_toml`, appended verbatim), an
    API key, and the `api()` helper."""

    def __init__(self, workdir: Path, *, http: dict, extra_toml: str = "", **kwargs):
        self.http = dict(http)
        self.extra_toml = extra_toml
        self.key: str | None = None
        super().__init__(workdir, **kwargs)

    def config_text(self) -> str:
        # The base writes `[http]` from `self.http`.
        return super().config_text() + "\n" + self.extra_toml + "\n"

    @property
    def base(self) -> str:
        return "http://" + self.http["listen"]

    @property
    def public(self) -> str:
        return (self.http.get("public_url") or self.base).rstrip("/")

    def start(self, wait: float = 60.0) -> None:
        super().start(wait)
        end = time.monotonic() + wait
        last = None
        while True:
            try:
                status, _, _ = http("GET", self.base + "/api/v1/openapi.json", timeout=5)
                if status:
                    return
            except OSError as e:
                last = e
            if self.proc.poll() is not None or time.monotonic() > end:
                raise AssertionError("no HTTP answer on %s (%r)\n%s" % (self.base, last, self.log_tail()))
            time.sleep(0.05)

    def create_key(self, name: str, scopes: str = "all") -> str:
        r = self.cli("api-key", "create", "--name", name, "--scopes", scopes)
        assert r.returncode == 0, "petrel api-key create: rc=%d %s %s" % (r.returncode, r.stdout, r.stderr)
        secret = r.stdout.strip().splitlines()[-1].strip()
        assert re.fullmatch(r"pk_[0-9a-f]{40}", secret), "api-key create printed %r" % r.stdout
        return secret

    def api(self, method: str, path: str, json=None, body=None, headers: dict | None = None, key: str | None = "",
            timeout: float = 120):
        """A request to this server's HTTP port; `path` starts with "/".
        `key`: "" = this server's default key, None = no Authorization."""
        h = {}
        k = self.key if key == "" else key
        if k is not None:
            h["Authorization"] = "Bearer " + k
        h.update(headers or {})
        return http(method, self.base + path, json=json, body=body, headers=h, timeout=timeout)

    def ok(self, method: str, path: str, json=None, expect: int | tuple = 200, **kw):
        """`api()` asserted to answer `expect`; returns the parsed body."""
        status, _, data = self.api(method, path, json=json, **kw)
        want = expect if isinstance(expect, tuple) else (expect,)
        assert status in want, "%s %s -> %d (want %s): %r" % (method, path, status, want, data)
        return data

    # -- campaign helpers
    def import_csv(self, text: str, list_name: str | None = None) -> dict:
        path = "/api/v1/imports" + ("?list=" + list_name if list_name else "")
        return self.ok("POST", path, body=text, headers={"Content-Type": "text/csv"})

    def analytics(self, cid: int) -> dict:
        return self.ok("GET", "/api/v1/campaigns/%d/analytics" % cid)

    def campaign(self, cid: int) -> dict:
        return self.ok("GET", "/api/v1/campaigns/%d" % cid)

    def wait_status(self, cid: int, status: str, timeout: float = 60) -> dict:
        return wait_until(lambda: (lambda c: c if c["status"] == status else None)(self.campaign(cid)), timeout,
                          "campaign %d to be %s" % (cid, status),
                          on_fail=lambda: "campaign: %r\n%s" % (self.campaign(cid), self.log_tail(30)))


# ---------------------------------------------------------------------- messages


def contacts_csv(rows: list[dict], columns: list[str]) -> str:
    """CSV text (RFC 4180, CRLF) with a header row `columns`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([row.get(c, "") for c in columns])
    return buf.getvalue()


def parse(rec) -> email.message.EmailMessage:
    return email.message_from_bytes(rec.data, policy=email.policy.default)


def parts(msg) -> dict[str, str]:
    """{"text/plain": ..., "text/html": ...} decoded (quoted-printable, charset)."""
    out = {}
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            out[part.get_content_type()] = part.get_content()
    return out


def addr(value) -> str:
    """The address of a one-address header value ("<a@b>", "Name <a@b>")."""
    _, a = email.utils.parseaddr(str(value or ""))
    return a.lower()


_headers: dict[int, tuple] = {}


def head(rec) -> email.message.Message:
    """The header fields of a received message (parsed once, cached)."""
    hit = _headers.get(id(rec))
    if hit is None or hit[0] is not rec:
        hit = (rec, email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(rec.data))
        _headers[id(rec)] = hit
    return hit[1]


def of_campaign(mx, cid: int) -> list:
    """The received messages of campaign `cid` (by X-Campaign-ID)."""
    tag = "c%d" % cid
    return [r for r in mx.received() if (head(r).get("X-Campaign-ID") or "").strip() == tag]


def per_recipient(messages) -> Counter:
    """How many messages each To address got."""
    return Counter(addr(head(r)["To"]) for r in messages)


def wait_quiet(sample, quiet: float, timeout: float, what: str):
    """Polls `sample()` until it returns the same value for `quiet` seconds
    in a row; returns that value."""
    end = time.monotonic() + timeout
    last, since = sample(), time.monotonic()
    while True:
        time.sleep(0.2)
        value = sample()
        if value != last:
            last, since = value, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0fs waiting for %s to settle (last %r)" % (timeout, what, last))


def wait_campaign_done(petrel, cid: int, n: int, timeout: float = 120) -> list:
    """Waits until the receiver has `n` messages of campaign `cid`, the
    campaign is `sent`, analytics count `n` delivered and the queue is empty;
    returns the campaign's received messages."""
    mx = petrel.mx
    wait_until(lambda: len(of_campaign(mx, cid)) >= n, timeout, "%d messages of campaign %d" % (n, cid),
               on_fail=lambda: "got %d; analytics %r\n%s" % (len(of_campaign(mx, cid)), petrel.analytics(cid),
                                                              petrel.log_tail(30)))
    petrel.wait_status(cid, "sent")
    wait_until(lambda: petrel.analytics(cid)["delivered"] >= n, 60, "analytics delivered = %d" % n,
               on_fail=lambda: repr(petrel.analytics(cid)))
    wait_until(petrel.idle, 30, "the queue to empty")
    return of_campaign(mx, cid)


def duplicates(counter: Counter) -> dict:
    return {k: n for k, n in counter.items() if n > 1}


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.images: list[str] = []
        self._href = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self._href, self._text = a["href"], []
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def html_links(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """([(href, link text)], [img src]) of an HTML part, entities decoded."""
    p = _Links()
    p.feed(text)
    p.close()
    return p.links, p.images



# ------------------------------------------------------------------- scenarios

SIMPLE_SUBJECT = "News for {{first_name}}"
SIMPLE_HTML = ('<p>Hello {{first_name}},</p><p><a href="https://www.example.org/news">Read the news</a></p>'
               '<p><a href="{{preferences_url}}">Preferences</a></p>')
SIMPLE_TEXT = "Hello {{first_name}},\nRead the news: https://www.example.org/news\nPreferences: {{preferences_url}}\n"


def bulk_campaign(petrel, n: int, *, list_name: str = "all", prefix: str = "r", name: str = "bulk") -> tuple[int, set]:
    """Imports `n` contacts (spread over DOMAINS) into `list_name`, makes a
    template and a draft campaign to that list. Returns (campaign id, the
    set of addresses)."""
    rows = [{"email": "%s%05d@%s" % (prefix, i, DOMAINS[i % len(DOMAINS)]), "first_name": "Name%d" % i}
            for i in range(n)]
    report = petrel.import_csv(contacts_csv(rows, ["email", "first_name", "last_name", "tags"]), list_name=list_name)
    assert (report["inserted"], report["errors"]) == (n, []), report
    tpl = petrel.ok("POST", "/api/v1/templates", expect=201, json={
        "name": name, "subject": SIMPLE_SUBJECT, "html": SIMPLE_HTML, "text": SIMPLE_TEXT})
    camp = petrel.ok("POST", "/api/v1/campaigns", expect=201, json={
        "name": name, "template_id": tpl["id"], "from_address": FROM_ADDRESS, "from_name": "Petrel",
        "postal_address": "1 Test Street, Testville", "audience": {"lists": [list_name]}})
    assert camp["status"] == "draft", camp
    return camp["id"], {r["email"] for r in rows}
