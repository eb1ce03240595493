"""Pause and resume are exact: a campaign to 2,500 contacts is paused right
after `send` (202). The runner works in batches of 1,000 and a pause takes
effect after the batch in flight: the campaign reports `paused`, the number
of messages at the receiver stops growing at a whole number of batches (and
equals analytics `sent`), and stays there while paused. `resume` (202) sends
the rest: in the end every contact got exactly one message (counted by To
address and by Message-ID) and the campaign is `sent`."""
import time

from campaign_harness import (bulk_campaign, duplicates, head, of_campaign, per_recipient, wait_campaign_done,
                              wait_quiet)
from delivery_harness import wait_until

N = 2_500
BATCH = 1_000


def test_pause_stops_after_the_batch_in_flight_and_resume_sends_each_contact_once(campaign_petrel):
    petrel = campaign_petrel()
    mx = petrel.mx
    cid, emails = bulk_campaign(petrel, N)

    petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid, expect=202)
    status, _, paused = petrel.api("POST", "/api/v1/campaigns/%d/pause" % cid)
    assert status == 200, "pause right after send -> %d %r (if the campaign was already sent, the runner " \
        "finished 2,500 contacts before the pause arrived: raise N)" % (status, paused)
    assert paused["status"] == "paused", paused
    assert petrel.campaign(cid)["status"] == "paused"

    # The batch in flight is queued and delivered; then nothing moves.
    def snapshot():
        a = petrel.analytics(cid)
        return len(of_campaign(mx, cid)), a["recipients"], a["sent"], a["delivered"], a["pending"]
    got, recipients, sent, delivered, pending = wait_quiet(snapshot, 3.0, 60, "the paused campaign")
    assert pending == 0 and got == recipients == sent == delivered, \
        "paused and quiet, but received %d, recipients %d, sent %d, delivered %d, pending %d" % (
            got, recipients, sent, delivered, pending)
    wait_until(petrel.idle, 30, "the queue to empty")
    time.sleep(1)
    assert len(of_campaign(mx, cid)) == got, "still sending while paused"
    assert petrel.campaign(cid)["status"] == "paused"
    assert got < N and got % BATCH == 0, \
        "paused after %d messages: expected a whole number of %d-contact batches, fewer than %d" % (got, BATCH, N)
    assert not duplicates(per_recipient(of_campaign(mx, cid)))

    resumed = petrel.ok("POST", "/api/v1/campaigns/%d/resume" % cid, expect=202)
    assert resumed["status"] in ("sending", "sent"), resumed
    msgs = wait_campaign_done(petrel, cid, N)
    counts = per_recipient(msgs)
    assert not duplicates(counts), "mailed more than once: %r" % list(duplicates(counts).items())[:10]
    assert set(counts) == emails, "missing: %r" % sorted(emails - set(counts))[:10]
    mids = [head(r)["Message-ID"] for r in msgs]
    assert len(set(mids)) == len(mids) == N
    stats = petrel.analytics(cid)
    assert (stats["recipients"], stats["pending"], stats["sent"], stats["delivered"]) == (N, 0, N, N), stats

