#!/usr/bin/env bash
# Runs the two-JVM cluster benchmark and prints what BENCHMARKS.md records: the machine, the JDK,
# the commit, every run, and a Markdown table of the medians with the targets beside them.
# One command starts both JVMs: the driver starts the server JVM as its child and stops it at the end.
#
#   noex-bench/run-cluster.sh                      # 3 runs x (16 B, 1 KiB), about 2 minutes
#   noex-bench/run-cluster.sh --quick              # a smoke run: 1 run, 5,000 calls, 1 s windows
#   noex-bench/run-cluster.sh --profile target/p   # where a round trip spends its time (per-thread
#                                                  # CPU and switches, JFR of both JVMs)
#   noex-bench/run-cluster.sh --runs 5 --calls 50000 --seconds 3   # options: see ClusterBench's Javadoc
#
# Environment: JAVA_HOME (a JDK >= 21; otherwise the newest in /usr/lib/jvm, then `java` on PATH),
# REBUILD=1 (rebuild the jar even if it exists), MVN_OFFLINE=0 (let Maven download; default offline),
# JAVA_OPTS (extra JVM options; the server JVM inherits them).
set -euo pipefail
cd "$(dirname "$0")/.."

java_major() {  # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' \
    | awk -F. '{ print ($1 == 1 ? $2 : $1) }' || echo 0
}

find_jdk() {  # prints a JDK home whose java is >= 21
  local candidates=()
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
  while IFS= read -r d; do candidates+=("$d"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  local on_path; on_path="$(command -v java || true)"
  [[ -n "$on_path" ]] && candidates+=("$(dirname "$(dirname "$(readlink -f "$on_path")")")")
  for home in "${candidates[@]}"; do
    if [[ -x "$home/bin/java" && "$(java_major "$home/bin/java")" -ge 21 ]]; then
      echo "$home"
      return 0
    fi
  done
  echo "run-cluster.sh: no JDK >= 21 found (set JAVA_HOME)" >&2
  return 1
}

JDK="$(find_jdk)"
JAVA="$JDK/bin/java"
JAR=noex-bench/target/benchmarks.jar

if [[ ! -f "$JAR" || "${REBUILD:-0}" == 1 ]]; then
  offline=(-o)
  [[ "${MVN_OFFLINE:-1}" == 0 ]] && offline=()
  echo "== building $JAR"
  mvn -B -q "${offline[@]}" -DskipTests package -pl noex-bench -am
fi

opts=()
# msgpack-core uses sun.misc.Unsafe; JDK 23+ warns about it unless told to allow it.
[[ "$(java_major "$JAVA")" -ge 23 ]] && opts+=(--sun-misc-unsafe-memory-access=allow)
# shellcheck disable=SC2206
opts+=(${JAVA_OPTS:-})

exec "$JAVA" "${opts[@]}" -cp "$JAR" io.noex.bench.cluster.ClusterBench "$@"
