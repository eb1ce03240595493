#!/usr/bin/env bash
# Peer script for ../shared/bench (run.py --peer-script THIS --peer petrel):
# starts Petrel from this checkout's release build as a relay on
# $MB_LISTEN_ADDR:$MB_LISTEN_PORT with its normal durability (fsync before
# 250), resolving MX records through /etc/resolv.conf (which run.py points at
# the bench dnsmasq) and delivering to port 25 of each MX.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BENCH=${MB_BENCH_DIR:-$REPO/../shared/bench}
. "$BENCH/lib.sh"

P=${MB_PEER_STATE:-$MB_STATE/peers/petrel}
ADDR=${MB_LISTEN_ADDR:-127.0.1.10}
PORT=${MB_LISTEN_PORT:-25}
mb_assert_loopback "$ADDR"
MTA_BIN=${PETREL_BIN:-$REPO/.build/release/petrel}

version() { echo "petrel $("$MTA_BIN" --version 2>/dev/null | head -1)"; }

clean() { rm -rf "$P"; }

start() {
    mkdir -p "$P/data"
    cat > "$P/petrel.toml" <<CONF
[server]
hostname = "petrel.bench.test"
data_directory = "$P/data"
[log]
level = "${PETREL_LOG_LEVEL:-info}"
[relay]
trusted_networks = ["127.0.0.0/8"]
[[listener]]
name = "relay"
address = "$ADDR:$PORT"
mode = "relay"
tls = "none"
CONF
    setsid "$MTA_BIN" serve --config "$P/petrel.toml" > "$P/petrel.log" 2>&1 < /dev/null &
    echo $! > "$P/petrel.pid"
}

stop() { mb_stop_pidfile "$P/petrel.pid"; }

queue() { "$MTA_BIN" queue list --json --config "$P/petrel.toml" 2>/dev/null | wc -l; }

case "${1:-}" in
    version|clean|start|stop|queue) "$1" ;;
    *) echo "usage: $0 version|clean|start|stop|queue" >&2; exit 2 ;;
esac
