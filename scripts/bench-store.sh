#!/usr/bin/env bash
# Benchmarks a 3-replica Berth store against a 3-member etcd cluster on loopback, in one run,
# with one load generator (benchmarks/, io.berth.bench.StoreBenchmark) for both. Each cluster
# runs alone while it is measured (etcd first), then the two are compared in one table,
# which is also written to docs/benchmarks.md with the machine it ran on.
#
#   scripts/bench-store.sh                 full run (about 2 x 1 min of load)
#   scripts/bench-store.sh --quick         short rows, for trying the script out
#   scripts/bench-store.sh --only etcd     one target only (etcd or berth)
#   scripts/bench-store.sh --no-docs       do not rewrite docs/benchmarks.md
#
# Environment: BENCH_WARMUP, BENCH_DURATION (per row, e.g. 2s, 6s) and BENCH_TARGET_WARMUP
# (unrecorded load before the first row, 20s: a cold JVM keeps getting faster for 10-20 s of load) override the defaults.
# Runs from the repository root after `make build`; builds the benchmark jar if it is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

quick=0; only=""; docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) shift; only=${1:-}; [ "$only" = etcd ] || [ "$only" = berth ] || { echo "--only takes etcd or berth" >&2; exit 2; } ;;
    --no-docs) docs=0 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-store: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then warmup=${BENCH_WARMUP:-1s}; duration=${BENCH_DURATION:-2s}; target_warmup=${BENCH_TARGET_WARMUP:-2s}
else warmup=${BENCH_WARMUP:-2s}; duration=${BENCH_DURATION:-6s}; target_warmup=${BENCH_TARGET_WARMUP:-20s}; fi

log() { echo "bench-store: $*" >&2; }

JAVA_HOME=$(scripts/find-jdk.sh); export JAVA_HOME
JAR="$ROOT/benchmarks/target/berth-benchmarks.jar"
if [ ! -f "$JAR" ]; then
  log "building the benchmark jar"
  mvn -q -B package -DskipTests -pl benchmarks -am
fi
java_opts=(-Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -Dslf4j.internal.verbosity=ERROR)
java_major=$("$JAVA_HOME/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}')
# grpc-netty-shaded's Netty still uses sun.misc.Unsafe, which JDK 24+ warns about.
[ "$java_major" -lt 24 ] || java_opts+=(--sun-misc-unsafe-memory-access=allow)
# The generator runs in the background and is waited for, so that a TERM to this script
# is handled at once (bash runs traps only between foreground commands).
bench_pid=""
bench() {
  "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$JAR" "$@" &
  bench_pid=$!
  local rc=0
  wait "$bench_pid" || rc=$?
  bench_pid=""
  return $rc
}

if [ "$only" != berth ] && ! command -v etcd > /dev/null; then
  log "installing Debian's etcd-server (etcd 3.4) for the etcd binary; its systemd service is not used"
  if [ "$(id -u)" = 0 ]; then apt-get install -y etcd-server > /dev/null
  else sudo apt-get install -y etcd-server > /dev/null; fi
fi
if [ "$only" != etcd ] && [ ! -x bin/berth ]; then
  log "bin/berth is missing: run 'make build' first (or pass --only etcd)"; exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/berth-bench.XXXXXX")
etcd_pids=()
berth_dir=""

# Stops whatever this script started, also when it fails or is interrupted.
cleanup() {
  set +e
  if [ -n "$bench_pid" ]; then kill -TERM "$bench_pid" 2> /dev/null; wait "$bench_pid" 2> /dev/null; fi
  stop_etcd
  stop_berth
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# Prints N free loopback ports from a random base (probing each; bounded attempts).
free_ports() {
  local want=$1 found=() p attempts=0
  p=$(( 20000 + RANDOM % 20000 ))
  while [ ${#found[@]} -lt "$want" ] && [ $attempts -lt 500 ]; do
    if ! port_open "$p"; then found+=("$p"); fi
    p=$((p + 1)); attempts=$((attempts + 1))
  done
  [ ${#found[@]} -eq "$want" ] || { log "could not find $want free ports"; return 1; }
  echo "${found[@]}"
}

# Waits (at most $2 seconds) until every endpoint in the comma-separated list $1 answers
# a linearizable get, as `etcdctl endpoint health` checks it.
await_healthy() {
  local endpoints=$1 limit=$2 i
  for ((i = 0; i < limit * 2; i++)); do
    if ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --command-timeout=2s endpoint health > /dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  log "endpoints $endpoints not healthy after ${limit}s"
  ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --command-timeout=2s endpoint health >&2 || true
  return 1
}

start_etcd() {
  local ports cluster="" endpoints="" i
  read -r -a ports <<< "$(free_ports 6)"
  for i in 0 1 2; do cluster+="${cluster:+,}e$((i + 1))=http://127.0.0.1:${ports[$((i + 3))]}"; done
  for i in 0 1 2; do endpoints+="${endpoints:+,}127.0.0.1:${ports[$i]}"; done
  mkdir -p "$WORK/etcd"
  for i in 0 1 2; do
    local name="e$((i + 1))" client="http://127.0.0.1:${ports[$i]}" peer="http://127.0.0.1:${ports[$((i + 3))]}"
    # No ETCD_* variable from the caller's environment (ETCD_UNSUPPORTED_ARCH among them)
    # reaches the members: every setting is on the command line.
    env $(env | sed -n 's/^\(ETCD_[A-Za-z0-9_]*\)=.*/-u \1/p') etcd --name "$name" \
      --data-dir "$WORK/etcd/$name" \
      --listen-client-urls "$client" --advertise-client-urls "$client" \
      --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
      --initial-cluster "$cluster" --initial-cluster-token "berth-bench-$$" \
      --initial-cluster-state new --logger zap --log-outputs stderr \
      > "$WORK/etcd/$name.log" 2>&1 &
    etcd_pids+=($!)
  done
  ETCD_ENDPOINTS=$endpoints
  ETCD_PORTS="${ports[*]}"
  await_healthy "$endpoints" 60 || { tail -n 20 "$WORK"/etcd/*.log >&2; return 1; }
}

stop_etcd() {
  [ ${#etcd_pids[@]} -gt 0 ] || return 0
  log "stopping etcd"
  local pid i p open
  for pid in "${etcd_pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  # Judge by the ports, not by kill -0: an exited but unreaped process still "exists".
  for ((i = 0; i < 40; i++)); do
    open=0
    for p in ${ETCD_PORTS:-}; do port_open "$p" && open=1; done
    [ $open = 0 ] && break
    sleep 0.25
  done
  if [ $open = 1 ]; then for pid in "${etcd_pids[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done; fi
  for pid in "${etcd_pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  etcd_pids=()
}

start_berth() {
  berth_dir="$WORK/berth"
  bin/berth up --dir "$berth_dir" --no-tls --replicas 3 --detach > "$WORK/berth-up.log" 2>&1 \
    || { cat "$WORK/berth-up.log" >&2; return 1; }
  local i
  for ((i = 0; i < 120; i++)); do [ -s "$berth_dir/etcd-endpoints" ] && break; sleep 0.5; done
  [ -s "$berth_dir/etcd-endpoints" ] || { log "no $berth_dir/etcd-endpoints after 60s"; return 1; }
  BERTH_ENDPOINTS=$(tr -d ' \n' < "$berth_dir/etcd-endpoints")
  await_healthy "$BERTH_ENDPOINTS" 60
}

stop_berth() {
  [ -n "$berth_dir" ] || return 0
  log "stopping Berth (bin/berth down)"
  bin/berth down --dir "$berth_dir" > "$WORK/berth-down.log" 2>&1 || cat "$WORK/berth-down.log" >&2
  berth_dir=""
}

ETCD_RESULTS="$WORK/etcd.results"
BERTH_RESULTS="$WORK/berth.results"

if [ "$only" != berth ]; then
  log "starting a 3-member etcd cluster"
  start_etcd
  etcd_load=$(cut -d' ' -f1-3 /proc/loadavg)
  log "measuring etcd at $ETCD_ENDPOINTS ($warmup warm-up, $duration per row)"
  bench measure --name etcd --endpoints "$ETCD_ENDPOINTS" --out "$ETCD_RESULTS" --warmup "$warmup" --duration "$duration" --target-warmup "$target_warmup"
  stop_etcd
fi
if [ "$only" != etcd ]; then
  log "starting a 3-replica Berth store (bin/berth up)"
  start_berth
  berth_load=$(cut -d' ' -f1-3 /proc/loadavg)
  log "measuring berth at $BERTH_ENDPOINTS ($warmup warm-up, $duration per row)"
  bench measure --name berth --endpoints "$BERTH_ENDPOINTS" --out "$BERTH_RESULTS" --warmup "$warmup" --duration "$duration" --target-warmup "$target_warmup"
  stop_berth
fi

TABLE="$WORK/table.md"
echo
bench report --subject "$BERTH_RESULTS" --baseline "$ETCD_RESULTS" --markdown "$TABLE"

[ "$docs" = 1 ] || exit 0

mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)
etcd_version=$(etcd --version 2> /dev/null | awk -F': ' '/^etcd Version/ {v = $2} /^Go Version/ {g = $2} END {if (v) print "etcd " v " (" g ")"}')
commit=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- . ':!docs/benchmarks.md' 2> /dev/null || commit="$commit (with uncommitted changes)"
scope="Berth and etcd"
[ -z "$only" ] || scope="$only only (the other column was not measured in this run)"
fs=$(df -PT "$WORK" | awk 'NR == 2 {print $2 " on " $1}')
SECTION="$WORK/section.md"
{
  echo "## Store: Berth (3 replicas) vs etcd (3 members)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') by \`make bench-store\` (scripts/bench-store.sh) at commit $commit: $scope."
  echo
  echo "Machine: $(nproc) CPUs ($cpu), $mem memory, Linux $(uname -r); JDK: $jdk; ${etcd_version:-etcd not installed};"
  echo "data directories (both clusters fsync each Raft entry) on $fs."
  echo "Everything ran on this one machine over loopback: the three members of the cluster"
  echo "being measured and the load generator shared the CPUs. Only one cluster ran at a time."
  echo "Load average (1, 5, 15 min) as each measurement began: etcd ${etcd_load:-n/a}, Berth ${berth_load:-n/a}."
  echo "Other work on the machine at the same time shows up in these numbers; compare ratios"
  echo "from one run rather than absolute values across runs."
  echo
  cat "$TABLE"
  echo
  echo "### What each row measures"
  echo
  echo "One load generator (benchmarks/, io.berth.bench.StoreBenchmark; grpc-java stubs from"
  echo "jetcd-grpc) drives both clusters through the etcd v3 gRPC API with the same code and"
  echo "settings: 2 connections per endpoint, clients spread round-robin over them with the"
  echo "endpoints ordered followers first (so the 1-client rows go through a follower on both)."
  echo "Each cluster first gets $target_warmup of unrecorded puts and gets (16 clients), so no row pays"
  echo "for a cold JVM; then each row has a warm-up of $warmup and $duration measured; only calls that"
  echo "start and end inside the measured interval count."
  echo
  echo "- **put, N clients**: closed loop, each client sends its next Put as soon as the last one"
  echo "  returns; every key is new, values are 256 bytes. Latency is per call."
  echo "- **linearizable / serializable get**: Range of one of 1,000 preloaded keys, chosen at"
  echo "  random; serializable sets RangeRequest.serializable."
  echo "- **watch delivery**: one watcher per endpoint on a prefix; one writer puts a key under it,"
  echo "  waits until every watcher has the event, then puts the next, at most 100 puts/s (as etcd's"
  echo "  \`benchmark watch-latency\` does). Each value carries its send time; a sample is event"
  echo "  receive time minus put send time, so it includes the commit but no write backlog."
  echo
  echo "Ratios are Berth/etcd: above 1 is better for throughput, below 1 is better for latency."
  echo
  echo "### Reproduce"
  echo
  echo '```'
  echo 'make build && make bench-store        # or: scripts/bench-store.sh [--quick] [--only etcd|berth]'
  echo '```'
  echo
  echo "It installs Debian's etcd-server if \`etcd\` is missing (the binary is started directly, one"
  echo "data dir per member under a temp dir; the package's service is not used), starts Berth"
  echo "with \`bin/berth up --replicas 3 --detach\`, and stops both afterwards, also on failure."
} > "$SECTION"

# Replace only this script's section of docs/benchmarks.md (between its markers), so other
# benchmarks can keep theirs in the same file.
DOC="$ROOT/docs/benchmarks.md"
BEGIN="<!-- bench-store:begin (written by scripts/bench-store.sh) -->"
END="<!-- bench-store:end -->"
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
