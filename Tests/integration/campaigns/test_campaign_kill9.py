"""Crash safety of the campaign ledger: a campaign to 5,000 contacts, the
server killed with SIGKILL mid-campaign -- as soon as the first batch is
queued (analytics `sent` > 0) or the first message reaches the receiver,
while the runner is still working through the later batches (ledger row,
spool, queue) -- then started again on the same data directory (fsync on).
Without any API call the campaign resumes by itself and ends `sent`; every
contact got exactly one message: none lost, none mailed twice; the
analytics agree with what arrived.

A duplicate is reported two ways: the same Message-ID twice means the queue
delivered one spooled message twice across the crash (the at-least-once
window between the MX's 250 and the recorded outcome); two Message-IDs for
one address mean the ledger let the campaign render a contact twice."""
from collections import Counter

from campaign_harness import addr, bulk_campaign, head, of_campaign
from delivery_harness import wait_until

N = 5_000


def test_kill9_mid_campaign_then_restart_mails_everyone_exactly_once(campaign_petrel):
    petrel = campaign_petrel(spool={"fsync": True})
    mx = petrel.mx
    cid, emails = bulk_campaign(petrel, N)

    petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid, expect=202)

    def started():
        a = petrel.analytics(cid)
        return a if a["sent"] > 0 or of_campaign(mx, cid) else None
    at_kill = wait_until(started, 60, "the first batch queued", on_fail=lambda: petrel.log_tail(30))
    petrel.kill9()
    before = len(of_campaign(mx, cid))
    assert at_kill["sent"] < N, "the whole campaign was queued before the kill: the scenario did not test the " \
        "ledger (%r)" % at_kill

    petrel.start()
    status = petrel.campaign(cid)["status"]
    assert status in ("sending", "sent"), "after the restart the campaign is %r, not resuming" % status
    wait_until(lambda: len(of_campaign(mx, cid)) >= N, 180, "%d messages at the receiver" % N,
               on_fail=lambda: "got %d; analytics %r\n%s" % (len(of_campaign(mx, cid)), petrel.analytics(cid),
                                                             petrel.log_tail(30)))
    petrel.wait_status(cid, "sent")
    wait_until(lambda: petrel.queue_list() == [], 30, "the queue to empty")
    wait_until(petrel.idle, 30, "the queue to settle")
    msgs = of_campaign(mx, cid)

    by_mid = Counter(head(r)["Message-ID"] for r in msgs)
    to_of = {}
    for r in msgs:
        to_of.setdefault(addr(head(r)["To"]), set()).add(head(r)["Message-ID"])
    stats = petrel.analytics(cid)
    problems = []
    rendered_twice = {a: sorted(m) for a, m in to_of.items() if len(m) > 1}
    if rendered_twice:
        problems.append("%d contacts got two different messages (ledger): %r" % (
            len(rendered_twice), list(rendered_twice.items())[:5]))
    same_message = {m: k for m, k in by_mid.items() if k > 1}
    if same_message:
        problems.append("%d messages delivered twice across the kill (queue at-least-once): %r" % (
            len(same_message), sorted(same_message)[:5]))
    missing = emails - set(to_of)
    if missing:
        problems.append("%d contacts never mailed: %r" % (len(missing), sorted(missing)[:5]))
    if (stats["recipients"], stats["pending"], stats["sent"], stats["delivered"]) != (N, 0, N, N):
        problems.append("analytics recipients/pending/sent/delivered = %d/%d/%d/%d, want %d/0/%d/%d" % (
            stats["recipients"], stats["pending"], stats["sent"], stats["delivered"], N, N, N))
    assert not problems, "killed at sent=%d with %d messages received; after the restart %d received:\n%s" % (
        at_kill["sent"], before, len(msgs), "\n".join(problems))
    assert len(msgs) == N
