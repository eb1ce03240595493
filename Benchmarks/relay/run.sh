#!/usr/bin/env bash
# End-to-end relay benchmark: smtp-source -> MTA -> MX lookup in the bench
# DNS -> smtp-sink, for Petrel and Postfix in the same run, through
# ../shared/bench/run.py (private namespaces, same load generator, sinks and
# accounting for both). Prints one result line per run.
#
# Usage: Benchmarks/relay/run.sh [MSGS] [CONC]   (as root; builds release)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH=$REPO/../shared/bench
MSGS=${1:-20000}
CONC=${2:-20}
"$BENCH/setup-install.sh" >/dev/null
(cd "$REPO" && swift build -c release --product petrel >/dev/null)
RESULTS=${RESULTS:-/tmp/petrel-relay-bench.txt}
for size in 4k 100k; do
    for peer in petrel postfix; do
        extra=()
        [ "$peer" = petrel ] && extra=(--peer-script "$HERE/petrel-peer.sh")
        python3 "$BENCH/run.py" --peer "$peer" "${extra[@]}" --msgs "$MSGS" --size "$size" --conc "$CONC" \
            --domains 20 --results "$RESULTS" || echo "peer=$peer size=$size status=failed"
    done
done
