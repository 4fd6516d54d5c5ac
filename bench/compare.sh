#!/usr/bin/env bash
# The same work, three ways, against the same Gemini emulator settings:
#   sequential  this job with capacity 1 and parallelism 1: one call after the other (the original
#               plan's baseline, with the quota respected);
#   naive       NaiveParallelTranslator: 10 threads on the google-genai SDK with its default retries
#               and no shared quota (what this project replaces);
#   ours        this job: capacity 10 per subtask, parallelism 2, the global limiter.
# Each contender gets a fresh emulator (bin/gemini-emulator) enforcing the scenario's quota at
# arrival; its /emulator/stats is the judge of calls, 429s and quota share.
# Scenarios (name: documents x chunks, quota):
#   paid10   1 x 10, paid tier 1 (1,000 RPM, 1M TPM, 10K RPD)      the plan's 65K-word document
#   paid60   1 x 60, paid tier 1                                    the plan's 400K-word document
#   free10   1 x 10, free tier (10 RPM, 250K TPM, 250 RPD)
#   free60   1 x 60, free tier
#   conc5    5 x 8 at 20 RPM                                        concurrent documents, quota binding
#   conc10   10 x 6 at 20 RPM
# Time scale: every call takes BENCH_LATENCY_MS at the emulator: 1,000 ms by default (compressed
# 10x: a CI-friendly run of about half an hour), 10,000 ms with --full (the plan's 10 s per call;
# about 75 minutes). Only the call latency is compressed: Gemini's quota windows are 60 s and stay
# so, because compressing them would change what is measured.
# Prints a table row per scenario and contender, writes SVG plots, and ends with
#   RESULT <scenario>_ours_s= <scenario>_bound_s= <scenario>_ratio= <scenario>_ours_429= <scenario>_naive_failed= ...
# bound_s is the physical bound: the shortest time any client with ours' concurrency (20 calls in
# flight) could take at that latency and quota judged at arrival (PhysicalBound).
# For this job's runs (ours, sequential) it also prints where the time went: a phase table from the
# first put to the output visible (run-local's phase times, completed with the emulator's request
# log: first request at Gemini, last answer).
# Environment: BENCH_DASHBOARD_PORT (8081), BENCH_LATENCY_MS (see above), BENCH_RUN_ARGS (more
# bin/run-local flags for ours and sequential, e.g. "--set job.checkpoint-interval=1s").
# Usage: bench/compare.sh [--full] [--only paid10,paid60] [--contenders ours,naive] [--keep DIR]
#   --only (or --scenarios) and --contenders take names separated by commas or spaces; e.g.
#   `bench/compare.sh --full --only paid10,paid60 --contenders ours` takes minutes, not 75.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
latency_ms="${BENCH_LATENCY_MS:-1000}"
scenarios="paid10 paid60 free10 free60 conc5 conc10"
contenders="sequential naive ours"
keep=""
port="${BENCH_DASHBOARD_PORT:-8081}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) latency_ms=10000; shift ;;
    --only|--scenarios) scenarios="${2//,/ }"; shift 2 ;;
    --contenders) contenders="${2//,/ }"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/bench-compare-XXXXXX")}"
mkdir -p "$work"
echo "bench: working in $work; call latency ${latency_ms} ms; scenarios: $scenarios; contenders: $contenders" >&2
echo "bench: load average at the start $(uptime | sed 's/.*load average: //')" >&2

classpath_file="$root/job/target/bench-classpath.txt"
(cd "$root" && mvn -q -B -ntp -pl job -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >&2)
bench_cp="$root/job/target/test-classes:$root/job/target/classes:$(cat "$classpath_file")"

emulator_pid=""
stop_emulator() {
  if [[ -n "$emulator_pid" ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
trap stop_emulator EXIT

# start_emulator LOG RPM TPM RPD [--paid-tier]: sets emulator_url.
start_emulator() {
  local log="$1"; shift
  : > "$log"
  "$root/bin/gemini-emulator" --port 0 --rpm "$1" --tpm "$2" --rpd "$3" ${4:-} --latency "${latency_ms}ms" \
    --no-log-texts > "$log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 600); do
    emulator_url="$(sed -n 's/^gemini-emulator listening on \(http[^ ]*\) .*/\1/p' "$log")"
    [[ -n "$emulator_url" ]] && return 0
    kill -0 "$emulator_pid" 2>/dev/null || { echo "bench: the emulator died; its log: $log" >&2; exit 1; }
    sleep 0.5
  done
  echo "bench: the emulator did not start; its log: $log" >&2
  exit 1
}

order=0
for scenario in $scenarios; do
  order=$((order + 1))
  case "$scenario" in
    paid10) docs=1; chunks=10; rpm=1000; tpm=1000000; rpd=10000; tier=--paid-tier ;;
    paid60) docs=1; chunks=60; rpm=1000; tpm=1000000; rpd=10000; tier=--paid-tier ;;
    free10) docs=1; chunks=10; rpm=10; tpm=250000; rpd=250; tier="" ;;
    free60) docs=1; chunks=60; rpm=10; tpm=250000; rpd=250; tier="" ;;
    conc5) docs=5; chunks=8; rpm=20; tpm=250000; rpd=250; tier="" ;;
    conc10) docs=10; chunks=6; rpm=20; tpm=250000; rpd=250; tier="" ;;
    *) echo "compare: unknown scenario $scenario" >&2; exit 2 ;;
  esac
  dir="$work/$scenario"
  mkdir -p "$dir/docs"
  for d in $(seq 1 "$docs"); do
    generate "$chunks" "$((41 + d))" > "$dir/docs/$(printf 'doc-%02d' "$d").txt"
  done
  printf 'order=%d\nchunks=%d\nlatency_ms=%d\nconcurrency=20\nrpm=%d\ntpm=%d\nrpd=%d\n' "$order" \
    "$((docs * chunks))" "$latency_ms" "$rpm" "$tpm" "$rpd" > "$dir/scenario.properties"
  for contender in $contenders; do
    run="$dir/$contender"
    mkdir -p "$run"
    start_emulator "$run/emulator.log" "$rpm" "$tpm" "$rpd" "$tier"
    echo "bench: $scenario: $contender against $emulator_url" >&2
    case "$contender" in
      naive)
        java -cp "$bench_cp" io.paralleltranslation.job.bench.NaiveParallelTranslator --base-url "$emulator_url" \
          --threads 10 --out "$run/chunks.jsonl" "$dir"/docs/*.txt > "$run/naive.out" 2> "$run/naive.log"
        result="$(grep '^RESULT' "$run/naive.out")"
        seconds="$(sed -n 's/^DOCUMENT_SECONDS //p' "$run/naive.out")"
        printf 'wall_s=%s\nfailed=%s\ndocument_seconds=%s\n' "$(sed -n 's/.* wall_s=\([^ ]*\).*/\1/p' <<< "$result")" \
          "$(sed -n 's/.* failed=\([^ ]*\).*/\1/p' <<< "$result")" "$seconds" > "$run/result.properties"
        ;;
      sequential|ours)
        if [[ "$contender" == sequential ]]; then capacity=1; parallelism=1; else capacity=10; parallelism=2; fi
        status=0
        # shellcheck disable=SC2086 # BENCH_RUN_ARGS is split into flags on purpose
        GEMINI_API_KEY=bench-key "$root/bin/run-local" --docs "$dir/docs" --out "$run/out" --exit-when-done \
          --max-wait 120m --gemini-base-url "$emulator_url" --rpm "$rpm" --tpm "$tpm" --rpd "$rpd" \
          --capacity "$capacity" --parallelism "$parallelism" --chunk-tokens 3500 \
          --set flink.rest.bind-port="$port" ${BENCH_RUN_ARGS:-} > "$run/run.out" 2> "$run/run.log" || status=$?
        result="$(tail -n 1 "$run/run.out")"
        if [[ "$result" != RESULT* ]]; then
          echo "bench: $scenario: $contender failed (exit $status); its log: $run/run.log" >&2
          exit 1
        fi
        printf 'wall_s=%s\nphases=%s\n' "$(sed -n 's/.* wall_s=\([^ ]*\).*/\1/p' <<< "$result")" \
          "$(sed -n 's/^run-local: PHASES //p' "$run/run.log")" > "$run/result.properties"
        ;;
      *) echo "compare: unknown contender $contender" >&2; exit 2 ;;
    esac
    curl -sf "$emulator_url/emulator/stats" > "$run/stats.json"
    stop_emulator
    echo "bench: $scenario: $contender: $result" >&2
  done
done

java -cp "$bench_cp" io.paralleltranslation.job.bench.CompareReport "$work"
echo "bench: load average at the end $(uptime | sed 's/.*load average: //')" >&2
echo "bench: everything is kept in $work" >&2
