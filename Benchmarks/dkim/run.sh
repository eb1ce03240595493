#!/bin/sh
# DKIM signing throughput on one core: Petrel (release build) beside raw libcrypto doing the same work, dkimpy
# signing the very same messages with the same keys, and `openssl speed`.
#
#   Benchmarks/dkim/run.sh [SECONDS]      (CPU seconds per case and implementation, default 3)
#
# Rates are per CPU second of one thread (best of interleaved rounds), so that other load on a shared machine
# does not count against the code measured; `openssl speed` divides by CPU time as well.
# PETREL_BENCH_PACKAGE names the Swift package that has the dkim-bench product (default: this repository).
# Needs python3-dkim and python3-nacl (apt-get install -y python3-dkim python3-nacl) and openssl.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
package=${PETREL_BENCH_PACKAGE:-$(cd "$here/../.." && pwd)}
seconds=${1:-3}
out=$(mktemp -d "${TMPDIR:-/tmp}/petrel-dkim-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
core=${PETREL_BENCH_CORE:-0}
pin=""
if command -v taskset >/dev/null 2>&1; then pin="taskset -c $core"; fi

echo "== build (release)"
swift build -c release --package-path "$package" --product dkim-bench 2>&1 | tail -1
bin=$(swift build -c release --package-path "$package" --show-bin-path)/dkim-bench

echo "== Petrel and raw libcrypto (one thread${pin:+, core $core})"
$pin "$bin" --out "$out" --seconds "$seconds"

echo "== dkimpy $(/usr/bin/python3 -c 'import dkim; print(dkim.__version__ if hasattr(dkim, "__version__") else "")' 2>/dev/null) (one thread${pin:+, core $core})"
$pin /usr/bin/python3 -I "$here/dkimpy_sign.py" "$out" "$seconds"

echo "== openssl speed (one thread${pin:+, core $core})"
$pin openssl speed -seconds "$seconds" rsa2048 ed25519 2>/dev/null | grep -E 'sign/s|rsa 2048|Ed25519' || true
