#!/usr/bin/env bash
# Benchmark of the global quota limiter (ratelimit/): 40 acquirers in 2 JVMs (one limiter per JVM)
# race for ONE dynalite item with a quota far below their demand, for 75 s of real time, then
# every 60-second window of the grants is checked. Starts dynalite itself (through the project's
# LocalServices) and stops it, and every JVM it starts, when done. The last line is:
#   RESULT violations=<n> utilization=<granted/allowed> ddb_calls_per_grant=<x> p50_acquire_ms=<y> p99_acquire_ms=<z>
# Knobs (environment): BENCH_SECONDS (75), BENCH_JVMS (2), BENCH_ACQUIRERS (40, in total),
# BENCH_LIMITERS_PER_JVM (1), BENCH_RPM (120), BENCH_TPM (4800).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/dynalite ]]; then
  echo "dynalite is not installed: run npm ci in $(pwd)" >&2
  exit 1
fi
classpath_file="$(pwd)/ratelimit/target/bench-classpath.txt"
# Incremental: compiles only what changed. The benchmark lives in ratelimit's test sources so
# that it never ships.
mvn -q -pl ratelimit -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >&2

# BENCH_MAIN: another benchmark of the same module (bench/ratelimit-scale.sh sets it).
exec java -Dlocal.services.root="$(pwd)" \
  -cp "ratelimit/target/test-classes:ratelimit/target/classes:$(cat "$classpath_file")" \
  "${BENCH_MAIN:-io.paralleltranslation.ratelimit.RateLimitBenchmark}"
