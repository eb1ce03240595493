"""The operator's commands through the real command line (`petrel queue …
--config FILE`) against a running `petrel serve` (control socket) and
against a data directory with no server:

* suspend DOMAIN: nothing is attempted for the domain (not after CLOCK
  ADVANCE past the retry time, not after `queue flush`), `list --by-domain
  --json` says `"suspended": true`, and it holds across a SIGTERM + start on
  the same data directory; resume DOMAIN delivers;
* flush DOMAIN: a deferred message goes out at once, without the clock
  moving, and only that domain's;
* bounce ID: a DSN (Action failed, Status 5.0.0) to the sender, message
  gone; delete ID: message gone, no DSN;
* log ID: one JSON line per attempt, deferred then delivered;
* no server: flush fails saying so; suspend writes the file, and the server
  honours it when it starts."""
import json
import signal

from delivery_harness import SENDER, defer, parse_dsn, wait_until
from delivery_harness import cli_ok as _cli_ok, mx_domain as _domain


# ----------------------------------------------------------------------- helpers


def _by_domain(petrel) -> dict:
    r = _cli_ok(petrel, "queue", "list", "--by-domain", "--json")
    out = {}
    for line in r.stdout.splitlines():
        if line.strip():
            obj = json.loads(line)
            out[obj["domain"]] = obj
    return out


def _settled(petrel, scheduled: int):
    """Waits until the queue holds exactly `scheduled` waiting items and
    nothing ready or in flight."""
    want = {"scheduled": scheduled, "ready": 0, "inflight": 0}
    wait_until(lambda: petrel.status() == want, 10, "STATUS %r" % want,
               on_fail=lambda: "STATUS %r\n%s" % (petrel.status(), petrel.log_tail(30)))


def _queue_ids(petrel) -> set:
    return {e["id"] for e in petrel.queue_list()}


# ------------------------------------------------------------------ suspend/resume


def test_suspend_holds_across_flush_clock_and_restart_then_resume_delivers(dns, receivers, outbound):
    held_rcpt, other_rcpt = "dora@held.test", "omar@other.test"
    held = _domain(dns, receivers, 1, "held.test")
    other = _domain(dns, receivers, 2, "other.test")
    petrel = outbound(delivery={"retry_initial": "300s"})

    r = _cli_ok(petrel, "queue", "suspend", "HELD.test")
    assert r.stdout.strip() == "held.test suspended", r.stdout
    qid, mid = petrel.inject([held_rcpt])
    # A second domain, injected after: once it is delivered the queue has
    # looked at the first one too, and the server is shown to deliver.
    _, other_mid = petrel.inject([other_rcpt])
    got = wait_until(other.received, 20, "the control message at other.test", on_fail=petrel.log_tail)
    assert [m.message_id for m in got] == [other_mid]
    _settled(petrel, 1)
    assert held.connections == 0 and held.received() == [], "a suspended domain was contacted"

    by_domain = _by_domain(petrel)
    assert "held.test" in by_domain, by_domain
    entry = dict(by_domain["held.test"])
    age = entry.pop("oldest_age_seconds")
    assert entry == {"domain": "held.test", "messages": 1, "recipients": 1, "suspended": True}, by_domain
    assert isinstance(age, int) and 0 <= age < 120, by_domain
    assert "other.test" not in by_domain, by_domain  # delivered: nothing pending

    # Past any retry time, then flush (all, then the domain): still held.
    petrel.advance(4000)
    r = _cli_ok(petrel, "queue", "flush")
    assert r.stdout.startswith("flushed "), r.stdout
    _cli_ok(petrel, "queue", "flush", "held.test")
    _settled(petrel, 1)
    assert held.connections == 0 and held.received() == [], "suspended domain attempted after advance/flush"
    assert petrel.events(to=held_rcpt) == [], petrel.events(to=held_rcpt)
    assert (petrel.data_dir / "suspended-domains").read_text().split() == ["held.test"]

    # SIGTERM, start again on the same data directory: still suspended.
    petrel.signal(signal.SIGTERM)
    rc = petrel.wait_exit(20)
    petrel.stop()
    assert rc == 0, "petrel serve exit %r after SIGTERM" % rc
    petrel.start()
    petrel.advance(4000)
    _cli_ok(petrel, "queue", "flush")
    _settled(petrel, 1)
    assert held.connections == 0 and held.received() == [], "suspension lost across the restart"
    assert _by_domain(petrel)["held.test"]["suspended"] is True
    assert qid in _queue_ids(petrel)

    r = _cli_ok(petrel, "queue", "resume", "held.test")
    assert r.stdout.strip() == "held.test resumed", r.stdout
    got = wait_until(held.received, 20, "the held message after resume", on_fail=petrel.log_tail)
    assert len(got) == 1 and got[0].message_id == mid and got[0].rcpt_tos == [held_rcpt]
    (sent,) = petrel.wait_event("sent", held_rcpt)
    assert sent.fields["id"] == qid
    wait_until(lambda: qid not in _queue_ids(petrel), 10, "%s to leave the queue" % qid)
    assert "held.test" not in _by_domain(petrel)
    assert (petrel.data_dir / "suspended-domains").read_text().split() == []
    assert len(other.received()) == 1, "the control message was delivered again after the restart"


# -------------------------------------------------------------------------- flush


def test_flush_domain_sends_deferred_mail_now_without_clock(dns, receivers, outbound):
    rcpt, other_rcpt = "fern@flush.test", "gus@wait.test"
    mx = _domain(dns, receivers, 1, "flush.test", behaviours={rcpt: defer(first=1)})
    other = _domain(dns, receivers, 2, "wait.test", behaviours={other_rcpt: defer(first=1)})
    petrel = outbound(delivery={"retry_initial": "300s"})

    qid, mid = petrel.inject([rcpt])
    other_qid, _ = petrel.inject([other_rcpt])
    petrel.wait_event("deferred", rcpt)
    petrel.wait_event("deferred", other_rcpt)
    _settled(petrel, 2)
    assert mx.attempts(rcpt) == 1 and other.attempts(other_rcpt) == 1

    r = _cli_ok(petrel, "queue", "flush", "flush.test")
    assert r.stdout.strip() == "flushed 1 queued deliveries", r.stdout
    got = wait_until(mx.received, 10, "the flushed message at flush.test", on_fail=petrel.log_tail)
    assert len(got) == 1 and got[0].message_id == mid and got[0].rcpt_tos == [rcpt]
    (sent,) = petrel.wait_event("sent", rcpt)
    assert sent.fields["id"] == qid and sent.fields["attempt"] == "2", sent.line
    wait_until(lambda: qid not in _queue_ids(petrel), 10, "%s to leave the queue" % qid)

    # Only flush.test was flushed: wait.test still waits for its retry time.
    _settled(petrel, 1)
    assert other.attempts(other_rcpt) == 1 and other.received() == []
    assert other_qid in _queue_ids(petrel)


# -------------------------------------------------------------------- bounce/delete


def test_bounce_returns_dsn_and_delete_is_silent(dns, receivers, outbound, sender_mx):
    kept, dropped = "hal@stuck.test", "ida@stuck.test"
    mx = _domain(dns, receivers, 1, "stuck.test", default=defer())
    petrel = outbound(delivery={"retry_initial": "300s"})

    bounce_qid, bounce_mid = petrel.inject([kept], subject="to be bounced")
    delete_qid, _ = petrel.inject([dropped], subject="to be deleted")
    petrel.wait_event("deferred", kept)
    petrel.wait_event("deferred", dropped)
    _settled(petrel, 2)

    r = _cli_ok(petrel, "queue", "delete", delete_qid)
    assert r.stdout.strip() == "deleted %s" % delete_qid, r.stdout
    assert delete_qid not in _queue_ids(petrel)
    r = _cli_ok(petrel, "queue", "bounce", bounce_qid)
    assert r.stdout.strip() == "bounced %s" % bounce_qid, r.stdout

    dsns = wait_until(sender_mx.received, 20, "the DSN at sender.test's MX", on_fail=petrel.log_tail)
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty (both gone, DSN sent)")
    _settled(petrel, 0)
    dsns = sender_mx.received()
    assert len(dsns) == 1, "expected one DSN (bounce), not one for delete: %d" % len(dsns)
    rec = dsns[0]
    assert rec.mail_from == "" and rec.rcpt_tos == [SENDER], (rec.mail_from, rec.rcpt_tos)
    _, _, per_rcpt = parse_dsn(rec)
    assert len(per_rcpt) == 1, [b.items() for b in per_rcpt]
    block = per_rcpt[0]
    assert block["Final-Recipient"].replace(" ", "").lower() == "rfc822;" + kept
    assert block["Action"].strip() == "failed"
    assert block["Status"].strip() == "5.0.0"
    assert bounce_mid in rec.data.decode(errors="replace")
    assert mx.received() == []

    # Neither is retried afterwards.
    petrel.advance(4000)
    _settled(petrel, 0)
    assert mx.attempts(kept) == 1 and mx.attempts(dropped) == 1

    # An id that is no longer queued is an error.
    r = petrel.cli("queue", "delete", delete_qid)
    assert r.returncode != 0 and "no message %s" % delete_qid in r.stderr, (r.returncode, r.stdout, r.stderr)


# ---------------------------------------------------------------------------- log


def test_queue_log_shows_deferred_then_delivered(dns, receivers, outbound):
    rcpt = "jan@log.test"
    _domain(dns, receivers, 1, "log.test",
            behaviours={rcpt: defer(first=1, reply="451 4.3.0 Try again later")})
    petrel = outbound(delivery={"retry_initial": "300s"})

    qid, _ = petrel.inject([rcpt])
    petrel.wait_event("deferred", rcpt)
    _settled(petrel, 1)
    petrel.advance(400)
    petrel.wait_event("sent", rcpt)

    def entries():
        r = _cli_ok(petrel, "queue", "log", qid)
        rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        return rows if len(rows) >= 2 else None

    rows = wait_until(entries, 10, "two delivery log entries for %s" % qid)
    assert [e["status"] for e in rows] == ["deferred", "delivered"], rows
    deferred, delivered = rows
    for e in rows:
        assert e["queue_id"] == qid and e["recipient"] == rcpt and e["sender"] == SENDER, e
        assert e["remote_host"] == "mx.log.test", e
    assert deferred["reply_code"] == 451 and deferred["enhanced_code"] == "4.3.0", deferred
    assert deferred["reply"] == "Try again later", deferred
    assert delivered["reply_code"] == 250 and delivered["enhanced_code"] == "2.0.0", delivered
    assert delivered["reply"] == "Ok: queued", delivered


# ---------------------------------------------------------------------- no server


def test_without_server_flush_fails_and_suspend_is_kept_for_start(dns, receivers, outbound):
    rcpt, other_rcpt = "kim@offline.test", "lou@online.test"
    held = _domain(dns, receivers, 1, "offline.test")
    other = _domain(dns, receivers, 2, "online.test")
    petrel = outbound(start=False)

    r = petrel.cli("queue", "flush")
    assert r.returncode != 0, (r.returncode, r.stdout, r.stderr)
    assert "not running" in r.stderr, r.stderr
    r = petrel.cli("queue", "flush", "offline.test")
    assert r.returncode != 0 and "not running" in r.stderr, (r.returncode, r.stderr)

    r = _cli_ok(petrel, "queue", "suspend", "offline.test")
    assert r.stdout.strip() == "offline.test suspended", r.stdout
    assert (petrel.data_dir / "suspended-domains").read_text().split() == ["offline.test"]
    assert _by_domain(petrel) == {"offline.test": {
        "domain": "offline.test", "messages": 0, "recipients": 0, "oldest_age_seconds": None,
        "suspended": True}}

    petrel.start()
    qid, mid = petrel.inject([rcpt])
    _, other_mid = petrel.inject([other_rcpt])
    wait_until(other.received, 20, "the control message at online.test", on_fail=petrel.log_tail)
    petrel.advance(4000)
    _settled(petrel, 1)
    assert held.connections == 0 and held.received() == [], "the suspension written offline was ignored"
    assert _by_domain(petrel)["offline.test"]["suspended"] is True

    _cli_ok(petrel, "queue", "resume", "offline.test")
    got = wait_until(held.received, 20, "the message after resume", on_fail=petrel.log_tail)
    assert len(got) == 1 and got[0].message_id == mid
    wait_until(lambda: qid not in _queue_ids(petrel), 10, "%s to leave the queue" % qid)
