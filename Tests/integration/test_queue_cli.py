"""`petrel queue list [--json]`, `petrel queue show ID`, `petrel --version`,
`petrel auth hash-password`."""
import datetime
import re

from petrel_harness import queue_id_of, run_cli, send_smtplib
from smtpwire import message

MSGS = [
    ("one@example.net", ["a1@example.com"], "<q1@client.petrel.test>", "first"),
    ("two@example.net", ["b1@example.com", "b2@example.org"], "<q2@client.petrel.test>", "second"),
    ("three@example.net", ["c1@example.com", "c2@example.com", "c3@example.com"], "<q3@client.petrel.test>", "third"),
]


def inject(srv):
    ids = []
    with srv.smtp("relay") as s:
        s.ehlo()
        for sender, rcpts, mid, subj in MSGS:
            msg = message({"From": sender, "To": ", ".join(rcpts), "Subject": subj, "Message-ID": mid,
                           "Date": "Tue, 25 Nov 2025 10:00:00 +0000"}, "body of " + subj)
            code, text = send_smtplib(s, sender, rcpts, msg)
            assert code == 250, text
            ids.append(queue_id_of(text))
    return ids


def test_empty_queue(petrel):
    r = petrel.cli("queue", "list", "--json")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", r.stdout
    r = petrel.cli("queue", "list")
    assert r.returncode == 0, r.stderr


def test_list_json_fields(petrel):
    ids = inject(petrel)
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    entries = {e["id"]: e for e in petrel.queue_list()}
    assert set(ids) == set(entries), (ids, list(entries))
    for qid, (sender, rcpts, mid, _) in zip(ids, MSGS):
        e = entries[qid]
        for key in ("id", "sender", "recipients", "size", "arrival", "message_id"):
            assert key in e, "queue list --json lacks %r: %s" % (key, e)
        assert e["sender"] == sender
        assert isinstance(e["recipients"], list) and all(isinstance(x, str) for x in e["recipients"]), e
        assert sorted(e["recipients"]) == sorted(rcpts)
        assert isinstance(e["size"], int) and e["size"] > 0
        assert e["message_id"].strip("<>") == mid.strip("<>")
        arrival = datetime.datetime.fromisoformat(e["arrival"].replace("Z", "+00:00"))
        assert arrival.tzinfo is not None, "arrival without a time zone: %r" % e["arrival"]
        assert arrival > before, e["arrival"]


def test_list_table(petrel):
    ids = inject(petrel)
    r = petrel.cli("queue", "list")
    assert r.returncode == 0, r.stderr
    for qid, (sender, rcpts, _, _) in zip(ids, MSGS):
        assert qid in r.stdout, r.stdout
        assert sender in r.stdout, r.stdout
        for rc in rcpts:
            assert rc in r.stdout, r.stdout


def test_show(petrel):
    ids = inject(petrel)
    sender, rcpts, mid, subj = MSGS[1]
    out = petrel.queue_show(ids[1])
    assert ids[1] in out
    assert sender in out
    for rc in rcpts:
        assert rc in out
    assert "Subject: " + subj in out
    assert mid in out
    assert "Received:" in out
    # envelope first, then headers
    assert out.index(sender) < out.index("Subject: " + subj)


def test_show_unknown_id_fails(petrel):
    r = petrel.cli("queue", "show", "NOSUCHID0000")
    assert r.returncode != 0, r.stdout
    assert r.stderr.strip(), "no error message for an unknown id"


def test_version():
    r = run_cli(["--version"])
    assert r.returncode == 0, r.stderr
    assert re.search(r"\d+\.\d+", r.stdout), r.stdout


def test_hash_password_salted():
    a = run_cli(["auth", "hash-password"], input="s3cret\n")
    b = run_cli(["auth", "hash-password"], input="s3cret\n")
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    ha, hb = a.stdout.strip(), b.stdout.strip()
    assert ha.startswith("$pbkdf2-sha256$"), ha
    assert "s3cret" not in ha
    assert ha != hb, "two hashes of the same password are equal (no salt?)"
