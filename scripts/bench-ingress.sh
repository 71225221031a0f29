#!/usr/bin/env bash
# Benchmarks Berth's ingress proxy against nginx, both as a keep-alive HTTP/1.1 reverse proxy
# to the same upstream, on this machine over loopback, with wrk in one run: requests per second
# and p50/p99 latency for a small response and a 64 KiB one, at 16 and 256 connections, and
# the ratio Berth/nginx. The upstream is nginx serving both responses itself (the same for
# both proxies); the nginx proxy runs with worker_processes auto and upstream keepalive;
# Berth's is io.berth.bench.IngressBenchServer: the ingress's IngressServer with a fixed
# routing table (the API is not on the request path). Tables go to stdout and to
# docs/benchmarks.md between this script's markers, with the machine it ran on.
#
#   scripts/bench-ingress.sh              full run (about 3 minutes)
#   scripts/bench-ingress.sh --quick      short rows, for trying the script out
#   scripts/bench-ingress.sh --no-docs    do not rewrite docs/benchmarks.md
#
# Environment: BENCH_DURATION (per row, default 15s), BENCH_WARMUP (unrecorded load on each
# proxy before its rows, 10s), BENCH_THREADS (wrk threads, 2) override the defaults.
# Needs wrk and nginx (Debian: apt-get install wrk nginx). Runs from the repository root.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

quick=0; docs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-docs) docs=0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-ingress: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  duration=${BENCH_DURATION:-3s}; warmup=${BENCH_WARMUP:-3s}
else
  duration=${BENCH_DURATION:-15s}; warmup=${BENCH_WARMUP:-10s}
fi
wrk_threads=${BENCH_THREADS:-2}

log() { echo "bench-ingress: $*" >&2; }
for tool in wrk nginx; do
  command -v "$tool" > /dev/null || { log "$tool is missing (Debian: apt-get install wrk nginx)"; exit 1; }
done
ulimit -n 65536 2> /dev/null || true

JAVA_HOME=$(scripts/find-jdk.sh); export JAVA_HOME
JAR="$ROOT/benchmarks/target/berth-benchmarks.jar"
if [ ! -f "$JAR" ] || [ ! -f "$ROOT/benchmarks/target/lib/berth-ingress-0.1.0-SNAPSHOT.jar" ]; then
  log "building the benchmark jar"
  mvn -q -B package -DskipTests -pl benchmarks -am
fi

WORK=$(mktemp -d /tmp/berth-bench-ingress.XXXXXX)
chmod 755 "$WORK"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UPSTREAM=$(free_port); NGINX=$(free_port); BERTH=$(free_port)

# The upstream: nginx answering /small with 6 bytes and /64k with a 64 KiB file.
mkdir -p "$WORK/upstream/html" "$WORK/proxy"
head -c 65536 /dev/zero | tr '\0' 'x' > "$WORK/upstream/html/64k"
cat > "$WORK/upstream/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/upstream/nginx.pid;
error_log $WORK/upstream/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$UPSTREAM backlog=4096;
    location = /small { default_type text/plain; return 200 "hello\n"; }
    location = /64k { default_type application/octet-stream; alias $WORK/upstream/html/64k; }
  }
}
CONF
# The nginx proxy: worker_processes auto, keep-alive to the upstream (as its documentation advises).
cat > "$WORK/proxy/nginx.conf" <<CONF
worker_processes auto;
pid $WORK/proxy/nginx.pid;
error_log $WORK/proxy/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$UPSTREAM; keepalive 512; }
  server {
    listen 127.0.0.1:$NGINX backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
CONF
for role in upstream proxy; do
  nginx -p "$WORK/$role" -c "$WORK/$role/nginx.conf" -g 'daemon off;' 2> "$WORK/$role/stderr.log" &
  pids+=($!)
done
"$JAVA_HOME/bin/java" -XX:+UseParallelGC -Xms512m -Xmx512m \
  --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$JAR:$ROOT/benchmarks/target/lib/*" io.berth.bench.IngressBenchServer "$BERTH" "127.0.0.1:$UPSTREAM" \
  > "$WORK/berth.log" 2>&1 &
pids+=($!)
for port in $UPSTREAM $NGINX $BERTH; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/small" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/small" || { log "nothing answers on port $port"; cat "$WORK"/*.log >&2; exit 1; }
done
[ "$(curl -s "http://127.0.0.1:$BERTH/64k" | wc -c)" = 65536 ] || { log "Berth's ingress does not pass /64k whole"; exit 1; }
[ "$(curl -s "http://127.0.0.1:$NGINX/64k" | wc -c)" = 65536 ] || { log "nginx does not pass /64k whole"; exit 1; }

# wrk's output -> "rps p50_ms p99_ms errors"
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 } printf "%.3f", v }'; }
measure() { # url connections duration
  local out; out=$(wrk -t"$wrk_threads" -c"$2" -d"$3" --latency "$1")
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/^Requests\/sec/ { printf "%.0f", $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }' | to_ms)
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }' | to_ms)
  errors=$(echo "$out" | awk '/Non-2xx|Socket errors/ { n++ } END { print n + 0 }')
  echo "$rps $p50 $p99 $errors"
}

declare -A result
port_of() { if [ "$1" = nginx ]; then echo "$NGINX"; else echo "$BERTH"; fi; }
for target in berth nginx; do
  log "warming up $target for $warmup"
  wrk -t"$wrk_threads" -c64 -d"$warmup" "http://127.0.0.1:$(port_of $target)/small" > /dev/null
  wrk -t"$wrk_threads" -c64 -d"$warmup" "http://127.0.0.1:$(port_of $target)/64k" > /dev/null
done
# Each row measures both proxies one right after the other, so that other load on the machine
# (it is shared) falls on both alike rather than on one whole half of the run.
for path in small 64k; do
  for conns in 16 256; do
    for target in berth nginx; do
      log "$target /$path at $conns connections for $duration"
      result[$target,$path,$conns]=$(measure "http://127.0.0.1:$(port_of $target)/$path" "$conns" "$duration")
    done
  done
done

SECTION="$WORK/section.md"
{
  echo "## Ingress: Berth's proxy against nginx (\`make bench-ingress\`)"
  echo
  echo "wrk ($wrk_threads threads, $duration per row, --latency) against each reverse proxy in turn (row by row), both"
  echo "keeping HTTP/1.1 connections alive to the same upstream (nginx, one worker, serving /small:"
  echo "6 bytes, and /64k: 65,536 bytes). nginx as proxy: worker_processes auto, upstream keepalive 512."
  echo "Berth: IngressServer (epoll, one event loop per core, pooled upstream connections) with a fixed"
  echo "routing table. Everything ran on this one machine over loopback and shared its CPUs, so the"
  echo "upstream and wrk take CPU from the proxy under test; compare the ratios more than the absolutes."
  echo
  echo "| response | connections | Berth req/s | nginx req/s | ratio | Berth p50 ms | nginx p50 ms | Berth p99 ms | nginx p99 ms | p99 ratio | errors B/n |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for path in small 64k; do
    for conns in 16 256; do
      read -r brps bp50 bp99 berr <<< "${result[berth,$path,$conns]}"
      read -r nrps np50 np99 nerr <<< "${result[nginx,$path,$conns]}"
      ratio=$(awk -v a="$brps" -v b="$nrps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      p99ratio=$(awk -v a="$bp99" -v b="$np99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
      echo "| /$path | $conns | $brps | $nrps | $ratio | $bp50 | $np50 | $bp99 | $np99 | $p99ratio | $berr/$nerr |"
    done
  done
  echo
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
  echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "$(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, $(uname -sr); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 || true);"
  echo "$(nginx -v 2>&1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2). Commit $commit, $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "Reproduce: \`make bench-ingress\` (or \`scripts/bench-ingress.sh [--quick] [--no-docs]\`)."
} > "$SECTION"
cat "$SECTION"

[ "$docs" = 1 ] || exit 0
DOC="$ROOT/docs/benchmarks.md"
BEGIN="<!-- bench-ingress:begin (written by scripts/bench-ingress.sh) -->"
END="<!-- bench-ingress:end -->"
if [ -f "$DOC" ] && grep -qF "$BEGIN" "$DOC" && grep -qF "$END" "$DOC"; then
  awk -v begin="$BEGIN" -v end="$END" -v section="$SECTION" '
    $0 == begin { print; while ((getline line < section) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$DOC" > "$WORK/doc.md"
else
  { [ -f "$DOC" ] && cat "$DOC" || echo "# Benchmarks"; echo; echo "$BEGIN"; cat "$SECTION"; echo "$END"; } > "$WORK/doc.md"
fi
cp "$WORK/doc.md" "$DOC"
log "wrote docs/benchmarks.md"
