"""Independent DKIM verifiers for the delivery suite: dkimpy (Debian's
python3-dkim, keys handed in, no DNS) and OpenDKIM's opendkim-testmsg, which
only looks keys up in DNS: it runs under `unshare --mount --net` (root) with
a private loopback, a private /etc/resolv.conf and a one-zone stub server on
127.0.0.1:53. Nothing outside those namespaces changes."""
import json
import os
import shutil
import subprocess

DKIMPY = r"""
import dkim, json, sys
keys = {k.lower().rstrip('.'): v.encode() for k, v in json.load(open(sys.argv[1])).items()}
def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return keys.get(name.lower().rstrip('.'))
for path in sys.argv[2:]:
    message = open(path, 'rb').read()
    header = message.split(b'\r\n\r\n', 1)[0].split(b'\r\n')
    count = sum(1 for line in header if line.lower().startswith(b'dkim-signature:'))
    verifier = dkim.DKIM(message)
    try:
        ok = count > 0 and all(verifier.verify(idx=i, dnsfunc=dnsfunc) for i in range(count))
    except Exception as error:
        ok = False
    print(('PASS ' if ok else 'FAIL ') + path, flush=True)
"""

STUB_DNS = r"""
import json, socket, struct, sys
records = {k.lower().rstrip('.'): v for k, v in json.load(open(sys.argv[1])).items()}
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(('127.0.0.1', 53))
print('ready', flush=True)
while True:
    data, peer = sock.recvfrom(4096)
    ident, flags = struct.unpack('>HH', data[:4])
    pos, labels = 12, []
    while data[pos]:
        labels.append(data[pos + 1:pos + 1 + data[pos]].decode())
        pos += 1 + data[pos]
    qtype = struct.unpack('>H', data[pos + 1:pos + 3])[0]
    question = data[12:pos + 5]
    name = '.'.join(labels).lower()
    answer, count, rcode = b'', 0, 0
    if name in records and qtype == 16:
        text = records[name].encode()
        rdata = b''.join(bytes([len(text[i:i + 255])]) + text[i:i + 255] for i in range(0, len(text), 255))
        answer, count = b'\xc0\x0c' + struct.pack('>HHIH', 16, 1, 60, len(rdata)) + rdata, 1
    elif name not in records:
        rcode = 3
    header = struct.pack('>HHHHHH', ident, 0x8180 | (flags & 0x0100) | rcode, 1, count, 0, 0)
    sock.sendto(header + question + answer, peer)
"""

OPENDKIM_RUN = r"""
set -e
dir="$1"; shift
ip link set lo up
echo "nameserver 127.0.0.1" > "$dir/resolv.conf"
mount --bind "$dir/resolv.conf" /etc/resolv.conf
/usr/bin/python3 -I "$dir/stub_dns.py" "$dir/keys.json" > "$dir/dns.log" 2>&1 &
server=$!
for i in $(seq 1 50); do grep -q ready "$dir/dns.log" 2>/dev/null && break; sleep 0.1; done
for f in "$@"; do
    if out=$(opendkim-testmsg < "$f" 2>&1); then echo "PASS $f"; else echo "FAIL $f: $out"; fi
done
kill $server
"""


def _results(output: str) -> dict:
    results = {}
    for line in output.splitlines():
        verdict, _, rest = line.partition(" ")
        if verdict in ("PASS", "FAIL"):
            results[rest.split(":")[0]] = verdict == "PASS"
    return results


def dkimpy(workdir, records: dict, paths: list) -> dict:
    (workdir / "keys.json").write_text(json.dumps(records))
    (workdir / "dkimpy_verify.py").write_text(DKIMPY)
    out = subprocess.run(["/usr/bin/python3", "-I", str(workdir / "dkimpy_verify.py"), str(workdir / "keys.json")]
                         + [str(p) for p in paths], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, "dkimpy (apt-get install -y python3-dkim python3-nacl): " + out.stderr
    return _results(out.stdout)


def opendkim(workdir, records: dict, paths: list) -> dict:
    assert shutil.which("opendkim-testmsg"), "opendkim-testmsg missing: apt-get install -y opendkim-tools"
    assert os.geteuid() == 0, "the OpenDKIM check runs in a private network namespace: run as root"
    (workdir / "keys.json").write_text(json.dumps(records))
    (workdir / "stub_dns.py").write_text(STUB_DNS)
    (workdir / "run.sh").write_text(OPENDKIM_RUN)
    out = subprocess.run(["unshare", "--mount", "--net", "bash", str(workdir / "run.sh"), str(workdir)]
                         + [str(p) for p in paths], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    return _results(out.stdout)
