"""Bounced: the MX rejects one recipient with 550 5.1.1 and accepts the
other. The rejected one is final at once (no retry); a DSN (RFC 3464,
multipart/report per RFC 6522) from the null sender goes to the envelope
sender through sender.test's MX: Action failed, Status 5.1.1, the
receiver's reply as Diagnostic-Code. With NOTIFY=NEVER (RFC 3461 §4.1)
no DSN is sent."""
from delivery_harness import PETREL_HOSTNAME, SENDER, reject, parse_dsn, wait_until


def test_bounce_sends_dsn_to_sender(dns, receivers, outbound, sender_mx):
    bad, good = "nobody@bounce.test", "somebody@bounce.test"
    dns.mx("bounce.test", "mx.bounce.test", 10)
    dns.a("mx.bounce.test", receivers.ip(1))
    mx = receivers.add(1, "mx.bounce.test", behaviours={bad: reject("550 5.1.1 No such user here")})
    petrel = outbound()

    qid, mid = petrel.inject([bad, good])

    (ev,) = petrel.wait_event("bounced", bad)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "5.1.1", ev.line
    assert ev.fields["reply"].startswith("550 5.1.1"), ev.line
    petrel.wait_event("sent", good)
    (delivered,) = mx.received()
    assert delivered.rcpt_tos == [good] and delivered.message_id == mid

    dsns = wait_until(lambda: sender_mx.received(), 20, "the DSN at sender.test's MX", on_fail=petrel.log_tail)
    assert len(dsns) == 1, "expected one DSN, got %d" % len(dsns)
    rec = dsns[0]
    assert rec.mail_from == "", "DSN envelope sender must be null (RFC 3464 §2), got %r" % rec.mail_from
    assert rec.rcpt_tos == [SENDER]
    msg, per_message, per_rcpt = parse_dsn(rec)
    assert per_message.get("Reporting-MTA", "").replace(" ", "").lower() == "dns;" + PETREL_HOSTNAME, \
        per_message.items()
    assert len(per_rcpt) == 1, "only the failed recipient is reported: %r" % [b.items() for b in per_rcpt]
    block = per_rcpt[0]
    assert block["Final-Recipient"].replace(" ", "").lower() == "rfc822;" + bad
    assert block["Action"].strip() == "failed"
    assert block["Status"].strip() == "5.1.1"
    diag = block["Diagnostic-Code"].strip()
    assert diag.lower().startswith("smtp;") and "550 5.1.1" in diag, diag
    assert mid in rec.data.decode(errors="replace"), "the original's Message-ID is returned with the DSN"

    # The rejected recipient was tried once only: 5xx is final.
    assert mx.attempts(bad) == 1
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty (message and DSN done)")


def test_notify_never_suppresses_the_dsn(dns, receivers, outbound, sender_mx):
    bad = "nobody@bounce.test"
    dns.mx("bounce.test", "mx.bounce.test", 10)
    dns.a("mx.bounce.test", receivers.ip(1))
    receivers.add(1, "mx.bounce.test", behaviours={bad: reject("550 5.1.1 No such user here")})
    petrel = outbound()

    qid, _ = petrel.inject([bad], rcpt_options=["NOTIFY=NEVER"])

    (ev,) = petrel.wait_event("bounced", bad)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "5.1.1", ev.line
    # A failure notice would be queued before the message is removed.
    wait_until(lambda: petrel.queue_list() == [], 10, "the queue to empty")
    wait_until(petrel.idle, 10, "the queue to settle")
    assert sender_mx.received() == [], "a DSN was sent for a NOTIFY=NEVER recipient"
    assert "failure notice queued" not in petrel.log_text()
