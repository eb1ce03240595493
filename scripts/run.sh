#!/usr/bin/env bash
# Set the machine up (scripts/setup.sh), build Petrel and run `petrel serve` on
# its embedded defaults: relay listener 127.0.0.1:2525, submission listener
# 127.0.0.1:2587, data under ./queue (self-signed TLS certificate generated on
# first start). This is a debug build (fast to compile); benchmarks use
# `swift build -c release`. Extra arguments go to `petrel serve`, e.g.
#   scripts/run.sh --config conf/petrel.toml
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="/opt/swift/usr/bin:$PATH"
scripts/setup.sh
swift build --product petrel
exec .build/debug/petrel serve "$@"
