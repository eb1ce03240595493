"""`petrel contacts import` on a 10,000-row CSV with bad rows (RFC 4180
quoting, a multi-line field, duplicates): every bad row is reported with its
line number and reason, every good row is kept, a second import updates in
place, and `petrel contacts export` returns what went in. A real SQLite file
under the configured data directory."""
import csv
import io
import json

from petrel_harness import run_cli


def _config(tmp_path):
    path = tmp_path / "petrel.toml"
    path.write_text('[server]\ndata_directory = "%s"\n' % (tmp_path / "data"))
    return str(path)


def test_import_reports_bad_rows_by_line_and_keeps_the_rest(tmp_path):
    config = _config(tmp_path)
    lines = ["email,first_name,last_name,tags,plan"]
    bad = {}
    for n in range(10_000):
        if n % 1000 == 500:
            lines.append("broken-%d,X,Y,," % n)
            bad[len(lines)] = "email: no @"
        elif n % 1000 == 700:
            lines.append("short%d@example.com,only-two" % n)
            bad[len(lines)] = "expected 5 fields, got 2"
        elif n == 42:
            # A quoted field with a line break: the next row starts one line later.
            lines.append('user42@example.com,"Multi\nLine",L,"a,b",pro')
        else:
            lines.append("User%d@Example.com,First%d,\"Last, %d\",news,free" % (n, n, n))
    # A repeat of an earlier address: the later row wins.
    lines.append("user1@example.com,Again,Last,,pro")
    text = "\n".join(lines) + "\n"
    # Line numbers are physical lines: row 42 (line 44) spans two, so every later row moves down by one.
    expected = {(k + 1 if k > 44 else k): v for k, v in bad.items()}
    (tmp_path / "contacts.csv").write_text(text)

    r = run_cli(["contacts", "import", "--config", config, "--list", "news", "--json", str(tmp_path / "contacts.csv")])
    assert r.returncode == 1, "bad rows make the exit status 1: %d %s" % (r.returncode, r.stderr)
    summary = json.loads(r.stdout)
    assert {e["line"]: e["reason"] for e in summary["errors"]} == expected, summary["errors"]
    good = 10_000 - len(bad)
    assert (summary["rows"], summary["inserted"], summary["updated"], summary["duplicates"]) == \
        (10_001, good, 1, 1), summary

    r = run_cli(["contacts", "count", "--config", config, "--list", "news"])
    assert r.returncode == 0 and r.stdout.strip() == str(good), (r.stdout, r.stderr)

    r = run_cli(["contacts", "export", "--config", config, "--format", "csv"])
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == good
    by_email = {row["email"]: row for row in rows}
    assert by_email["user1@example.com"]["first_name"] == "Again"
    assert by_email["user2@example.com"]["last_name"] == "Last, 2"
    assert by_email["user42@example.com"]["first_name"] == "Multi\nLine"
    assert by_email["user42@example.com"]["tags"] == "a,b"
    assert json.loads(by_email["user42@example.com"]["fields"]) == {"plan": "pro"}

    # A segment (JSON condition tree, evaluated in SQL): count and a preview.
    segment = '{"and": [{"custom": "plan", "op": "equals", "value": "pro"}, {"tag": "a"}]}'
    r = run_cli(["contacts", "count", "--config", config, "--segment", segment])
    assert r.returncode == 0 and r.stdout.strip() == "1", (r.stdout, r.stderr)  # user42 only (user1's row has no tag)
    (tmp_path / "segment.json").write_text('{"field": "last_name", "op": "starts_with", "value": "last, 99"}')
    r = run_cli(["contacts", "export", "--config", config, "--format", "jsonl", "--segment",
                 str(tmp_path / "segment.json"), "--limit", "3"])
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["email"] for x in r.stdout.splitlines()] == \
        ["user99@example.com", "user990@example.com", "user991@example.com"], r.stdout
    r = run_cli(["contacts", "count", "--config", config, "--segment", '{"or": [{"tag": "a"}, {"field": "x"}]}'])
    assert r.returncode != 0 and 'or[1].field: unknown field "x"' in r.stderr, (r.returncode, r.stderr)

    # The same file again: nothing new, every good row an update.
    r = run_cli(["contacts", "import", "--config", config, "--json", str(tmp_path / "contacts.csv")])
    again = json.loads(r.stdout)
    assert (again["inserted"], again["updated"]) == (0, good + 1), again
