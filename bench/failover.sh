#!/usr/bin/env bash
# Failover on a real multi-process Flink cluster: a JobManager and two TaskManagers, each its own JVM
# (built from the Maven jars, as in the build notes), running the job's managed-flink jar against
# kinesis-local, dynalite and the Gemini emulator. Three documents (80 chunks) go in; once 20 chunks
# are paid for, one TaskManager is killed with SIGKILL and the job restores its last checkpoint on the
# survivor. It measures what reaches the outputs and the emulator. The last line is:
#   RESULT documents= complete= duplicates= chunks= gemini_calls= lost_in_flight= paid_twice= gemini_429= recovery_s=
# duplicates: second status records plus second files of a document; recovery_s: from the kill until
# every task of the job runs again. A call in flight on the killed TaskManager is lost with its answer
# and paid again: lost_in_flight counts the answers the emulator could not deliver because their client
# was gone (a lower bound: an answer written while a killed JVM is still closing its sockets counts as
# delivered); paid_twice the calls beyond one per chunk. For each chunk paid twice it also prints when
# its first call was answered relative to the kill (in flight, or answered but not yet in the cache).
# Knobs (environment): BENCH_LATENCY_MS (400, emulator latency per call), BENCH_CHECKPOINT_MS (2000),
# BENCH_CACHE (true; false shows the cost without the translation cache).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-failover-XXXXXX")"
echo "bench: working in $work" >&2
cd "$root"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"

echo "bench: building the job jar and the classpaths" >&2
mvn -B -q -ntp -pl job -am package -DskipTests -Djacoco.skip=true \
  dependency:build-classpath -Dmdep.outputFile="$work/driver.cp" >&2
# The cluster JVMs get the same jars minus the project's own modules (Flink itself is parent-first;
# the job's code comes from its jar).
cluster_cp="$(tr ':' '\n' < "$work/driver.cp" | grep -v -e '/io/paralleltranslation/' -e "^$root/" | paste -sd: -)"
printf '%s' "$cluster_cp" > "$work/cluster.cp"

java -Dbench.latencyMs="${BENCH_LATENCY_MS:-400}" -Dbench.checkpointMs="${BENCH_CHECKPOINT_MS:-2000}" \
  -Dbench.cache="${BENCH_CACHE:-true}" -Dlocal.services.root="$root" \
  -Dlog4j2.configurationFile="$root/job/src/test/resources/log4j2-test.properties" \
  -cp "$root/job/target/test-classes:$root/job/target/classes:$(cat "$work/driver.cp")" \
  io.paralleltranslation.job.FailoverBenchmark "$root/job/target/job-$version-managed-flink.jar" \
  "$work/cluster.cp" "$work"
