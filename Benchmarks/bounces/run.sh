#!/usr/bin/env bash
# Bounce parsing throughput: messages per second on one core, Petrel vs Sisimai, same files, same run.
#
#   Benchmarks/bounces/run.sh [rounds] [tries]     (defaults 5 and 3)
#
# Petrel: `petrel bounces import --json` (release build) over every file of the corpus, `rounds` times in
# one process, pinned to one core with taskset; the process start (an import of one tiny message) is
# measured separately and subtracted. The files are handed over as a temporary copy of the corpus folder,
# named once per round, rather than as thousands of arguments: ArgumentParser's positional parsing is
# quadratic in the number of arguments (about 0.2 s for 2,200 paths, as long as parsing them), which would
# measure the command line, not the parser. Sisimai (Debian's libsisimai-perl) parses the same files in one perl
# process, timed in-process with Time::HiRes. Each side is measured `tries` times and its best run counts,
# so that other work on a shared machine does not decide the ratio. PETREL_BIN overrides the binary; PETREL_BOUNCE_CORPUS the
# corpus (default ../shared/corpus/bounces).
set -euo pipefail

rounds="${1:-5}"
tries="${2:-3}"
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
copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
while IFS= read -r f; do
    mkdir -p "$copy/$(dirname "$f")"
    cp "$corpus/emails/$f" "$copy/$f"
done < "$corpus/files.txt"
args=()
for _ in $(seq "$rounds"); do args+=("$copy"); done
total=$((count * rounds))

tiny="$(mktemp)"
printf 'From: a@example.com\nSubject: x\n\nx\n' > "$tiny"
now() { date +%s.%N; }
start=$(now); for _ in 1 2 3 4 5; do $pin "$bin" bounces import --json "$tiny" > /dev/null; done; end=$(now)
startup=$(echo "($end - $start) / 5" | bc -l)
rm -f "$tiny"

petrel_seconds=""
for _ in $(seq "$tries"); do
    start=$(now); $pin "$bin" bounces import --json "${args[@]}" > /dev/null; end=$(now)
    seconds=$(echo "$end - $start - $startup" | bc -l)
    if [ -z "$petrel_seconds" ] || [ "$(echo "$seconds < $petrel_seconds" | bc -l)" -eq 1 ]; then
        petrel_seconds=$seconds
    fi
done
petrel_rate=$(echo "$total / $petrel_seconds" | bc -l)
printf 'petrel : %d messages in %.3f s (best of %d; process start %.3f s subtracted) = %.0f messages/s\n' \
    "$total" "$petrel_seconds" "$tries" "$startup" "$petrel_rate"

if perl -MSisimai -e 1 2> /dev/null; then
    sisimai_rate=0
    for _ in $(seq "$tries"); do
        rate=$($pin perl -MSisimai -MTime::HiRes=time -e '
            my ($rounds, @files) = @ARGV; my $n = 0;
            my $t = time;
            my $m = Sisimai->can("rise") ? "rise" : "make";
            for (1 .. $rounds) { for my $f (@files) { my $r = Sisimai->$m($f); $n++; } }
            printf "%.3f", $n / (time - $t);' "$rounds" "${files[@]}")
        if [ "$(echo "$rate > $sisimai_rate" | bc -l)" -eq 1 ]; then sisimai_rate=$rate; fi
    done
    printf 'sisimai: %d messages = %.0f messages/s (best of %d; Sisimai %s)\n' "$total" "$sisimai_rate" "$tries" \
        "$(perl -MSisimai -e 'print $Sisimai::VERSION')"
    printf 'ratio  : %.1fx\n' "$(echo "$petrel_rate / $sisimai_rate" | bc -l)"
else
    echo "sisimai: not installed (apt-get install -y libsisimai-perl)"
fi
