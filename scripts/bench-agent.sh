#!/usr/bin/env bash
# Benchmarks pod start on the node agent: a local cluster (bin/berth up, 1 replica, 2 agents on
# the Docker runtime), 100 pods of the locally built test image created at once across the two
# agents, p50/p99 from creation to Running and to Ready; beside plain `docker run -d` of the
# same image one by one in the same run. One generator (benchmarks/, io.berth.bench.AgentBenchmark).
# The table goes to stdout and to docs/benchmarks.md between this script's markers.
#
#   scripts/bench-agent.sh             100 pods
#   scripts/bench-agent.sh --no-docs   do not rewrite docs/benchmarks.md
#   BENCH_PODS=20 scripts/bench-agent.sh
#
# Runs from the repository root after `make build`; needs a Docker engine (scripts/start-docker.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
docs=1
[ "${1:-}" = --no-docs ] && docs=0
pods=${BENCH_PODS:-100}
log() { echo "bench-agent: $*" >&2; }

JAVA_HOME=$(scripts/find-jdk.sh); export JAVA_HOME
JAR="$ROOT/benchmarks/target/berth-benchmarks.jar"
if [ ! -f "$JAR" ] || [ ! -d "$ROOT/benchmarks/target/lib" ] || ! ls "$ROOT"/benchmarks/target/lib/berth-client-*.jar >/dev/null 2>&1; then
  log "building the benchmark jar"
  mvn -q -B package -DskipTests -pl benchmarks -am
fi
[ -x bin/berth ] && [ -f cli/target/berth-cli.jar ] || { log "bin/berth is not built: run 'make build' first"; exit 1; }
scripts/start-docker.sh >&2
scripts/build-test-images.sh >&2
command -v jq > /dev/null || { log "jq is needed (scripts/install-test-deps.sh)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-agent.XXXXXX")
berth_dir="$WORK/berth"
cleanup() {
  set +e
  bin/berth down --dir "$berth_dir" > "$WORK/down.log" 2>&1
  for node in agent-1 agent-2; do
    docker ps -aq --filter "label=berth.io/node=$node" | xargs -r docker rm -f > /dev/null 2>&1
  done
  [ "${KEEP_WORK:-0}" = 1 ] && log "work dir kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting Berth: 1 replica, 2 docker agents (bin/berth up)"
bin/berth up --dir "$berth_dir" --no-tls --replicas 1 --agents 2 --runtime docker --detach > "$WORK/up.log" 2>&1 \
  || { cat "$WORK/up.log" >&2; exit 1; }
api=$(jq -r '[.processes[] | select(.role == "server") | "http://127.0.0.1:\(.ports.api)"][0]' "$berth_dir/cluster.json")
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "creating $pods pods at once, then $pods plain docker runs"
table=$("$JAVA_HOME/bin/java" -Xmx512m -Dslf4j.internal.verbosity=ERROR -cp "$JAR" io.berth.bench.AgentBenchmark \
  "$api" "$pods" agent-1,agent-2 berth/testserver:test)
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo "$table"

section=$(cat <<SECTION
<!-- bench-agent:start -->
## Node agent: pod start, beside plain docker run

$table

Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(docker version --format 'Docker {{.Server.Version}}' 2>/dev/null),
load average $load_start at the start and $load_end at the end (the machine is shared).
Run on $(date -u +%Y-%m-%d) with \`make bench-agent\` (scripts/bench-agent.sh, BENCH_PODS=$pods).

What each row measures: from the pod's create call to the first watch event showing it Running
(all containers started) and Ready (the httpGet readiness probe, period 1 s, passed), the pods
pinned to the two agents by spec.nodeName so that the scheduler is not measured; and the
duration of each \`docker run -d\` until the engine reports the container started. Anchor:
Kubernetes' pod startup SLO is p99 <= 5 s excluding image pulls; Berth aims for p99 under 2 s.

Where the time goes (measured on this machine, load average about 20): one pod alone goes from
its worker starting to Running in about 1.6 s (infra container with its published port 0.9 s,
the app container 0.4 s, the status write 0.3 s). Started all at once, the pods queue at the
engine: 10 pods take 12 s, 100 took 43-49 s in two runs, about as long as 100 plain \`docker run\`s one
after another, while starting twice the containers (an infra container per pod) each with a
published port (a docker-proxy process and iptables rules per port, which the plain runs do
not have). The p99 under 2 s aim is not met here; the engine's container start throughput on a
shared 2-core machine is the limit, not the agent's loop.
<!-- bench-agent:end -->
SECTION
)
if [ "$docs" = 1 ]; then
  doc=docs/benchmarks.md
  if grep -q '<!-- bench-agent:start -->' "$doc"; then
    awk -v repl="$section" '
      /<!-- bench-agent:start -->/ {print repl; skip=1; next}
      /<!-- bench-agent:end -->/ {skip=0; next}
      !skip {print}' "$doc" > "$WORK/doc" && cp "$WORK/doc" "$doc"
  else
    printf '\n%s\n' "$section" >> "$doc"
  fi
  log "results written to $doc"
fi
