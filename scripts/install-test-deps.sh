#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian 12 machine: etcdctl (the
# compatibility tests drive the real client), etcd (the benchmark's peer), jq and prometheus
# (PrometheusScrapeIT); for the node agent, Docker's engine (docker.io) and a static busybox
# (the test images are built from it, and the process runtime's tests run it on the host), and
# starts dockerd when no engine answers; openssl, iproute2, wrk and nginx for the ingress's
# tests and benchmark; iptables for the partition drill; chromium for the dashboard's test.
# Idempotent; needs root when something is missing.
set -euo pipefail

missing=()
command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
# jq reads cluster.json in the benchmark scripts.
command -v jq >/dev/null 2>&1 || missing+=(jq)
# prometheus scrapes a local cluster through the DIR/prometheus.yml berth up writes (PrometheusScrapeIT).
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
# The ingress ITs: openssl makes TlsIT's certificates; ip (iproute2) makes their test network.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
# make bench-ingress: wrk drives Berth's ingress and nginx.
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || missing+=(nginx)
# berth drill partition (DrillIT) cuts a server off with iptables rules.
command -v iptables >/dev/null 2>&1 || [ -x /usr/sbin/iptables ] || missing+=(iptables)
# The dashboard's browser test (DashboardIT) drives Debian's chromium headless.
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ ${#missing[@]} -eq 0 ]; then
  exec "$(dirname "$0")/start-docker.sh"
fi

echo "installing ${missing[*]} ..."
# Keep Debian's maintainer scripts from starting an etcd service on the default ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
trap '[ $created_policy -eq 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
"$(dirname "$0")/start-docker.sh"
