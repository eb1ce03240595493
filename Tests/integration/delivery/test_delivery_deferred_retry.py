"""Deferred, then delivered on retry: the MX answers 450 to RCPT on the
first attempt. The recipient stays queued (state deferred) and nothing is
retried until queue time passes retry_initial (300 s, jitter ±10%: due
between 270 s and 330 s); after `CLOCK ADVANCE` past that it is delivered
once. While it waits, `queue list` shows the recipient deferred."""
from delivery_harness import defer, wait_until


def _retry_domain(dns, receivers, rcpt):
    dns.mx("retry.test", "mx.retry.test", 10)
    dns.a("mx.retry.test", receivers.ip(1))
    return receivers.add(1, "mx.retry.test", behaviours={rcpt: defer(first=1)})


def test_deferred_recipient_listed_as_deferred(dns, receivers, outbound):
    rcpt = "carol@retry.test"
    _retry_domain(dns, receivers, rcpt)
    petrel = outbound(delivery={"retry_initial": "300s"})

    qid, _ = petrel.inject([rcpt])

    petrel.wait_event("deferred", rcpt)
    wait_until(petrel.idle, 10, "the queue to settle after the first attempt")
    (entry,) = [e for e in petrel.queue_list() if e["id"] == qid]
    assert entry["recipient_states"] == ["deferred"], entry


def test_deferred_then_delivered_on_retry(dns, receivers, outbound):
    rcpt = "carol@retry.test"
    mx = _retry_domain(dns, receivers, rcpt)
    petrel = outbound(delivery={"retry_initial": "300s", "retry_factor": 2.0, "retry_max": "1h"})

    qid, mid = petrel.inject([rcpt])

    (ev,) = petrel.wait_event("deferred", rcpt)
    assert ev.fields["id"] == qid
    assert ev.fields["dsn"] == "4.2.1", ev.line
    assert ev.fields["reply"].startswith("450 4.2.1"), ev.line
    wait_until(petrel.idle, 10, "the queue to settle after the first attempt")
    assert mx.attempts(rcpt) == 1
    assert mx.received() == []

    # 260 s < 270 s: the earliest the retry may be due. Nothing moves.
    petrel.advance(260)
    wait_until(petrel.idle, 10, "the queue to settle after CLOCK ADVANCE 260")
    s = petrel.status()
    assert s == {"scheduled": 1, "ready": 0, "inflight": 0}, s
    assert mx.attempts(rcpt) == 1, "retried before retry_initial (-10%% jitter) had passed"
    assert mx.received() == []
    assert petrel.events("sent", rcpt) == []

    # 340 s in total > 330 s: the latest it may be due.
    petrel.advance(80)
    got = wait_until(lambda: mx.received(), 20, "the retried message at the MX", on_fail=petrel.log_tail)
    (sent,) = petrel.wait_event("sent", rcpt)
    assert sent.fields["id"] == qid
    assert sent.fields["attempt"] == "2", sent.line
    assert sent.fields["dsn"] == "2.0.0", sent.line
    assert len(got) == 1 and got[0].message_id == mid and got[0].rcpt_tos == [rcpt]
    assert mx.attempts(rcpt) == 2
    wait_until(lambda: not any(e["id"] == qid for e in petrel.queue_list()), 10, "%s to leave the queue" % qid)
