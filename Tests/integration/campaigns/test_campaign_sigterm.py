"""A graceful stop mid-campaign: SIGTERM while a campaign to 5,000 contacts
is sending. The batches in flight reach the spool and the ledger, no new one
starts, and the campaign stays `sending` (a stop is not a pause); the server
exits 0. Started again on the same data directory, the campaign resumes by
itself and ends `sent`, every contact mailed exactly once."""
import re

from campaign_harness import addr, bulk_campaign, head, of_campaign
from delivery_harness import wait_until

N = 5_000


def test_sigterm_mid_campaign_keeps_it_sending_and_restart_finishes_it(campaign_petrel):
    petrel = campaign_petrel(spool={"fsync": True})
    mx = petrel.mx
    cid, emails = bulk_campaign(petrel, N)
    petrel.ok("POST", "/api/v1/campaigns/%d/send" % cid, expect=202)
    at_stop = wait_until(lambda: (lambda a: a if a["sent"] > 0 else None)(petrel.analytics(cid)), 60,
                         "the first batch queued", on_fail=lambda: petrel.log_tail(30))
    rc = petrel.stop(timeout=30)
    assert rc == 0, "exit status %r after SIGTERM\n%s" % (rc, petrel.log_tail(30))
    assert at_stop["sent"] < N, "the whole campaign was queued before the stop: %r" % at_stop
    assert not re.search(r"campaign \d+ failed", petrel.log_tail(400)), petrel.log_tail(30)

    petrel.start()
    status = petrel.campaign(cid)["status"]
    assert status in ("sending", "sent"), "after a graceful stop the campaign is %r" % status
    wait_until(lambda: len(of_campaign(mx, cid)) >= N, 180, "%d messages at the receiver" % N,
               on_fail=lambda: "got %d\n%s" % (len(of_campaign(mx, cid)), petrel.log_tail(30)))
    petrel.wait_status(cid, "sent")
    wait_until(petrel.idle, 30, "the queue to settle")
    received = [addr(head(r)["To"]) for r in of_campaign(mx, cid)]
    assert len(received) == N and set(received) == emails, "%d received, %d distinct, %d missing" % (
        len(received), len(set(received)), len(emails - set(received)))
