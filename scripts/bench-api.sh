#!/usr/bin/env bash
# Benchmarks Berth's Kubernetes API on a 3-replica cluster (bin/berth up) on loopback:
# create, get, list and update of ConfigMaps at 1, 16 and 256 clients, each beside the same
# operation straight on the store's etcd API in the same run (the API's overhead as a ratio);
# then 10,000 watch streams on one replica receiving one update, a few times: delivery
# latency. One load generator (benchmarks/, io.berth.bench.ApiBenchmark). Tables go to stdout
# and to docs/benchmarks.md, between this script's own markers, with the machine it ran on.
#
#   scripts/bench-api.sh              full run (about 4 minutes)
#   scripts/bench-api.sh --quick      short rows and 1,000 watchers, for trying the script out
#   scripts/bench-api.sh --no-docs    do not rewrite docs/benchmarks.md
#
# Environment: BENCH_WARMUP (per row, default 1s), BENCH_DURATION (per row, 5s),
# BENCH_TARGET_WARMUP (unrecorded load before the first row, 20s), BENCH_OBJECTS (objects
# the get and list rows read, 1000), BENCH_WATCHERS (10000; 0 skips the watch part) and
# BENCH_WATCH_ROUNDS (recorded updates, 5) override the defaults.
# Runs from the repository root after `make build`; builds the benchmark jar if it is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

quick=0; docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-docs) docs=0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-api: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  warmup=${BENCH_WARMUP:-0.5s}; duration=${BENCH_DURATION:-1s}; target_warmup=${BENCH_TARGET_WARMUP:-3s}
  watchers=${BENCH_WATCHERS:-1000}; rounds=${BENCH_WATCH_ROUNDS:-3}
else
  warmup=${BENCH_WARMUP:-1s}; duration=${BENCH_DURATION:-5s}; target_warmup=${BENCH_TARGET_WARMUP:-20s}
  watchers=${BENCH_WATCHERS:-10000}; rounds=${BENCH_WATCH_ROUNDS:-5}
fi
objects=${BENCH_OBJECTS:-1000}

log() { echo "bench-api: $*" >&2; }

# Each watch stream is a socket in the generator and one in the replica it watches, and the
# replicas inherit this shell's limit through bin/berth up: raise it, and check it took.
want_fds=$((watchers + 4096))
hard_fds=$(ulimit -Hn)
if [ "$hard_fds" != unlimited ] && [ "$hard_fds" -lt "$want_fds" ]; then
  log "$watchers watchers need about $want_fds open files, but the hard limit (ulimit -Hn) is $hard_fds;"
  log "raise it, or set BENCH_WATCHERS lower"
  exit 1
fi
ulimit -n "$want_fds"
[ "$(ulimit -n)" -ge "$want_fds" ] || { log "could not raise the open-file limit to $want_fds"; exit 1; }

JAVA_HOME=$(scripts/find-jdk.sh); export JAVA_HOME
JAR="$ROOT/benchmarks/target/berth-benchmarks.jar"
if [ ! -f "$JAR" ]; then
  log "building the benchmark jar"
  mvn -q -B package -DskipTests -pl benchmarks -am
fi
command -v jq > /dev/null || scripts/install-test-deps.sh
command -v jq > /dev/null || { log "jq is needed to read the cluster file (apt-get install jq)"; exit 1; }
[ -x bin/berth ] && [ -f cli/target/berth-cli.jar ] || { log "bin/berth is not built: run 'make build' first"; exit 1; }
java_opts=(-Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=ERROR)
java_major=$("$JAVA_HOME/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}')
# grpc-netty-shaded's Netty still uses sun.misc.Unsafe, which JDK 24+ warns about.
[ "$java_major" -lt 24 ] || java_opts+=(--sun-misc-unsafe-memory-access=allow)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-bench-api.XXXXXX")
berth_dir=""
bench_pid=""

# Stops whatever this script started, also when it fails or is interrupted.
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
bin/berth up --dir "$berth_dir" --no-tls --replicas 3 --detach > "$WORK/berth-up.log" 2>&1 \
  || { cat "$WORK/berth-up.log" >&2; exit 1; }
servers='.processes[] | select(.role == "server")'
api_urls=$(jq -r "[$servers | \"http://127.0.0.1:\(.ports.api)\"] | join(\",\")" "$berth_dir/cluster.json")
etcd_endpoints=$(jq -r "[$servers | \"127.0.0.1:\(.ports.client)\"] | join(\",\")" "$berth_dir/cluster.json")
for pid in $(jq -r "$servers | .pid" "$berth_dir/cluster.json"); do
  limit=$(awk '/Max open files/ {print $4}' "/proc/$pid/limits")
  [ "$limit" = unlimited ] || [ "$limit" -ge "$want_fds" ] \
    || { log "replica pid $pid can open only $limit files (wanted $want_fds)"; exit 1; }
done

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "measuring (API $api_urls; etcd $etcd_endpoints; $warmup warm-up, $duration per row; $watchers watchers)"
TABLES="$WORK/tables.md"
# In the background and waited for, so that a TERM to this script is handled at once.
"$JAVA_HOME/bin/java" "${java_opts[@]}" -cp "$JAR" io.berth.bench.ApiBenchmark \
  --api-urls "$api_urls" --etcd-endpoints "$etcd_endpoints" \
  --warmup "$warmup" --duration "$duration" --target-warmup "$target_warmup" \
  --objects "$objects" --watchers "$watchers" --watch-rounds "$rounds" --markdown "$TABLES" &
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
fs=$(df -PT "$WORK" | awk 'NR == 2 {print $2 " on " $1}')
SECTION="$WORK/section.md"
{
  echo "## Kubernetes API: the API vs the store beneath it (3 replicas)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`make bench-api\` (scripts/bench-api.sh) at commit $commit."
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem memory, Linux $(uname -r); JDK: $jdk;"
  echo "data directories (each Raft entry fsynced) on $fs. The three replicas (\`bin/berth up\`, one"
  echo "process each) and the load generator ran on this one machine over loopback and shared its CPUs."
  echo "Load average (1, 5, 15 min) when the measurement began: $load_start; when it ended: $load_end."
  echo "Other work on the machine at the same time shows up in these numbers; compare the ratios"
  echo "of one run rather than absolute values across runs."
  echo
  cat "$TABLES"
  echo
  echo "### What each row measures"
  echo
  echo "One load generator (benchmarks/, io.berth.bench.ApiBenchmark) drives the same cluster two"
  echo "ways, one row right after the other: **api** is the Kubernetes API over HTTP/1.1 (Netty,"
  echo "one keep-alive connection per client, so 256 clients are 256 requests in flight), **store**"
  echo "is the etcd v3 gRPC API of the store beneath it (2 connections per replica, as in"
  echo "bench-store). Clients are spread round-robin over the replicas, followers first, so the"
  echo "1-client rows go through a follower on both sides. Closed loop: each client sends its next"
  echo "call when the last returns. Both sides first get $target_warmup of unrecorded load; then each row"
  echo "has $warmup of warm-up and $duration measured; only calls that start and end inside it count."
  echo
  echo "- **create**: api POST of a new ConfigMap (a label, one 256-character value); store: a Txn"
  echo "  \"if create_revision == 0 then put\" of a new key with a value of the same size, as the"
  echo "  API's storage layer writes it (the API also reads the namespace first, linearizably)."
  echo "- **get**: one of $objects preloaded ConfigMaps at random; store: a linearizable Range of its key."
  echo "- **list**: all $objects ConfigMaps of one namespace, without resourceVersion (a consistent list:"
  echo "  a quorum-revision check, then the replica's watch cache); store: a linearizable prefix"
  echo "  Range over the same $objects stored objects."
  echo "- **update**: api PUT of the client's own ConfigMap with the resourceVersion of its last"
  echo "  write (the API reads it first, then writes a Txn conditioned on that revision); store:"
  echo "  a Txn \"if mod_revision == last then put else range\" on the client's own key."
  echo "- **watch fan-out**: $watchers watch streams (one connection each, on a few event-loop threads)"
  echo "  on one follower replica, on the ConfigMaps of one namespace from its current"
  echo "  resourceVersion; then, $rounds times (after one unrecorded round, 1 s apart), one update of"
  echo "  the one object there, sent through the same replica. A delivery's latency is the time from"
  echo "  just before the update was sent (or from its acknowledgement) to the moment the watcher's"
  echo "  connection read the event, as the generator's event loops saw it."
  echo
  echo "Ratios are api/store: below 1 is better for latency, above 1 for throughput."
  echo
  echo "### Reproduce"
  echo
  echo '```'
  echo 'make build && make bench-api        # or: scripts/bench-api.sh [--quick] [--no-docs]'
  echo '```'
} > "$SECTION"

# Replace only this script's section of docs/benchmarks.md (between its markers); the store
# benchmark's section and the hand-written analyses outside the markers stay as they are.
DOC="$ROOT/docs/benchmarks.md"
BEGIN="<!-- bench-api:begin (written by scripts/bench-api.sh) -->"
END="<!-- bench-api:end -->"
mkdir -p "$(dirname "$DOC")"
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
