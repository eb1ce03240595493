"""Headers added at acceptance: Received on every listener; Message-ID and
Date on the submission listener when the message has none, and an existing
Message-ID is kept."""
import re

from petrel_harness import PASSWORD, USER, queue_id_of, send_smtplib
from smtpwire import message


def submit(srv, headers, body="text"):
    with srv.smtp("submission_plain") as s:
        s.ehlo()
        s.login(USER, PASSWORD)
        code, text = send_smtplib(s, "alice@example.net", ["bob@example.com"], message(headers, body))
    assert code == 250, text
    return queue_id_of(text)


def header(shown: str, name: str) -> list[str]:
    return re.findall(r"(?im)^%s:[ \t]*(.*)$" % re.escape(name), shown)


def test_message_id_and_date_added(petrel):
    qid = submit(petrel, {"From": "alice@example.net", "To": "bob@example.com", "Subject": "bare"})
    shown = petrel.queue_show(qid)
    mids = header(shown, "Message-ID")
    assert len(mids) == 1 and re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", mids[0].strip()), shown
    assert len(header(shown, "Date")) == 1, shown
    assert petrel.queued(qid)["message_id"].strip("<>") == mids[0].strip().strip("<>")


def test_existing_message_id_kept(petrel):
    qid = submit(petrel, {"From": "alice@example.net", "Subject": "has id",
                          "Message-ID": "<keep-me@client.petrel.test>", "Date": "Tue, 25 Nov 2025 10:00:00 +0000"})
    shown = petrel.queue_show(qid)
    assert [m.strip() for m in header(shown, "Message-ID")] == ["<keep-me@client.petrel.test>"], shown
    assert [d.strip() for d in header(shown, "Date")] == ["Tue, 25 Nov 2025 10:00:00 +0000"], shown


def test_received_header_on_relay(petrel):
    with petrel.smtp("relay") as s:
        s.ehlo()
        code, text = send_smtplib(s, "r@example.net", ["x@example.com"], message({"Subject": "rcvd"}, "x"))
    qid = queue_id_of(text)
    shown = petrel.queue_show(qid)
    rcvd = header(shown, "Received")
    assert rcvd, shown
    assert "client.petrel.test" in shown.split("Subject:")[0], "Received lacks the EHLO name:\n" + shown
    assert shown.index("Received:") < shown.index("Subject: rcvd"), "Received must be prepended"
