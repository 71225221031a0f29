#!/usr/bin/env bash
# Starts dockerd in the background when no Docker engine answers (CI machines and containers
# have no init system to start it), and waits until `docker info` works, at most 60 s.
# Idempotent: does nothing when an engine answers already.
set -euo pipefail

docker info >/dev/null 2>&1 && exit 0
command -v dockerd >/dev/null 2>&1 || { echo "start-docker: dockerd is not installed (apt-get install docker.io)" >&2; exit 1; }
if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "starting dockerd (log: /var/log/dockerd.log) ..."
  nohup setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
fi
for _ in $(seq 1 120); do
  docker info >/dev/null 2>&1 && { echo "docker engine ready"; exit 0; }
  sleep 0.5
done
echo "start-docker: no engine answers after 60 s; see /var/log/dockerd.log" >&2
exit 1
