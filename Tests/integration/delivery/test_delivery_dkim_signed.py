"""DKIM at acceptance: with a [dkim] signing domain configured (keys from
`petrel dkim keygen`), every message whose From domain is that domain
leaves Petrel with a DKIM-Signature that an independent verifier (dkimpy,
Debian's python3-dkim) accepts, for RSA and Ed25519 at once (dual signing,
RFC 8463 §6) — so the bytes delivered are the bytes signed; mail from
another domain is not signed; an unreadable key stops start-up."""
import json
import os
import subprocess

from delivery_harness import SENDER_DOMAIN, wait_until

VERIFY = r"""
import dkim, json, sys
records = json.load(open(sys.argv[1]))
message = open(sys.argv[2], 'rb').read()
def dnsfunc(name, timeout=5):
    return records.get(name.decode().rstrip('.'), '').encode()
results = []
count = sum(1 for line in message.split(b'\r\n\r\n')[0].split(b'\r\n') if line.lower().startswith(b'dkim-signature:'))
verifier = dkim.DKIM(message)
for index in range(count):
    results.append(bool(verifier.verify(idx=index, dnsfunc=dnsfunc)))
print(json.dumps(results))
"""


def _keygen(petrel_bin: str, directory, algorithm: str, selector: str) -> tuple[str, str]:
    out = subprocess.run(
        [petrel_bin, "dkim", "keygen", "--domain", SENDER_DOMAIN, "--selector", selector,
         "--algorithm", algorithm, "--out", str(directory)],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    key_file = os.path.join(str(directory), selector + ".private")
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    # The printed record: a zone line with the TXT strings in quotes.
    strings = [part for index, part in enumerate(out.stdout.split('"')) if index % 2 == 1]
    record = "".join(strings)
    assert record.startswith("v=DKIM1;"), out.stdout
    return key_file, record


def test_messages_signed_at_acceptance_verify_with_dkimpy(dns, receivers, outbound, tmp_path):
    petrel_bin = os.environ.get("PETREL_BIN", os.path.join(os.path.dirname(__file__), "../../../.build/debug/petrel"))
    keys = tmp_path / "keys"
    keys.mkdir()
    rsa_file, rsa_record = _keygen(petrel_bin, keys, "rsa", "rsa1")
    ed_file, ed_record = _keygen(petrel_bin, keys, "ed25519", "ed1")

    dns.mx("signed.test", "mx.signed.test", 10)
    dns.a("mx.signed.test", receivers.ip(1))
    mx = receivers.add(1, "mx.signed.test")
    petrel = outbound(start=False)
    base = petrel.config_text
    dkim_text = "\n".join([
        "[dkim]", 'canonicalization = "relaxed/simple"',
        "[[dkim.domain]]", 'name = "%s"' % SENDER_DOMAIN,
        "[[dkim.domain.key]]", 'selector = "rsa1"', 'key_file = "%s"' % rsa_file,
        "[[dkim.domain.key]]", 'selector = "ed1"', 'key_file = "%s"' % ed_file, ""])
    petrel.config_text = lambda: base() + "\n" + dkim_text
    petrel.write_config()
    petrel.start()

    qid, mid = petrel.inject(["reader@signed.test"], body="Signed body line.\r\n\r\n\r\n")
    got = wait_until(lambda: mx.received(), 20, "the signed message", on_fail=petrel.log_tail)
    data = got[0].data
    headers = data.split(b"\r\n\r\n")[0]
    assert headers.lower().count(b"dkim-signature:") == 2, headers.decode(errors="replace")
    assert b"a=rsa-sha256" in headers and b"a=ed25519-sha256" in headers
    assert b"d=" + SENDER_DOMAIN.encode() in headers

    records = {"rsa1._domainkey." + SENDER_DOMAIN: rsa_record, "ed1._domainkey." + SENDER_DOMAIN: ed_record}
    (tmp_path / "records.json").write_text(json.dumps(records))
    (tmp_path / "message.eml").write_bytes(data)
    (tmp_path / "verify.py").write_text(VERIFY)
    result = subprocess.run(["/usr/bin/python3", "-I", str(tmp_path / "verify.py"), str(tmp_path / "records.json"),
                             str(tmp_path / "message.eml")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, "dkimpy (apt-get install -y python3-dkim python3-nacl): " + result.stderr
    assert json.loads(result.stdout) == [True, True], result.stdout

    # Another From domain: no signature.
    petrel.inject(["reader2@signed.test"], sender="someone@unsigned.test")
    got = wait_until(lambda: mx.received() if len(mx.received()) >= 2 else None, 20, "the unsigned message")
    assert b"dkim-signature:" not in got[1].data.split(b"\r\n\r\n")[0].lower()


def test_unreadable_key_file_stops_start_up(outbound, tmp_path):
    petrel = outbound(start=False)
    base = petrel.config_text
    petrel.config_text = lambda: base() + "\n" + "\n".join([
        "[[dkim.domain]]", 'name = "x.test"', "[[dkim.domain.key]]", 'selector = "s"',
        'key_file = "%s"' % (tmp_path / "missing.private"), ""])
    petrel.write_config()
    petrel_bin = os.environ.get("PETREL_BIN", os.path.join(os.path.dirname(__file__), "../../../.build/debug/petrel"))
    out = subprocess.run([petrel_bin, "serve", "--config", str(petrel.config_path)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode != 0
    assert "missing.private" in out.stderr and "dkim" in out.stderr, out.stderr


def test_dkim_check_compares_published_record_with_configured_key(tmp_path):
    petrel_bin = os.environ.get("PETREL_BIN", os.path.join(os.path.dirname(__file__), "../../../.build/debug/petrel"))
    keys = tmp_path / "keys"
    keys.mkdir()
    key_file, record = _keygen(petrel_bin, keys, "rsa", "sel1")
    _, other_record = _keygen(petrel_bin, keys, "rsa", "sel2")
    config = tmp_path / "petrel.toml"
    config.write_text("\n".join([
        "[server]", 'data_directory = "%s"' % (tmp_path / "data"),
        "[[dkim.domain]]", 'name = "%s"' % SENDER_DOMAIN,
        "[[dkim.domain.key]]", 'selector = "sel1"', 'key_file = "%s"' % key_file, ""]))
    ok = subprocess.run([petrel_bin, "dkim", "check", "--domain", SENDER_DOMAIN, "--record", record,
                         "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ok: sel1._domainkey.%s" % SENDER_DOMAIN in ok.stdout
    bad = subprocess.run([petrel_bin, "dkim", "check", "--domain", SENDER_DOMAIN, "--record", other_record,
                          "--config", str(config)], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "mismatch" in bad.stdout
