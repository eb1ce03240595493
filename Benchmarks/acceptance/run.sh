#!/usr/bin/env bash
# Acceptance benchmark: Petrel vs Postfix, same machine, same run.
# Prints, per MTA, message size (4 KB, 100 KB) and smtp-source sessions
# (10, 50): durable acceptance rate (messages/s) and p50/p99 end-of-DATA ->
# 250 latency. See Benchmarks/acceptance/README.md.
#
#   sudo Benchmarks/acceptance/run.sh                     # full matrix
#   sudo Benchmarks/acceptance/run.sh --mta postfix       # Postfix only
#   sudo Benchmarks/acceptance/run.sh --sizes 4k --sessions 10 --msgs 4k=2000
#
# Petrel is built in release mode first (swift build -c release); if that
# fails the run goes on with Postfix alone and says so.
# BENCH_SKIP_SETUP=1 skips scripts/setup.sh and the harness's setup-install.sh.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BENCH=$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd) || { echo "run.sh: ../shared/bench not found" >&2; exit 1; }
export PATH="/opt/swift/usr/bin:$PATH"
export MB_BENCH_DIR="$BENCH"
[ "$(id -u)" = 0 ] || { echo "run.sh: must run as root (namespaces, Postfix)" >&2; exit 1; }

if [ "${BENCH_SKIP_SETUP:-0}" != 1 ]; then
    "$ROOT/scripts/setup.sh"
    "$BENCH/setup-install.sh" >/dev/null
fi

args=("$@")
want_petrel=1
for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = --mta ] && [[ "${args[$((i + 1))]:-}" != *petrel* ]]; then want_petrel=0; fi
    case "${args[$i]}" in --mta=*) [[ "${args[$i]}" == *petrel* ]] || want_petrel=0 ;; esac
done
if [ "$want_petrel" = 1 ]; then
    echo "run.sh: building petrel (release) ..." >&2
    if ! (cd "$ROOT" && swift build -c release --product petrel >&2); then
        echo "run.sh: release build of petrel failed: measuring Postfix only" >&2
        args+=(--mta postfix)  # the last --mta wins
    fi
fi
exec python3 "$HERE/bench.py" "${args[@]}"
