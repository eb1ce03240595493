"""`GET /api/v1/metrics` on a running `petrel serve` that delivers through a
real DNS server (dnsmasq) to aiosmtpd MX hosts, read with an independent
parser of the Prometheus text format (prometheus_client):

* it needs an API key with the scope `metrics` (or `all`): none is 401,
  another scope is 403;
* four messages over SMTP: held by `petrel queue suspend` (held.test),
  deferred then waiting (busy.test), delivered (ok.test), rejected with 550
  (bad.test, whose DSN is delivered to the sender's MX). The counters say 4
  accepted, the first two with exactly the bytes `queue show --raw` shows,
  recipients delivered 2 (the message and the DSN), deferred 1, bounced 1;
  the gauges say 2 messages in the spool, one waiting item each for
  busy.test and held.test, held.test suspended;
* with at most 2 connections per address and 3 in all, sessions left open
  show in `petrel_smtp_sessions` (3), one connection is refused over each
  limit and counted so, and the sessions are gone once closed."""
import re
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from delivery_harness import cli_ok, defer, mx_domain, reject, wait_until


def _key(petrel, name: str, scopes: str) -> str:
    r = cli_ok(petrel, "api-key", "create", "--name", name, "--scopes", scopes)
    secret = r.stdout.strip().splitlines()[-1].strip()
    assert re.fullmatch(r"pk_[0-9a-f]{40}", secret), r.stdout
    return secret


def _get(petrel, key: str | None) -> tuple[int, dict, str]:
    url = "http://%s/api/v1/metrics" % petrel.http["listen"]
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + key} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def _scrape(petrel, key: str) -> dict:
    """{(sample name, frozenset of labels): value}, parsed by prometheus_client."""
    status, headers, text = _get(petrel, key)
    assert status == 200, (status, text)
    assert headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"), headers
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def _value(samples: dict, name: str, **labels) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def test_metrics_count_outcomes_and_show_the_queue(dns, receivers, sender_mx, outbound):
    ok = mx_domain(dns, receivers, 1, "ok.test")
    busy = mx_domain(dns, receivers, 2, "busy.test", behaviours={"bo@busy.test": defer()})
    mx_domain(dns, receivers, 3, "bad.test", behaviours={"bea@bad.test": reject()})
    held = mx_domain(dns, receivers, 4, "held.test")
    petrel = outbound(delivery={"retry_initial": "300s"}, limits={"max_connections_per_ip": 2, "max_connections": 3})

    key = _key(petrel, "prometheus", "metrics")
    status, _, body = _get(petrel, None)
    assert status == 401, (status, body)
    status, _, body = _get(petrel, _key(petrel, "crm", "contacts"))
    assert status == 403 and "metrics" in body, (status, body)

    before = _scrape(petrel, key)
    assert _value(before, "petrel_smtp_messages_accepted_total") == 0, before
    assert _value(before, "petrel_spool_messages") == 0, before

    # First the two messages that stay queued: the bytes counted are those stored (Received field included).
    cli_ok(petrel, "queue", "suspend", "held.test")
    stored = 0
    for rcpt in ("hal@held.test", "bo@busy.test"):
        qid, _ = petrel.inject([rcpt])
        stored += len(petrel.queue_raw(qid))
    wait_until(lambda: busy.attempts("bo@busy.test") >= 1, 20, "an attempt at busy.test", on_fail=petrel.log_tail)
    middle = _scrape(petrel, key)
    assert _value(middle, "petrel_smtp_messages_accepted_total") == 2, middle
    assert _value(middle, "petrel_smtp_accepted_bytes_total") == stored, (middle, stored)

    for rcpt in ("ada@ok.test", "bea@bad.test"):
        petrel.inject([rcpt])
    wait_until(ok.received, 20, "the message at ok.test", on_fail=petrel.log_tail)
    wait_until(sender_mx.received, 20, "the DSN for bea@bad.test", on_fail=petrel.log_tail)
    wait_until(lambda: petrel.status() == {"scheduled": 2, "ready": 0, "inflight": 0}, 20, "two waiting items",
               on_fail=lambda: "%r\n%s" % (petrel.status(), petrel.log_tail(30)))

    def settled():
        s = _scrape(petrel, key)
        return s if _value(s, "petrel_recipients_total", outcome="delivered") == 2 else None

    after = wait_until(settled, 20, "2 delivered recipients in the metrics", on_fail=lambda: _get(petrel, key)[2])
    assert _value(after, "petrel_smtp_messages_accepted_total") == 4, after
    assert _value(after, "petrel_smtp_accepted_bytes_total") > stored, after
    assert _value(after, "petrel_recipients_total", outcome="deferred") == 1, after
    assert _value(after, "petrel_recipients_total", outcome="bounced") == 1, after
    assert _value(after, "petrel_recipients_total", outcome="expired") == 0, after
    assert _value(after, "petrel_recipients_total", outcome="suppressed") == 0, after
    assert _value(after, "petrel_spool_messages") == 2, after
    assert _value(after, "petrel_queue_items", state="scheduled") == 2, after
    assert _value(after, "petrel_queue_items", state="in_flight") == 0, after
    assert _value(after, "petrel_queue_domain_items", domain="busy.test") == 1, after
    assert _value(after, "petrel_queue_domain_items", domain="held.test") == 1, after
    assert _value(after, "petrel_queue_domain_items", domain="ok.test") is None, after
    assert _value(after, "petrel_queue_domain_suspended", domain="held.test") == 1, after
    assert _value(after, "petrel_queue_domain_suspended", domain="busy.test") is None, after
    age = _value(after, "petrel_queue_domain_oldest_seconds", domain="held.test")
    assert age is not None and 0 <= age < 120, after
    # The delivery suite runs with fsync off: group commits, but no sync.
    assert _value(after, "petrel_spool_group_commits_total") >= 4, after
    assert _value(after, "petrel_spool_syncs_total") == 0, after
    assert _value(after, "petrel_smtp_connections_total", result="admitted") >= 4, after
    assert held.connections == 0, "a suspended domain was contacted"

    # Sessions open now, and connections refused over the per-address limit (2) and the total limit (3).
    opened = []
    try:
        for source, code in (("127.0.0.1", 220), ("127.0.0.1", 220), ("127.0.0.1", 421), ("127.0.0.2", 220),
                             ("127.0.0.3", 421)):
            wire = petrel.wire(source=source)
            opened.append(wire)
            banner = wire.banner()
            assert banner.code == code, (source, banner)
            if code == 421:
                assert wire.is_closed(5)
        now = _scrape(petrel, key)
        assert _value(now, "petrel_smtp_sessions") == 3, now
        assert _value(now, "petrel_smtp_connections_total", result="refused_address_limit") == 1, now
        assert _value(now, "petrel_smtp_connections_total", result="refused_total_limit") == 1, now
    finally:
        for wire in opened:
            wire.close()
    wait_until(lambda: _value(_scrape(petrel, key), "petrel_smtp_sessions") == 0, 10, "the sessions to end")
