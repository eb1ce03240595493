"""Suppression: bounces and complaints stop further mail to an address.

A Petrel with `[bounces] domains = ["bounces.sender.test"]` sends with a
VERP envelope sender, b+TOKEN@bounces.sender.test (TOKEN: the queue id,
then the recipient's tag -- 0 for a delivery with several recipients --
and an HMAC, 32 characters of lower-case base32). Mail for the bounce
domain, taken without AUTH by an `inbound` listener, is handed to the
bounce processor (delivery log: remote host "petrel-bounce-processor",
reply "processed: ..."), which applies the `[suppression]` policy:

* a synchronous 550 5.1.1 during delivery, and an asynchronous RFC 3464
  DSN to a VERP address, suppress as hard-bounce; a later message to
  either address is never attempted (log "suppressed", 550 5.7.1);
* a one-recipient token names the recipient whatever the DSN's body says;
  a token whose HMAC does not verify is ignored (body recipients only);
* an RFC 5965 abuse report suppresses its recipient as complaint;
* soft bounces (5.2.2 mailbox full) suppress at the third within the
  window (soft_bounce_limit = 3), not before;
* `petrel suppression add` beside a running server takes effect within
  its one-second refresh; `remove` lets mail through again;
* the VERP key and the list outlive a restart.
"""
import hashlib
import json
import re
import time

import pytest

from delivery_harness import PETREL_HOSTNAME, SENDER, SENDER_DOMAIN, parse_dsn, reject, wait_until
from delivery_harness import cli_ok as _cli_ok, mx_domain as _domain
from petrel_harness import queue_id_of, run_cli, send_smtplib

BOUNCE_DOMAIN = "bounces.sender.test"
PROCESSOR = "petrel-bounce-processor"
VERP_RE = re.compile(r"^b\+([0-9a-z]{32})@" + re.escape(BOUNCE_DOMAIN) + "$")
# The base32 alphabet of the tokens (Crockford's, lower case: no i, l, o, u).
TOKEN_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ENTRY_KEYS = {"address", "kind", "reason", "source", "time", "detail"}
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

BOUNCES_TOML = """
[bounces]
domains = ["%s"]
verp = true
verp_prefix = "b"

[suppression]
hard_bounce = true
soft_bounce_limit = 3
soft_bounce_window = "7d"
complaint = true
fold_case = true
fold_plus_tags = false
""" % BOUNCE_DOMAIN


# ----------------------------------------------------------------------- helpers


def _petrel(outbound):
    """A Petrel with the relay listener (injection), an `inbound` listener
    "mx" (where bounces come back, no AUTH) and the bounce domain."""
    petrel = outbound(start=False, listeners=[
        {"name": "relay", "mode": "relay", "tls": "none"},
        {"name": "mx", "mode": "inbound", "tls": "none"},
    ])
    base = petrel.config_text
    petrel.config_text = lambda: base() + BOUNCES_TOML
    petrel.write_config()
    assert "[bounces]" in petrel.config_path.read_text()
    petrel.start()
    return petrel


def _suppressions(petrel) -> dict:
    """`petrel suppression list --json`, by address."""
    r = _cli_ok(petrel, "suppression", "list", "--json")
    out = {}
    for line in r.stdout.splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        assert set(entry) == ENTRY_KEYS, entry
        assert ISO_TIME.match(entry["time"]), entry
        assert entry["address"] not in out, "listed twice: %r" % entry
        out[entry["address"]] = entry
    return out


def _wait_suppressed(petrel, address, timeout=30) -> dict:
    return wait_until(lambda: _suppressions(petrel).get(address), timeout, "%s on the suppression list" % address,
                      on_fail=lambda: "list: %r\n%s" % (_suppressions(petrel), petrel.log_tail(40)))


def _is_suppressed(petrel, address) -> bool:
    """`petrel suppression check ADDR`: exit 1 when suppressed, 0 when not."""
    r = petrel.cli("suppression", "check", address)
    assert r.returncode in (0, 1), (r.returncode, r.stdout, r.stderr)
    if r.returncode == 0:
        assert r.stdout.strip() == "%s: not suppressed" % address, r.stdout
    else:
        assert r.stdout.startswith("%s: suppressed, " % address), r.stdout
    return r.returncode == 1


def _log_entries(petrel, qid, count=1, timeout=30) -> list:
    """The delivery log of `qid` (`petrel queue log ID`), once it has `count` entries."""
    def entries():
        r = _cli_ok(petrel, "queue", "log", qid)
        rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
        return rows if len(rows) >= count else None
    return wait_until(entries, timeout, "%d delivery log entries for %s" % (count, qid),
                      on_fail=lambda: petrel.log_tail(40))


def _logged_delivered(petrel, qid, rcpt):
    """Waits until the delivery log holds `qid`'s delivery to `rcpt`: a
    bounce maps its VERP token back through that log, so a DSN sent before
    the entry is written is processed as if it had no token. (Sending the
    DSN right after the "sent" log line lost the token in about one run in
    three: DeliveryLog.flush() can return while another flush's batch is
    still being written -- reported.)"""
    rows = _log_entries(petrel, qid)
    assert [(e["recipient"], e["status"]) for e in rows] == [(rcpt, "delivered")], rows


def _verp_token(received, qid, recipient=None) -> str:
    """Asserts the envelope sender the receiver saw is a VERP address for
    `qid` naming `recipient` (None: a delivery with several recipients)
    and returns the address."""
    m = VERP_RE.match(received.mail_from)
    assert m, "envelope sender %r is not b+TOKEN@%s" % (received.mail_from, BOUNCE_DOMAIN)
    token = m.group(1)
    assert token[:16] == qid.lower(), "token %s does not start with queue id %s" % (token, qid)
    # The 4-byte tag opens the 10-byte payload: its first 30 bits are the
    # first 6 characters. Tag: SHA-256 of the lower-case address (never 0).
    tag = 0
    if recipient is not None:
        tag = int.from_bytes(hashlib.sha256(recipient.lower().encode()).digest()[:4], "big") or 1
    want = "".join(TOKEN_ALPHABET[(tag >> (27 - 5 * i)) & 31] for i in range(6))
    assert token[16:22] == want, "token %s: tag part %s, want %s (recipient %r)" % (
        token, token[16:22], want, recipient)
    return received.mail_from


def _deliver_alone(petrel, mx, rcpt):
    """Sends one message to `rcpt` alone and waits until it is delivered and
    logged; returns (queue id, the one-recipient VERP sender it went with)."""
    qid, _ = petrel.inject([rcpt])
    (got,) = wait_until(mx.received, 30, "the message to %s" % rcpt, on_fail=petrel.log_tail)
    verp = _verp_token(got, qid, recipient=rcpt)
    petrel.wait_event("sent", rcpt, timeout=30)
    _logged_delivered(petrel, qid, rcpt)
    return qid, verp


def _send_report(petrel, rcpt: str, data: bytes) -> str:
    """A report from the null sender to `rcpt` through the inbound listener
    (no AUTH), as a remote MTA would send it. Returns its queue id."""
    with petrel.smtp("mx") as c:
        c.ehlo("mx.remote.test")
        code, text = send_smtplib(c, "", [rcpt], data)
        assert code == 250, "DATA -> %d %s" % (code, text)
        return queue_id_of(text)


def _dsn(to: str, final_recipient: str | None, status: str = "5.1.1",
         diagnostic: str = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown") -> bytes:
    """An RFC 3464 DSN (multipart/report, RFC 6522) from mx.rcpt.test.
    `final_recipient` None: the per-recipient block and the returned
    headers name no recipient at all."""
    rcpt = final_recipient or ""
    per_rcpt = "".join([
        "Final-Recipient: rfc822; %s\r\n" % rcpt if final_recipient else "",
        "Action: failed\r\n",
        "Status: %s\r\n" % status,
        "Remote-MTA: dns; mx.rcpt.test\r\n",
        "Diagnostic-Code: smtp; %s\r\n" % diagnostic.format(rcpt=rcpt),
    ])
    returned_to = "To: <%s>\r\n" % rcpt if final_recipient else ""
    return ("From: Mail Delivery System <MAILER-DAEMON@mx.rcpt.test>\r\n"
            "To: <%s>\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Date: Mon, 01 Jan 2024 00:10:00 +0000\r\n"
            "Message-ID: <dsn.%d@mx.rcpt.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"=_dsn\"\r\n"
            "\r\n"
            "--=_dsn\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n"
            "\r\n"
            "This is the mail system at host mx.rcpt.test.\r\n"
            "I'm sorry to have to inform you that your message could not be delivered.\r\n"
            "\r\n"
            "--=_dsn\r\n"
            "Content-Type: message/delivery-status\r\n"
            "\r\n"
            "Reporting-MTA: dns; mx.rcpt.test\r\n"
            "Arrival-Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
            "\r\n"
            "%s"
            "\r\n"
            "--=_dsn\r\n"
            "Content-Type: text/rfc822-headers\r\n"
            "\r\n"
            "From: <%s>\r\n"
            "%s"
            "Subject: delivery test\r\n"
            "Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
            "\r\n"
            "--=_dsn--\r\n"
            % (to, time.monotonic_ns(), per_rcpt, SENDER, returned_to)).encode()


def _arf(to: str, original_rcpt: str, feedback_type: str = "abuse") -> bytes:
    """An RFC 5965 feedback report whose returned message was sent to `original_rcpt`."""
    return ("From: <fbl@isp.test>\r\n"
            "To: <%s>\r\n"
            "Subject: FW: complaint about a message from %s\r\n"
            "Date: Mon, 01 Jan 2024 01:00:00 +0000\r\n"
            "Message-ID: <arf.%d@isp.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=feedback-report; boundary=\"=_arf\"\r\n"
            "\r\n"
            "--=_arf\r\n"
            "Content-Type: text/plain; charset=us-ascii\r\n"
            "\r\n"
            "This is an email abuse report for an email message received from IP 192.0.2.1.\r\n"
            "\r\n"
            "--=_arf\r\n"
            "Content-Type: message/feedback-report\r\n"
            "\r\n"
            "Feedback-Type: %s\r\n"
            "User-Agent: isp-fbl/1.0\r\n"
            "Version: 1\r\n"
            "Original-Mail-From: <%s>\r\n"
            "Arrival-Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
            "Reported-Domain: %s\r\n"
            "\r\n"
            "--=_arf\r\n"
            "Content-Type: message/rfc822\r\n"
            "\r\n"
            "From: <%s>\r\n"
            "To: <%s>\r\n"
            "Subject: delivery test\r\n"
            "Message-ID: <orig.%d@%s>\r\n"
            "Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"
            "\r\n"
            "Hello from the delivery suite.\r\n"
            "\r\n"
            "--=_arf--\r\n"
            % (to, SENDER_DOMAIN, time.monotonic_ns(), feedback_type, SENDER, SENDER_DOMAIN, SENDER, original_rcpt,
               time.monotonic_ns(), SENDER_DOMAIN)).encode()


def _processed(petrel, report_qid, report_rcpt) -> str:
    """Waits for the bounce processor to settle report `report_qid`; checks
    its delivery log entry and server log line; returns the "processed: ..."
    reply text."""
    (entry,) = _log_entries(petrel, report_qid)
    assert entry["status"] == "delivered" and entry["remote_host"] == PROCESSOR, entry
    assert entry["recipient"] == report_rcpt and entry["sender"] == "", entry
    assert entry["reply"].startswith("processed: "), entry
    lines = [line for line in petrel.log_text().splitlines()
             if "bounce processed" in line and "id=%s" % report_qid in line]
    assert len(lines) == 1, "one 'bounce processed' line for %s: %r" % (report_qid, lines)
    assert "to=%s" % report_rcpt in lines[0] and "result=" in lines[0], lines[0]
    # Every report's DKIM result rides along (RFC 8601); these reports are unsigned.
    reply, sep, auth = entry["reply"].partition(" [Authentication-Results: ")
    assert sep and auth == "%s; dkim=none]" % PETREL_HOSTNAME, entry["reply"]
    return reply


def _suppressed_event(petrel, rcpt, qid, kind_reason):
    (ev,) = petrel.wait_event("suppressed", rcpt, timeout=30)
    assert ev.fields["id"] == qid and ev.fields["dsn"] == "5.7.1", ev.line
    assert ev.fields["reply"].startswith(
        "550 5.7.1 recipient address suppressed: %s since " % kind_reason), ev.line
    return ev


# ------------------------------------------------------------------- end to end


def test_sync_and_async_bounces_suppress_and_later_mail_is_not_attempted(dns, receivers, outbound, sender_mx):
    ann, bob = "ann@rcpt.test", "bob@rcpt.test"
    mx = _domain(dns, receivers, 1, "rcpt.test", behaviours={ann: reject("550 5.1.1 No such user here")})
    petrel = _petrel(outbound)

    # One message, both recipients at one domain: one delivery with two
    # recipients, so its VERP token is a whole-message one (tag 0). The
    # later DSN for bob to that address is trusted for recipients the
    # message had (the per-recipient token is test_verp_token_*'s case).
    qid, mid = petrel.inject([ann, bob])
    (bounced,) = petrel.wait_event("bounced", ann, timeout=30)
    assert bounced.fields["id"] == qid and bounced.fields["dsn"] == "5.1.1", bounced.line
    (sent,) = petrel.wait_event("sent", bob, timeout=30)
    assert sent.fields["id"] == qid, sent.line
    (delivered,) = mx.received()
    assert delivered.rcpt_tos == [bob] and delivered.message_id == mid
    verp = _verp_token(delivered, qid, recipient=None)
    key = petrel.data_dir / "verp.key"  # [bounces] verp_key_file's default, made on first start
    assert key.is_file() and len(key.read_bytes()) == 32, key
    assert key.stat().st_mode & 0o077 == 0, "verp.key mode %o" % key.stat().st_mode

    # The synchronous 550 5.1.1 suppressed ann at once; bob is not (yet).
    entry = _wait_suppressed(petrel, ann)
    assert (entry["kind"], entry["reason"], entry["source"]) == ("hard-bounce", "userunknown", qid), entry
    assert "5.1.1" in entry["detail"], entry
    assert _is_suppressed(petrel, ann) and not _is_suppressed(petrel, bob)

    # Petrel's own DSN for ann goes to the sender from the null sender:
    # never rewritten to a VERP address.
    dsns = wait_until(sender_mx.received, 30, "the DSN for ann at sender.test's MX", on_fail=petrel.log_tail)
    assert [(d.mail_from, d.rcpt_tos) for d in dsns] == [("", [SENDER])]
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty (message and DSN done)")
    # The delivery log (through which the token maps back) has both, under
    # the message's own sender.
    rows = _log_entries(petrel, qid, count=2)
    assert sorted((e["recipient"], e["status"], e["sender"]) for e in rows) == \
        [(ann, "bounced", SENDER), (bob, "delivered", SENDER)], rows

    # Later bob's mailbox is gone: an asynchronous DSN to the VERP address.
    report_qid = _send_report(petrel, verp, _dsn(verp, bob))
    entry = _wait_suppressed(petrel, bob)
    assert (entry["kind"], entry["reason"], entry["source"]) == ("hard-bounce", "userunknown", report_qid), entry
    reply = _processed(petrel, report_qid, verp)
    assert reply == "processed: %s (VERP) suppressed: hard-bounce userunknown" % bob, reply
    assert set(_suppressions(petrel)) == {ann, bob}
    assert _is_suppressed(petrel, bob)
    # The report was processed, not delivered anywhere.
    assert len(mx.received()) == 1 and len(sender_mx.received()) == 1

    # A later message to both is never attempted.
    later_qid, _ = petrel.inject([ann, bob], subject="after the bounces")
    _suppressed_event(petrel, ann, later_qid, "hard-bounce (userunknown)")
    _suppressed_event(petrel, bob, later_qid, "hard-bounce (userunknown)")
    rows = _log_entries(petrel, later_qid, count=2)
    assert sorted((e["recipient"], e["status"]) for e in rows) == [(ann, "suppressed"), (bob, "suppressed")], rows
    for e in rows:
        assert e["reply_code"] == 550 and e["enhanced_code"] == "5.7.1", e
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty after the suppressed message")
    wait_until(petrel.idle, 20, "the queue to settle")
    assert mx.attempts(ann) == 1 and mx.attempts(bob) == 1, "a suppressed recipient was attempted"
    assert len(mx.received()) == 1
    assert petrel.events("sent", ann) == [] and len(petrel.events("sent", bob)) == 1
    assert len(petrel.events("bounced", ann)) == 1


# ------------------------------------------------------------------- VERP token


@pytest.mark.parametrize("body_names", ["other-address", "no-address"])
def test_verp_token_names_the_recipient_whatever_the_body_says(dns, receivers, outbound, sender_mx, body_names):
    bob, other = "bob@rcpt.test", "zed@elsewhere.test"
    mx = _domain(dns, receivers, 1, "rcpt.test")
    petrel = _petrel(outbound)

    # A message to bob alone: a one-recipient token naming bob.
    qid, verp = _deliver_alone(petrel, mx, bob)

    report_qid = _send_report(petrel, verp, _dsn(verp, other if body_names == "other-address" else None))
    reply = _processed(petrel, report_qid, verp)
    assert reply == "processed: %s (VERP) suppressed: hard-bounce userunknown" % bob, reply
    entries = _suppressions(petrel)
    assert set(entries) == {bob}, entries
    assert (entries[bob]["kind"], entries[bob]["source"]) == ("hard-bounce", report_qid), entries[bob]
    assert not _is_suppressed(petrel, other)


def test_forged_verp_token_is_not_trusted(dns, receivers, outbound, sender_mx):
    bob, dan = "bob@rcpt.test", "dan@rcpt.test"
    mx = _domain(dns, receivers, 1, "rcpt.test")
    petrel = _petrel(outbound)

    qid, verp = _deliver_alone(petrel, mx, bob)

    # Same length, same alphabet, one HMAC character changed.
    local, _, domain = verp.partition("@")
    last = local[-1]
    forged = "%s%s@%s" % (local[:-1], TOKEN_ALPHABET[(TOKEN_ALPHABET.index(last) + 1) % 32], domain)
    assert forged != verp and VERP_RE.match(forged)

    # Processed like a bounce without VERP: the body's recipient (dan) is
    # suppressed, the one the token would have named (bob) is not.
    report_qid = _send_report(petrel, forged, _dsn(forged, dan))
    reply = _processed(petrel, report_qid, forged)
    assert reply == "processed: %s suppressed: hard-bounce userunknown" % dan, reply
    entries = _suppressions(petrel)
    assert set(entries) == {dan}, entries
    assert (entries[dan]["kind"], entries[dan]["source"]) == ("hard-bounce", report_qid), entries[dan]
    assert not _is_suppressed(petrel, bob)

    # A forged token and a body naming nobody: nothing is suppressed.
    nobody_qid = _send_report(petrel, forged, _dsn(forged, None))
    reply = _processed(petrel, nobody_qid, forged)
    assert "(VERP)" not in reply and bob not in reply and "suppressed" not in reply, reply
    assert set(_suppressions(petrel)) == {dan}


# --------------------------------------------------------------------- complaint


def test_arf_abuse_report_suppresses_as_complaint(dns, receivers, outbound, sender_mx):
    carol = "carol@isp.test"
    mx = _domain(dns, receivers, 1, "isp.test")
    petrel = _petrel(outbound)
    fbl = "fbl@" + BOUNCE_DOMAIN
    # carol is a contact of the campaign layer: the complaint unsubscribes her (status complained).
    contacts_csv = petrel.workdir / "contacts.csv"
    contacts_csv.write_text("email,first_name\n%s,Carol\n" % carol)
    _cli_ok(petrel, "contacts", "import", str(contacts_csv))

    report_qid = _send_report(petrel, fbl, _arf(fbl, carol))
    reply = _processed(petrel, report_qid, fbl)
    assert reply == "processed: %s suppressed: complaint abuse" % carol, reply
    (contact,) = [json.loads(line) for line in _cli_ok(petrel, "contacts", "export", "--format", "jsonl")
                  .stdout.splitlines()]
    assert (contact["email"], contact["status"]) == (carol, "complained"), contact
    entries = _suppressions(petrel)
    assert set(entries) == {carol}, entries
    assert (entries[carol]["kind"], entries[carol]["reason"], entries[carol]["source"]) == \
        ("complaint", "abuse", report_qid), entries[carol]

    # A later message to carol is not attempted.
    qid, _ = petrel.inject([carol])
    _suppressed_event(petrel, carol, qid, "complaint (abuse)")
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    assert mx.attempts(carol) == 0 and mx.received() == []


# -------------------------------------------------------------------- soft bounce


def test_third_soft_bounce_suppresses(dns, receivers, outbound, sender_mx, tmp_path):
    sue = "sue@rcpt.test"
    mx = _domain(dns, receivers, 1, "rcpt.test")
    petrel = _petrel(outbound)

    def dsn(to):
        return _dsn(to, sue, status="5.2.2", diagnostic="552 5.2.2 <{rcpt}>: Mailbox full")

    # 5.2.2 (mailbox full) is a soft bounce for the classifier, though 5.x.x.
    sample = tmp_path / "soft.eml"
    sample.write_bytes(dsn("b@" + BOUNCE_DOMAIN))
    r = run_cli(["bounces", "import", "--json", str(sample)])
    assert r.returncode == 0, r.stderr
    (record,) = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert (record["recipient"], record["reason"], record["hardbounce"]) == (sue, "mailboxfull", False), record

    report_qids = []
    for n in (1, 2, 3):
        qid, _ = petrel.inject([sue], subject="message %d" % n)
        got = wait_until(lambda: len(mx.received()) >= n and mx.received(), 30, "message %d at the MX" % n,
                         on_fail=petrel.log_tail)
        verp = _verp_token(got[n - 1], qid, recipient=sue)
        petrel.wait_event("sent", sue, count=n, timeout=30)
        _logged_delivered(petrel, qid, sue)
        report_qids.append(_send_report(petrel, verp, dsn(verp)))
        reply = _processed(petrel, report_qids[-1], verp)
        if n < 3:
            assert reply == "processed: %s (VERP) soft bounce %d" % (sue, n), reply
            assert not _is_suppressed(petrel, sue), "suppressed after %d soft bounce(s)" % n
            assert _suppressions(petrel) == {}
        else:
            assert reply == "processed: %s (VERP) suppressed: soft-bounce mailboxfull" % sue, reply

    entries = _suppressions(petrel)
    assert set(entries) == {sue}, entries
    assert (entries[sue]["kind"], entries[sue]["reason"], entries[sue]["source"]) == \
        ("soft-bounce", "mailboxfull", report_qids[2]), entries[sue]
    assert entries[sue]["detail"].startswith("3 soft bounces"), entries[sue]

    qid, _ = petrel.inject([sue], subject="message 4")
    _suppressed_event(petrel, sue, qid, "soft-bounce (mailboxfull)")
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    assert mx.attempts(sue) == 3 and len(mx.received()) == 3


# ------------------------------------------------------------------ operator CLI


def test_suppression_add_and_remove_beside_a_running_server(dns, receivers, outbound, sender_mx):
    eve = "eve@rcpt.test"
    mx = _domain(dns, receivers, 1, "rcpt.test")
    petrel = _petrel(outbound)

    r = _cli_ok(petrel, "suppression", "add", "--reason", "asked by phone", "Eve@RCPT.test")
    assert r.stdout.strip() == "suppressed %s" % eve, r.stdout
    entries = _suppressions(petrel)
    assert set(entries) == {eve}, entries
    assert (entries[eve]["kind"], entries[eve]["reason"], entries[eve]["source"]) == \
        ("manual", "asked by phone", "cli"), entries[eve]
    assert _is_suppressed(petrel, eve)
    time.sleep(3)  # the server re-reads the list every second

    # fold_case: the list matches whatever case the recipient is written in.
    shouted = "EVE@Rcpt.Test"
    qid, _ = petrel.inject([shouted])
    _suppressed_event(petrel, shouted, qid, "manual (asked by phone)")
    (row,) = _log_entries(petrel, qid)
    assert (row["recipient"], row["status"]) == (shouted, "suppressed"), row
    # The sender asked for DSNs (by default, on failure): one says 5.7.1.
    (notice,) = wait_until(sender_mx.received, 30, "the DSN for eve", on_fail=petrel.log_tail)
    _, _, per_rcpt = parse_dsn(notice)
    assert [(b["Action"].strip(), b["Status"].strip()) for b in per_rcpt] == [("failed", "5.7.1")]
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    assert mx.attempts(eve) == 0 and mx.received() == []

    r = _cli_ok(petrel, "suppression", "remove", eve)
    assert r.stdout.strip() == "removed %s (manual)" % eve, r.stdout
    assert _suppressions(petrel) == {} and not _is_suppressed(petrel, eve)
    time.sleep(3)

    qid2, mid2 = petrel.inject([eve])
    (sent,) = petrel.wait_event("sent", eve, timeout=30)
    assert sent.fields["id"] == qid2, sent.line
    (got,) = wait_until(mx.received, 30, "the message after remove", on_fail=petrel.log_tail)
    assert got.message_id == mid2 and got.rcpt_tos == [eve]
    _verp_token(got, qid2, recipient=eve)
    assert petrel.events("suppressed", eve) == [] and len(petrel.events("suppressed", shouted)) == 1


# ------------------------------------------------------------------------ restart


def test_tokens_and_list_survive_a_restart(dns, receivers, outbound, sender_mx):
    bob, other = "bob@rcpt.test", "zed@elsewhere.test"
    mx = _domain(dns, receivers, 1, "rcpt.test")
    petrel = _petrel(outbound)
    qid, verp = _deliver_alone(petrel, mx, bob)
    key = (petrel.data_dir / "verp.key").read_bytes()

    # The key file is kept: a token signed before the restart still verifies.
    assert petrel.stop() == 0
    petrel.start()
    assert (petrel.data_dir / "verp.key").read_bytes() == key, "verp.key was replaced at start"
    report_qid = _send_report(petrel, verp, _dsn(verp, other))
    reply = _processed(petrel, report_qid, verp)
    assert reply == "processed: %s (VERP) suppressed: hard-bounce userunknown" % bob, reply

    # The list is in the database: after another restart bob is still not attempted.
    assert petrel.stop() == 0
    petrel.start()
    this_run = petrel.log_text().rsplit("===== start", 1)[1]
    loaded = [line for line in this_run.splitlines() if "suppression list loaded" in line]
    assert len(loaded) == 1 and "addresses=1 " in loaded[0], loaded
    later_qid, _ = petrel.inject([bob])
    _suppressed_event(petrel, bob, later_qid, "hard-bounce (userunknown)")
    wait_until(lambda: petrel.queue_list() == [], 20, "the queue to empty")
    assert mx.attempts(bob) == 1 and len(mx.received()) == 1


# ------------------------------------------------------------------------- DKIM


def test_reports_are_dkim_verified(dns, receivers, outbound, sender_mx, tmp_path):
    """Mail arriving on the bounce domain is DKIM-verified (RFC 6376 §6, key
    from DNS through Petrel's resolver) and the Authentication-Results value
    goes into the delivery log and the log line: a report signed by the ISP
    passes, the same report altered after signing fails."""
    import base64
    import subprocess

    key_pem = tmp_path / "isp.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                    "-out", str(key_pem)], check=True, capture_output=True)
    public_der = subprocess.run(["openssl", "pkey", "-in", str(key_pem), "-pubout", "-outform", "DER"],
                                check=True, capture_output=True).stdout
    # 2048-bit key: the record is longer than one 255-octet character-string.
    dns.txt("fbl2026._domainkey.isp.test", "v=DKIM1; k=rsa; p=" + base64.b64encode(public_der).decode())
    _domain(dns, receivers, 1, "isp.test")
    petrel = _petrel(outbound)
    fbl = "fbl@" + BOUNCE_DOMAIN

    # dkimpy is Debian's python3-dkim: run by the system interpreter, not the one running pytest.
    signer = tmp_path / "sign.py"
    signer.write_text(
        "import dkim, sys\n"
        "message = sys.stdin.buffer.read()\n"
        "key = open(sys.argv[1], 'rb').read()\n"
        "sys.stdout.buffer.write(dkim.sign(message, b'fbl2026', b'isp.test', key,\n"
        "    canonicalize=(b'relaxed', b'relaxed'),\n"
        "    include_headers=[b'From', b'To', b'Subject', b'Date', b'Message-ID']) + message)\n")

    def signed(rcpt):
        out = subprocess.run(["/usr/bin/python3", "-I", str(signer), str(key_pem)], input=_arf(fbl, rcpt),
                             capture_output=True)
        assert out.returncode == 0, "dkimpy (apt-get install -y python3-dkim): %s" % out.stderr.decode()
        return out.stdout

    good_qid = _send_report(petrel, fbl, signed("carol@isp.test"))
    (good,) = _log_entries(petrel, good_qid)
    assert "dkim=pass" in good["reply"] and "header.d=isp.test" in good["reply"], good["reply"]
    assert "carol@isp.test suppressed: complaint abuse" in good["reply"], good["reply"]
    line = [x for x in petrel.log_text().splitlines() if "bounce processed" in x and good_qid in x]
    assert len(line) == 1 and "auth=%s; dkim=pass" % PETREL_HOSTNAME in line[0], line

    tampered = signed("dave@isp.test").replace(b"Hello from the delivery suite.", b"Hello from someone else.")
    bad_qid = _send_report(petrel, fbl, tampered)
    (bad,) = _log_entries(petrel, bad_qid)
    assert "dkim=fail" in bad["reply"] and "header.d=isp.test" in bad["reply"], bad["reply"]
