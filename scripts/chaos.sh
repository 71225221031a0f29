#!/usr/bin/env bash
# make chaos: one long Jepsen-style run of the chaos harness (chaos-tests) against Berth replicas
# in containers: every workload under every nemesis by default, then the checkers and a report
# (history, fault timeline, verdicts, summary with availability, latency plot) in a results folder.
#
#   make chaos                                   10 minutes of faults, all workloads, all nemeses, new seed
#   make chaos SEED=42                           repeat a run: every random choice follows the seed
#   make chaos DURATION=120 NEMESIS=kill-leader,partition-ring WORKLOAD=register,set
#   make chaos REPLICAS=5 RESULTS=/tmp/chaos-5
#
# Environment: DURATION (seconds of fault rounds, default 600), SEED, NEMESIS, WORKLOAD (comma
# lists or all), REPLICAS (3 or 5), FAULT_SECONDS and HEAL_SECONDS (one round), QUIET_SECONDS,
# COMBINE (true: a network and a process fault may overlap), RESULTS (the folder).
# Needs a Docker engine (scripts/start-docker.sh starts one) and exits 1 when a checker found an anomaly.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk.sh)}
export JAVA_HOME
if [ ! -f cli/target/berth-cli.jar ] || [ ! -f chaos-tests/target/berth-chaos.jar ]; then
  echo "chaos: building the replicas' jar and the harness ..."
  mvn -B -ntp -q package -DskipTests -pl chaos-tests -am
fi
docker info >/dev/null 2>&1 || scripts/start-docker.sh

args=(--duration "${DURATION:-600}" --replicas "${REPLICAS:-3}"
      --nemesis "${NEMESIS:-all}" --workload "${WORKLOAD:-all}")
[ -n "${SEED:-}" ] && args+=(--seed "$SEED")
[ -n "${FAULT_SECONDS:-}" ] && args+=(--fault-seconds "$FAULT_SECONDS")
[ -n "${HEAL_SECONDS:-}" ] && args+=(--heal-seconds "$HEAL_SECONDS")
[ -n "${QUIET_SECONDS:-}" ] && args+=(--quiet-seconds "$QUIET_SECONDS")
[ -n "${RESULTS:-}" ] && args+=(--results "$RESULTS")
case "${COMBINE:-true}" in
  true) ;;
  false) args+=(--no-combine) ;;
  *) echo "chaos: COMBINE is true or false, not '$COMBINE'" >&2; exit 2 ;;
esac

# The same Testcontainers settings as the build gives the tests (see the root pom.xml).
export TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=localhost TESTCONTAINERS_CHECKS_DISABLE=true
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dapi.version=1.41 -jar chaos-tests/target/berth-chaos.jar "${args[@]}"
