#!/usr/bin/env bash
# Prints the home of a JDK of version 21 or newer: JAVA_HOME if it qualifies,
# else the newest one under /usr/lib/jvm. Exits 1 with a message if there is none.
set -euo pipefail

major_version() {
  # `java -version` prints e.g. `openjdk version "25.0.1" 2025-10-21` or `"17.0.15"`.
  "$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); if (!done) print (v[1] == "1" ? v[2] : v[1]); done = 1}'
}

qualifies() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  local v; v=$(major_version "$1")
  [ -n "$v" ] && [ "$v" -ge 21 ]
}

if [ -n "${JAVA_HOME:-}" ] && qualifies "$JAVA_HOME"; then
  echo "$JAVA_HOME"; exit 0
fi

best=""; best_version=0
for home in /usr/lib/jvm/*; do
  [ -d "$home" ] && [ ! -L "$home" ] || continue
  if qualifies "$home"; then
    v=$(major_version "$home")
    if [ "$v" -gt "$best_version" ]; then best="$home"; best_version=$v; fi
  fi
done

if [ -z "$best" ]; then
  echo "berth: no JDK 21 or newer found (checked JAVA_HOME and /usr/lib/jvm)." >&2
  echo "berth: install one, e.g. 'apt-get install openjdk-21-jdk-headless' where available, and set JAVA_HOME." >&2
  exit 1
fi
echo "$best"
