#!/usr/bin/env bash
# Install what building and testing Petrel needs on Debian 12, as root.
# Idempotent: re-running it when everything is present changes nothing and
# does not touch the network (apt-get update only runs when a package is
# missing).
#
#   * build: libssl-dev (COpenSSL shim), libldns-dev, libsqlite3-dev, pkg-config
#   * tests: swaks (+ libnet-ssleay-perl for its --tls), Postfix (debconf "No configuration": no system daemon is
#     configured or started; gives smtp-source / smtp-sink), openssl, procps,
#     strace (test_fsync_before_ack.py), iproute2 + util-linux (the acceptance benchmark's private network
#     namespace), Python's pytest
#
# Swift itself is expected at /opt/swift (see README.md).
set -euo pipefail

log() { printf 'setup.sh: %s\n' "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
    log "must run as root (apt-get)"
    exit 1
fi

PKGS=(libssl-dev libldns-dev libsqlite3-dev pkg-config swaks libnet-ssleay-perl postfix openssl procps strace
      iproute2 util-linux ca-certificates python3 dnsmasq-base python3-dkim python3-nacl opendkim-tools)

missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix must not be configured as the system MTA nor started.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    created_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# temporary (petrel scripts/setup.sh): do not start services\nexit 101\n' \
            > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
    fi
    trap '[ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get -o DPkg::Lock::Timeout=600 -q -y update >/dev/null \
        || log "warning: apt-get update failed, trying the install anyway"
    apt-get -o DPkg::Lock::Timeout=600 -q -y install --no-install-recommends "${missing[@]}"
else
    log "system packages: ok"
fi

for tool in swaks smtp-source smtp-sink postconf openssl pkill unshare ip; do
    command -v "$tool" >/dev/null || { log "missing after install: $tool"; exit 1; }
done

# Python: pytest, aiosmtpd (MX hosts) and prometheus_client (an independent parser of /api/v1/metrics).
PY=${PYTHON:-python3}
for module in pytest aiosmtpd prometheus_client; do
    if ! "$PY" -c "import $module" 2>/dev/null; then
        log "installing $module for $PY"
        "$PY" -m pip install --quiet "$module"
    fi
done

if ! command -v swift >/dev/null; then
    if [ -x /opt/swift/usr/bin/swift ]; then
        log "note: swift is at /opt/swift/usr/bin (not on PATH); the scripts add it"
    else
        log "swift not found (expected /opt/swift/usr/bin/swift)"
        exit 1
    fi
fi
log "ok"
