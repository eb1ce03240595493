"""DKIM through a real SMTP hop: Petrel signs at acceptance, delivers to a
receiver, and every received message verifies with dkimpy and with
OpenDKIM's opendkim-testmsg — RSA and Ed25519, relaxed/relaxed and
simple/simple — for messages of every awkward shape: long folded headers,
8-bit and UTF-8 bodies, an empty body, trailing blank lines, lines at the
998-octet limit, multipart with an attachment."""
import base64
import os
import subprocess

import dkim_verifiers
from delivery_harness import SENDER, SENDER_DOMAIN, wait_until

PETREL = os.environ.get("PETREL_BIN", os.path.join(os.path.dirname(__file__), "../../../.build/debug/petrel"))


def shapes() -> dict:
    head = "From: <%s>\r\nTo: <reader@shapes.test>\r\nDate: Mon, 01 Jan 2024 00:00:00 +0000\r\n" % SENDER
    folded = "Subject: " + " ".join("word%d" % i for i in range(60)) + "\r\n"
    folded = folded[:70] + "\r\n\t" + folded[70:140] + "\r\n  " + folded[140:]
    attachment = base64.encodebytes(bytes(range(256)) * 20).decode().replace("\n", "\r\n")
    return {
        "folded": head + folded + "X-Long: " + "v" * 70 + "\r\n\t" + "w" * 70 + "\r\n\r\nbody\r\n",
        "utf8": head + "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln — ¡hola! 日本語\r\n",
        "empty": head + "Subject: empty\r\n\r\n",
        "trailing": head + "Subject: trailing\r\n\r\nline\r\n\r\n\r\n\r\n",
        "long-lines": head + "Subject: long\r\n\r\n" + "x" * 998 + "\r\n" + "y" * 997 + " \r\n",
        "multipart": head + "Subject: attachment\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee file\r\n"
        "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + attachment + "--b1--\r\n",
    }


def _keygen(directory, algorithm: str, selector: str) -> tuple[str, str]:
    out = subprocess.run([PETREL, "dkim", "keygen", "--domain", SENDER_DOMAIN, "--selector", selector,
                          "--algorithm", algorithm, "--out", str(directory)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    record = "".join(part for index, part in enumerate(out.stdout.split('"')) if index % 2 == 1)
    return os.path.join(str(directory), selector + ".private"), record


def test_every_shape_verifies_with_dkimpy_and_opendkim(dns, receivers, outbound, tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    records = {}
    key_files = {}
    for algorithm, selector in (("rsa", "rsa1"), ("ed25519", "ed1")):
        key_files[selector], records[selector + "._domainkey." + SENDER_DOMAIN] = _keygen(keys, algorithm, selector)

    dns.mx("shapes.test", "mx.shapes.test", 10)
    dns.a("mx.shapes.test", receivers.ip(1))
    mx = receivers.add(1, "mx.shapes.test")
    files = []
    expected = 0
    for canonicalization in ("relaxed/relaxed", "simple/simple"):
        for selector in ("rsa1", "ed1"):
            petrel = outbound(start=False)
            base = petrel.config_text
            text = "\n".join(["[dkim]", 'canonicalization = "%s"' % canonicalization, "[[dkim.domain]]",
                              'name = "%s"' % SENDER_DOMAIN, "[[dkim.domain.key]]", 'selector = "%s"' % selector,
                              'key_file = "%s"' % key_files[selector], ""])
            petrel.config_text = lambda base=base, text=text: base() + "\n" + text
            petrel.write_config()
            petrel.start()
            with petrel.smtp() as client:
                client.ehlo("client.petrel.test")
                for name, message in shapes().items():
                    client.sendmail(SENDER, ["reader@shapes.test"], message.encode(),
                                    mail_options=["BODY=8BITMIME"])
                    expected += 1
            wait_until(lambda: mx.received() if len(mx.received()) >= expected else None, 30,
                             "%d messages at the receiver" % expected, on_fail=petrel.log_tail)
            petrel.stop()
    for index, received in enumerate(mx.received()):
        headers = received.data.split(b"\r\n\r\n")[0].lower()
        assert headers.count(b"dkim-signature:") == 1, headers
        path = tmp_path / ("m%02d.eml" % index)
        path.write_bytes(received.data)
        files.append(path)
    assert len(files) == 24
    # Controls: a changed body and a changed From must fail with both verifiers.
    body_changed = tmp_path / "tampered-body.eml"
    body_changed.write_bytes(files[0].read_bytes().replace(b"\r\n\r\n", b"\r\n\r\nX", 1))
    from_changed = tmp_path / "tampered-from.eml"
    from_changed.write_bytes(files[1].read_bytes().replace(SENDER.encode(), b"other@" + SENDER_DOMAIN.encode(), 1))
    controls = [body_changed, from_changed]
    by_dkimpy = dkim_verifiers.dkimpy(tmp_path, records, files + controls)
    by_opendkim = dkim_verifiers.opendkim(tmp_path, records, files + controls)
    assert [p for p in files if not by_dkimpy.get(str(p))] == [], "dkimpy rejected some"
    assert [p for p in files if not by_opendkim.get(str(p))] == [], "opendkim-testmsg rejected some"
    for control in controls:
        assert by_dkimpy.get(str(control)) is False, control
        assert by_opendkim.get(str(control)) is False, control
