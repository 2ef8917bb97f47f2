#!/usr/bin/env bash
# Runs the local-runtime benchmarks and the idle-footprint check, and prints what BENCHMARKS.md
# records: the machine, the JDK, JMH's results with the median of the forks, and the footprint.
#
#   noex-bench/run-local.sh                 # 3 forks x (3 warmup + 5 measured) x 2 s, then 1,000,000 idle processes
#   noex-bench/run-local.sh -f 1 -i 2       # extra JMH options go last and override the defaults
#   QUICK=1 noex-bench/run-local.sh         # a smoke run: 1 fork, 1 warmup, 2 x 1 s measured
#
# Environment: JAVA_HOME (a JDK >= 21; otherwise the newest in /usr/lib/jvm, then `java` on PATH),
# REBUILD=1 (rebuild the jar even if it exists), COUNT (idle processes, default 1000000),
# MVN_OFFLINE=0 (let Maven download; default offline).
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
  echo "run-local.sh: no JDK >= 21 found (set JAVA_HOME)" >&2
  return 1
}

JDK="$(find_jdk)"
JAVA="$JDK/bin/java"
JAR=noex-bench/target/benchmarks.jar

if [[ ! -f "$JAR" || "${REBUILD:-0}" == 1 ]]; then
  offline=(-o)
  [[ "${MVN_OFFLINE:-1}" == 0 ]] && offline=()
  echo "== building $JAR"
  # Maven itself runs on JAVA_HOME; the JDK >= 21 also packages the modular jars (a JDK 17 jar
  # tool cannot read a Java 21 module-info.class).
  JAVA_HOME="$JDK" mvn -B -q "${offline[@]}" -DskipTests package -pl noex-bench -am
fi

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cores:   $(nproc) ($(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'))"
echo "memory:  $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"
echo "jdk:     $("$JAVA" -version 2>&1 | head -2 | tail -1)"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

if [[ "${QUICK:-0}" == 1 ]]; then
  jmh=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
else
  jmh=(-f 3 -wi 3 -w 2s -i 5 -r 2s)
fi
echo "== JMH: ${jmh[*]} $*"
"$JAVA" -cp "$JAR" io.noex.bench.MedianOfForks 'io\.noex\.bench\.(LocalCall|Cast|SpawnStop)Benchmark' \
  "${jmh[@]}" "$@"

echo "== idle footprint: -Xmx1g, ${COUNT:-1000000} processes"
"$JAVA" -Xmx1g -cp "$JAR" io.noex.bench.IdleFootprint "${COUNT:-1000000}"
