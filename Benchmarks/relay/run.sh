#!/usr/bin/env bash
# End-to-end relay benchmark: smtp-source -> MTA -> MX lookup in the bench
# DNS -> smtp-sink, for Petrel and Postfix in the same run, through
# ../shared/bench/run.py (private namespaces, same load generator, sinks and
# accounting for both). Prints one result line per run and, per message size,
# the medians over the rounds and the ratio of Petrel's median rate to
# Postfix's.
#
# Usage: Benchmarks/relay/run.sh [MSGS] [CONC] [ROUNDS]   (as root; builds release)
#
# With ROUNDS > 1 the two MTAs run alternately (Petrel, Postfix, Petrel, ...)
# ROUNDS times per size, so that a machine whose speed drifts during the
# sitting treats both alike; the medians are what to compare.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH=$REPO/../shared/bench
MSGS=${1:-20000}
CONC=${2:-20}
ROUNDS=${3:-1}
"$BENCH/setup-install.sh" >/dev/null
(cd "$REPO" && swift build -c release --product petrel >/dev/null)
RESULTS=${RESULTS:-/tmp/petrel-relay-bench.txt}
SITTING=$(mktemp)
trap 'rm -f "$SITTING"' EXIT
for size in 4k 100k; do
    for ((round = 1; round <= ROUNDS; round++)); do
        for peer in petrel postfix; do
            extra=()
            [ "$peer" = petrel ] && extra=(--peer-script "$HERE/petrel-peer.sh")
            python3 "$BENCH/run.py" --peer "$peer" "${extra[@]}" --msgs "$MSGS" --size "$size" --conc "$CONC" \
                --domains 20 --results "$RESULTS" | tee -a "$SITTING" || echo "peer=$peer size=$size status=failed"
        done
    done
done
python3 - "$SITTING" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fields = dict(re.findall(r"(\w+)=(\S+)", line))
    if fields.get("status") != "ok" or "e2e_rate" not in fields:
        continue
    runs.setdefault((fields["size"], fields["peer"]), []).append(fields)
for size in ("4k", "100k"):
    medians = {}
    for peer in ("petrel", "postfix"):
        got = runs.get((size, peer), [])
        if not got:
            continue
        rate = statistics.median(float(r["e2e_rate"]) for r in got)
        cpu = statistics.median(float(r["mta_cpu_ms_per_msg"]) for r in got)
        rss = max(int(r["rss"].rstrip("MiB")) for r in got)
        medians[peer] = rate
        print("median size=%s peer=%s rounds=%d e2e_rate=%.1f mta_cpu_ms_per_msg=%.2f peak_rss=%dMiB rates=%s"
              % (size, peer, len(got), rate, cpu, rss, ",".join(r["e2e_rate"] for r in got)))
    if len(medians) == 2:
        print("ratio size=%s petrel/postfix=%.2f" % (size, medians["petrel"] / medians["postfix"]))
PY
