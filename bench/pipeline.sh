#!/usr/bin/env bash
# Benchmark of the whole local pipeline (bin/run-local: kinesis-local, dynalite, the Gemini emulator,
# the Flink job in a MiniCluster): one generated document of 10 chunks, then one of 60 chunks, each
# in its own run, at the submit tool's default budget of 3,500 tokens per chunk. The emulator
# answers every call after a fixed 10 s (BENCH_LATENCY_MS), which reproduces the sequential
# baseline of the mission: one call after the other takes 10 x 10 s = 100 s and 60 x 10 s = 600 s.
# That baseline is COMPUTED (chunks x latency, the sum of the latencies), not measured.
# The quota (BENCH_RPM/TPM/RPD) is set high enough not to be the bottleneck; the emulator enforces
# the same quota as the limiter, so any 429 would show as gemini_429 > 0.
# Wall time is measured from the submission of the document to its committed status record.
# commit_latency_s is the largest time, over the runs, from the reassembly emitting a document to
# its file and COMPLETE status being visible (bin/run-local polls the output every 25 ms); the
# checkpoint statistics of each run are printed too, and a phase table per run: seconds from the
# first put to the last PutRecords returned, the first chunk at the translate operator, the first
# request at the emulator, the last answer, the document emitted, committed and visible.
# The last line is:
#   RESULT chunks10_s=<x> chunks60_s=<y> speedup10=<a> speedup60=<b> gemini_429=<n> commit_latency_s=<c>
# Knobs (environment): BENCH_LATENCY_MS (10000), BENCH_CAPACITY (10), BENCH_PARALLELISM (2),
# BENCH_RPM (1000), BENCH_TPM (4000000), BENCH_RPD (10000), BENCH_CHUNKS ("10 60"),
# BENCH_DASHBOARD_PORT (8081), BENCH_RUN_ARGS (more bin/run-local flags, e.g. "--set kinesis.poll-interval=1s"
# to compare a setting).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
latency_ms="${BENCH_LATENCY_MS:-10000}"
capacity="${BENCH_CAPACITY:-10}"
parallelism="${BENCH_PARALLELISM:-2}"
rpm="${BENCH_RPM:-1000}"
tpm="${BENCH_TPM:-4000000}"
rpd="${BENCH_RPD:-10000}"
chunk_sizes="${BENCH_CHUNKS:-10 60}"
port="${BENCH_DASHBOARD_PORT:-8081}"
chunk_tokens=3500
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-pipeline-XXXXXX")"
echo "bench: working in $work; load average $(uptime | sed 's/.*load average: //')" >&2

source "$root/bench/lib.sh"

declare -A wall
total_429=0
commit_latency=0
for chunks in $chunk_sizes; do
  docs="$work/docs-$chunks"
  mkdir -p "$docs"
  generate "$chunks" > "$docs/bench-$chunks-chunks.txt"
  echo "bench: $chunks chunks: running bin/run-local (emulator latency ${latency_ms} ms, capacity $capacity," \
       "parallelism $parallelism, quota ${rpm} RPM / ${tpm} TPM / ${rpd} RPD)" >&2
  status=0
  # shellcheck disable=SC2086 # BENCH_RUN_ARGS is split into flags on purpose
  "$root/bin/run-local" --docs "$docs" --out "$work/out-$chunks" --exit-when-done --max-wait 15m \
    --chunk-tokens "$chunk_tokens" --capacity "$capacity" --parallelism "$parallelism" \
    --rpm "$rpm" --tpm "$tpm" --rpd "$rpd" \
    --set emulator.latency="${latency_ms}ms" --set emulator.jitter=0ms --set emulator.per-output-token-ms=0 \
    --set flink.rest.bind-port="$port" ${BENCH_RUN_ARGS:-} \
    > "$work/run-$chunks.out" 2> "$work/run-$chunks.log" || status=$?
  result="$(tail -n 1 "$work/run-$chunks.out")"
  grep -h -e "run-local: emulator:" -e "run-local: commit latency" -e "run-local: checkpoints:" \
    -e "run-local: where the time went" -e "run-local:   " "$work/run-$chunks.log" >&2 || true
  echo "bench: $chunks chunks: $result" >&2
  if [[ "$status" -ne 0 || "$result" != RESULT* ]]; then
    echo "bench: the $chunks-chunk run failed (exit $status); its log: $work/run-$chunks.log" >&2
    exit 1
  fi
  field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$result"; }
  if [[ "$(field chunks)" != "$chunks" ]]; then
    echo "bench: expected $chunks chunks, the run reports $(field chunks)" >&2
    exit 1
  fi
  wall[$chunks]="$(field wall_s)"
  total_429=$((total_429 + $(field gemini_429)))
  run_latency="$(sed -n 's/.*commit latency.* max \([0-9.]*\) s over.*/\1/p' "$work/run-$chunks.log")"
  commit_latency="$(awk -v a="$commit_latency" -v b="${run_latency:-0}" 'BEGIN { print (b > a ? b : a) }')"
  utilization="$(sed -n 's/.*busiest 60 s window \([0-9]*\) requests (\([0-9]*%\) of \([0-9]*\) RPM).*/\1 of \3 RPM (\2)/p' \
    "$work/run-$chunks.log")"
  awk -v c="$chunks" -v w="${wall[$chunks]}" -v l="$latency_ms" -v u="$utilization" 'BEGIN {
    base = c * l / 1000;
    printf "bench: %d chunks: %.1f s measured, sequential baseline %.0f s (computed: %d x %.0f s), speedup %.1fx, busiest minute %s\n",
      c, w, base, c, l / 1000, base / w, u }' >&2
done

speedup() { awk -v c="$1" -v w="$2" -v l="$latency_ms" 'BEGIN { printf "%.1f", c * l / 1000 / w }'; }
if [[ "$total_429" -eq 0 ]]; then
  echo "bench: zero 429s at the emulator: OK" >&2
else
  echo "bench: the emulator answered $total_429 requests with 429" >&2
fi
line="RESULT"
for chunks in $chunk_sizes; do
  line="$line chunks${chunks}_s=${wall[$chunks]}"
done
for chunks in $chunk_sizes; do
  line="$line speedup${chunks}=$(speedup "$chunks" "${wall[$chunks]}")"
done
echo "$line gemini_429=$total_429 commit_latency_s=$commit_latency"
rm -rf "$work"
