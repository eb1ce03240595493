#!/usr/bin/env bash
# THE test command: set up the machine, build, lint, unit tests, integration
# tests, fuzz smoke runs (SMTP command parser; bounce, DSN, ARF and MIME parsers). Exits non-zero if any step fails (every step runs
# even after an earlier failure, so one run reports everything; the summary at
# the end lists what failed).
#
# Environment:
#   PETREL_TEST_SKIP_SETUP=1   skip scripts/setup.sh (machine already set up)
#   PYTEST_ARGS="..."          extra arguments for the integration suite
#   FUZZ_SECONDS=30            duration of the fuzz smoke run
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"

failed=()
t_start=$(date +%s)

section() { printf '\n==================== %s ====================\n' "$*"; }
step() {
    # step NAME CMD...: run, time, record failure
    local name=$1 t0 rc
    shift
    section "$name"
    t0=$(date +%s)
    "$@"
    rc=$?
    printf -- '---- %s: %s (rc=%d, %ds)\n' "$name" "$([ $rc = 0 ] && echo ok || echo FAILED)" "$rc" \
        "$(($(date +%s) - t0))"
    [ $rc = 0 ] || failed+=("$name")
    return $rc
}

if [ "${PETREL_TEST_SKIP_SETUP:-0}" != 1 ]; then
    step "setup" scripts/setup.sh || { echo "setup failed; stopping"; exit 1; }
fi

# A clean debug build of the dependencies takes ~8-15 min on 2 cores.
if ! step "build (swift build)" timeout 2400 swift build; then
    echo "build failed; the remaining steps need the binary"
    exit 1
fi

lint() {
    local dirs=()
    for d in Sources Tests Benchmarks; do [ -d "$d" ] && dirs+=("$d"); done
    swift format lint --strict -r "${dirs[@]}"
}
step "lint (swift format lint --strict)" lint

step "unit tests (swift test)" timeout 1800 swift test

integration() {
    local rc
    PETREL_BIN="${PETREL_BIN:-$ROOT/.build/debug/petrel}" \
        timeout 900 python3 -m pytest -q -p no:cacheprovider ${PYTEST_ARGS:-} Tests/integration
    rc=$?
    if [ $rc = 5 ]; then
        echo "pytest collected no tests: counts as a failure"
    fi
    return $rc
}
step "integration tests (pytest Tests/integration)" integration

if [ -x scripts/fuzz-smtp.sh ]; then
    step "fuzz smoke (scripts/fuzz-smtp.sh ${FUZZ_SECONDS:-30})" timeout 1200 scripts/fuzz-smtp.sh "${FUZZ_SECONDS:-30}"
elif [ -e scripts/fuzz-smtp.sh ]; then
    step "fuzz smoke (bash scripts/fuzz-smtp.sh ${FUZZ_SECONDS:-30})" timeout 1200 bash scripts/fuzz-smtp.sh "${FUZZ_SECONDS:-30}"
else
    section "fuzz smoke"
    echo "scripts/fuzz-smtp.sh not present: skipped"
fi

if [ -e scripts/fuzz-bounces.sh ]; then
    step "fuzz smoke (scripts/fuzz-bounces.sh ${FUZZ_SECONDS:-30})" timeout 1200 bash scripts/fuzz-bounces.sh "${FUZZ_SECONDS:-30}"
fi

section "summary"
echo "total time: $(($(date +%s) - t_start))s"
if [ "${#failed[@]}" -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "all steps passed"
