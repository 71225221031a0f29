#!/usr/bin/env bash
# Benchmarks Berth's scheduler on a 3-replica cluster (bin/berth up) on loopback, after
# kube-scheduler's scheduler_perf: 1,000 hollow nodes (Ready, heartbeating through their
# kube-node-lease Leases every 10 s, running nothing), then 10,000 pods created in one burst
# (half from 5 Deployments through the ReplicaSet controller, half bare), followed by a pod
# watch until each is bound. One load generator (benchmarks/, io.berth.bench.SchedulerBenchmark).
# The table goes to stdout and to docs/benchmarks.md between this script's markers.
#
#   scripts/bench-scheduler.sh              full run (a few minutes)
#   scripts/bench-scheduler.sh --quick      100 nodes and 1,000 pods, for trying the script out
#   scripts/bench-scheduler.sh --no-docs    do not rewrite docs/benchmarks.md
#
# Environment: BENCH_NODES, BENCH_PODS, BENCH_DEPLOYMENTS override the defaults.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

quick=0; docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-docs) docs=0 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-scheduler: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  nodes=${BENCH_NODES:-100}; pods=${BENCH_PODS:-1000}
else
  nodes=${BENCH_NODES:-1000}; pods=${BENCH_PODS:-10000}
fi
deployments=${BENCH_DEPLOYMENTS:-5}

log() { echo "bench-scheduler: $*" >&2; }

JAVA_HOME=$(scripts/find-jdk.sh); export JAVA_HOME
JAR="$ROOT/benchmarks/target/berth-benchmarks.jar"
if [ ! -f "$JAR" ]; then
  log "building the benchmark jar"
  mvn -q -B package -DskipTests -pl benchmarks -am
fi
command -v jq > /dev/null || scripts/install-test-deps.sh
[ -x bin/berth ] && [ -f cli/target/berth-cli.jar ] || { log "bin/berth is not built: run 'make build' first"; exit 1; }
java_opts=(-Xms256m -Xmx2g --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=ERROR)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-scheduler.XXXXXX")
berth_dir=""
bench_pid=""
cleanup() {
  set +e
  if [ -n "$bench_pid" ]; then kill -TERM "$bench_pid" 2> /dev/null; wait "$bench_pid" 2> /dev/null; fi
  if [ -n "$berth_dir" ]; then
    log "stopping Berth (bin/berth down)"
    bin/berth down --dir "$berth_dir" > "$WORK/berth-down.log" 2>&1 || cat "$WORK/berth-down.log" >&2
  fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "starting a 3-replica Berth cluster (bin/berth up)"
berth_dir="$WORK/berth"
# A 3 s election lease (1 s by default): this benchmark saturates both CPUs, and under that load
# a 1 s lease lapses now and then, which stops and restarts the scheduler and the controllers
# (see the note under the table). kube-scheduler's scheduler_perf runs with no election at all.
bin/berth up --dir "$berth_dir" --no-tls --replicas 3 --detach \
  --server-flag=--leader-election-ttl=3s --server-flag=--leader-election-renew-period=500ms \
  > "$WORK/berth-up.log" 2>&1 \
  || { cat "$WORK/berth-up.log" >&2; exit 1; }
servers='.processes[] | select(.role == "server")'
api_urls=$(jq -r "[$servers | \"http://127.0.0.1:\(.ports.api)\"] | join(\",\")" "$berth_dir/cluster.json")
metrics_urls=$(jq -r "[$servers | \"http://127.0.0.1:\(.ports.metrics)/metrics\"] | join(\",\")" "$berth_dir/cluster.json")
pids=$(jq -r "[$servers | .pid] | map(tostring) | join(\",\")" "$berth_dir/cluster.json")

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "measuring ($nodes hollow nodes, $pods pods, $deployments deployments; API $api_urls)"
TABLES="$WORK/tables.md"
"$JAVA_HOME/bin/java" "${java_opts[@]}" -cp "$JAR:$ROOT/benchmarks/target/lib/*" io.berth.bench.SchedulerBenchmark \
  --api-urls "$api_urls" --metrics-urls "$metrics_urls" --pids "$pids" \
  --nodes "$nodes" --pods "$pods" --deployments "$deployments" --markdown "$TABLES" &
bench_pid=$!
wait "$bench_pid"
bench_pid=""
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

[ "$docs" = 1 ] || exit 0

mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- . ':!docs/benchmarks.md' 2> /dev/null || commit="$commit (with uncommitted changes)"
SECTION="$WORK/section.md"
{
  echo "## Scheduler: hollow nodes and a burst of pods (3 replicas)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`make bench-scheduler\` (scripts/bench-scheduler.sh) at commit $commit."
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem memory, Linux $(uname -r); JDK: $jdk. The three replicas"
  echo "(\`bin/berth up\`, one process each, every Raft entry fsynced) and the load generator, which also plays"
  echo "the $nodes hollow nodes, ran on this one machine over loopback and shared its CPUs."
  echo "Load average (1, 5, 15 min) when the measurement began: $load_start; when it ended: $load_end."
  echo
  cat "$TABLES"
  echo
  echo "### What it measures"
  echo
  echo "$nodes hollow nodes register (Node, status, Lease; Ready, 4 cpu, 16Gi, 110 pods each) and renew"
  echo "their Leases every 10 s throughout, as kubemark's do; they run nothing and do not report pods"
  echo "Running (that would be the agent's write, not the scheduler's). Then $pods pods (10m cpu, 16Mi each) are"
  echo "created in one burst by 64 concurrent clients: half from $deployments Deployments (so through the"
  echo "Deployment and ReplicaSet controllers), half as bare pods. A pod watch on the generator notes when"
  echo "each pod first appears and when it first appears bound; the latency is the difference. Throughput"
  echo "is pods divided by the time from the first create to the last binding seen. Every create, binding"
  echo "and heartbeat is a write through the Raft-replicated store. The servers run with a 3 s leader-election"
  echo 'lease (`--server-flag=--leader-election-ttl=3s`, renewed every 500 ms) instead of the default 1 s: with'
  echo "the generator and three replicas saturating two CPUs, keep-alive answers sometimes took longer than"
  echo "the default lease allows, and each lapse stopped and restarted the scheduler (earlier runs: about 25"
  echo "pods/s). kube-scheduler's scheduler_perf runs with leader election off."
  echo
  echo "The comparison columns divide by published figures, not by a run on this machine (no"
  echo "kube-scheduler or Nomad can be installed here): kube-scheduler's scheduler_perf throughput floor"
  echo "for 5,000 nodes is about 680 pods/s with an in-process API server and fake nodes; Nomad's C1M"
  echo "placed 1,000,000 containers on 5,000 hosts in under 5 minutes (3,750/s) on a large cluster."
  echo
  echo "### Reproduce"
  echo
  echo '```'
  echo 'make build && make bench-scheduler        # or: scripts/bench-scheduler.sh [--quick] [--no-docs]'
  echo '```'
} > "$SECTION"

DOC="$ROOT/docs/benchmarks.md"
BEGIN="<!-- bench-scheduler:begin (written by scripts/bench-scheduler.sh) -->"
END="<!-- bench-scheduler:end -->"
if [ -f "$DOC" ] && grep -qF "$BEGIN" "$DOC" && grep -qF "$END" "$DOC"; then
  awk -v begin="$BEGIN" -v end="$END" -v section="$SECTION" '
    $0 == begin {print; while ((getline line < section) > 0) print line; skip = 1; next}
    $0 == end {skip = 0}
    !skip {print}' "$DOC" > "$WORK/doc.md"
else
  { [ -f "$DOC" ] && cat "$DOC" || echo "# Benchmarks"; echo; echo "$BEGIN"; cat "$SECTION"; echo "$END"; } > "$WORK/doc.md"
fi
cp "$WORK/doc.md" "$DOC"
log "wrote docs/benchmarks.md"
