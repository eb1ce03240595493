#!/usr/bin/env bash
# Bounce parsing throughput: messages per second on one core, Petrel vs Sisimai, same files, same run.
#
#   Benchmarks/bounces/run.sh [rounds]        (default 5)
#
# Petrel: `petrel bounces import --json` (release build) over every file of the corpus, `rounds` times in
# one process, pinned to one core with taskset; the process start (an import of one tiny message) is
# measured separately and subtracted. Sisimai (Debian's libsisimai-perl) parses the same files in one perl
# process, timed in-process with Time::HiRes. PETREL_BIN overrides the binary; PETREL_BOUNCE_CORPUS the
# corpus (default ../shared/corpus/bounces).
set -euo pipefail

rounds="${1:-5}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${PETREL_BOUNCE_CORPUS:-$repo/../shared/corpus/bounces}"
bin="${PETREL_BIN:-}"
if [ -z "$bin" ]; then
    (cd "$repo" && swift build -c release --product petrel >&2)
    bin="$(cd "$repo" && swift build -c release --show-bin-path)/petrel"
fi
pin=""
command -v taskset > /dev/null && pin="taskset -c 0"

files=()
while IFS= read -r f; do files+=("$corpus/emails/$f"); done < "$corpus/files.txt"
count=${#files[@]}
args=()
for _ in $(seq "$rounds"); do args+=("${files[@]}"); done
total=$((count * rounds))

tiny="$(mktemp)"
printf 'From: a@example.com\nSubject: x\n\nx\n' > "$tiny"
now() { date +%s.%N; }
start=$(now); for _ in 1 2 3 4 5; do $pin "$bin" bounces import --json "$tiny" > /dev/null; done; end=$(now)
startup=$(echo "($end - $start) / 5" | bc -l)
rm -f "$tiny"

start=$(now); $pin "$bin" bounces import --json "${args[@]}" > /dev/null; end=$(now)
petrel_seconds=$(echo "$end - $start - $startup" | bc -l)
petrel_rate=$(echo "$total / $petrel_seconds" | bc -l)
printf 'petrel : %d messages in %.3f s (process start %.3f s subtracted) = %.0f messages/s\n' \
    "$total" "$petrel_seconds" "$startup" "$petrel_rate"

if perl -MSisimai -e 1 2> /dev/null; then
    sisimai_rate=$($pin perl -MSisimai -MTime::HiRes=time -e '
        my ($rounds, @files) = @ARGV; my $n = 0;
        my $t = time;
        my $m = Sisimai->can("rise") ? "rise" : "make";
        for (1 .. $rounds) { for my $f (@files) { my $r = Sisimai->$m($f); $n++; } }
        printf "%.3f", $n / (time - $t);' "$rounds" "${files[@]}")
    printf 'sisimai: %d messages = %.0f messages/s (Sisimai %s)\n' "$total" "$sisimai_rate" \
        "$(perl -MSisimai -e 'print $Sisimai::VERSION')"
    printf 'ratio  : %.1fx\n' "$(echo "$petrel_rate / $sisimai_rate" | bc -l)"
else
    echo "sisimai: not installed (apt-get install -y libsisimai-perl)"
fi
