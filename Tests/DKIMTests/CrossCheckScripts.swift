/// Helper programs for `CrossCheckTests`, written to a temporary directory at run time.
enum CrossCheckScripts {
    /// dkimpy: verifies every signature of each file with keys from a JSON object (no DNS); prints PASS/FAIL.
    static let dkimpyVerify = #"""
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
                print('ERROR ' + path + ': ' + repr(error), file=sys.stderr)
            print(('PASS ' if ok else 'FAIL ') + path, flush=True)
        """#

    /// A one-zone DNS server on 127.0.0.1:53 answering TXT queries from a JSON object (NXDOMAIN otherwise).
    static let stubDNS = #"""
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
        """#

    /// Runs inside `unshare --mount --net` (root): a private loopback, a private /etc/resolv.conf pointing at the
    /// stub server, then `opendkim-testmsg` (verify mode) on each file. Nothing outside the namespaces changes.
    static let opendkimRun = #"""
        set -e
        dir="$1"; shift
        ip link set lo up
        echo "nameserver 127.0.0.1" > "$dir/resolv.conf"
        mount --bind "$dir/resolv.conf" /etc/resolv.conf
        /usr/bin/python3 -I "$dir/stub_dns.py" "$dir/keys.json" > "$dir/dns.log" 2>&1 &
        server=$!
        for i in $(seq 1 50); do grep -q ready "$dir/dns.log" 2>/dev/null && break; sleep 0.1; done
        grep -q ready "$dir/dns.log" || { echo "stub DNS server did not start: $(cat "$dir/dns.log")"; exit 3; }
        for f in "$@"; do
            if out=$(opendkim-testmsg < "$f" 2>&1); then echo "PASS $f"; else echo "FAIL $f: $out"; fi
        done
        kill $server
        """#
}
