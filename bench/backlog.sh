#!/usr/bin/env bash
# Benchmark of demand far above the quota: 10 documents of 20 chunks each (the submit tool's default
# 3,500 tokens per chunk), submitted at once to the whole local pipeline (bin/run-local), against a
# quota of 20 requests per minute that the emulator enforces too, and an emulator answering every
# call after 1 s. 200 chunks at 20 RPM is ten quota minutes of backlog: every document must still
# complete, with no 429 and exactly one paid call per chunk, and checkpoints must stay short
# although the async queue is full the whole time.
#
# bound_s is the least wall time the quota allows (computed, not measured): the limiter's sliding
# minute is 61 s plus quota.window-margin (1 s), so with the quota used to the full the k-th batch
# of RPM requests goes out (k-1) x 62 s after the first; the last batch then needs one call's
# latency. bound_s = (ceil(chunks / rpm) - 1) x 62 + latency_s. wall_s / bound_s near 1 means the
# quota, not the job, set the pace; wall_s is measured from the first submission to the last
# committed status record (run-local's wall_s).
# Checkpoint numbers are read from the Flink REST API (/jobs/<id>/checkpoints) every 2 s while the
# job runs: the longest end-to-end duration of a completed checkpoint, and the failed count.
# The last line is:
#   RESULT documents= complete= incomplete= gemini_429= calls= chunks= wall_s= bound_s= max_checkpoint_s= failed_checkpoints=
# Knobs (environment): BENCH_DOCS (10), BENCH_CHUNKS (20), BENCH_RPM (20), BENCH_LATENCY_MS (1000),
# BENCH_PARALLELISM (2), BENCH_CAPACITY (10).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
docs_n="${BENCH_DOCS:-10}"
chunks_per_doc="${BENCH_CHUNKS:-20}"
rpm="${BENCH_RPM:-20}"
latency_ms="${BENCH_LATENCY_MS:-1000}"
parallelism="${BENCH_PARALLELISM:-2}"
capacity="${BENCH_CAPACITY:-10}"
margin_s=1
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-backlog-XXXXXX")"
echo "bench: working in $work" >&2

mkdir -p "$work/docs"
for d in $(seq 1 "$docs_n"); do
  generate "$chunks_per_doc" "$d" > "$work/docs/doc-$(printf %02d "$d").txt"
done
port="$(free_port)"
chunks_total=$((docs_n * chunks_per_doc))
echo "bench: $docs_n documents x $chunks_per_doc chunks at $rpm RPM, emulator latency ${latency_ms} ms," \
     "parallelism $parallelism, capacity $capacity; Flink dashboard on port $port" >&2

"$root/bin/run-local" --docs "$work/docs" --out "$work/out" --exit-when-done --max-wait 40m \
  --chunk-tokens 3500 --capacity "$capacity" --parallelism "$parallelism" --rpm "$rpm" --tpm 4000000 --rpd 100000 \
  --set emulator.latency="${latency_ms}ms" --set emulator.jitter=0ms --set emulator.per-output-token-ms=0 \
  --set flink.rest.bind-port="$port" --set job.checkpoint-interval=10s \
  > "$work/run.out" 2> "$work/run.log" &
run_pid=$!

# Polls the job's checkpoint statistics until the run ends; keeps the worst seen in a file.
node - "$port" "$work/checkpoints.json" <<'JS' &
const [port, file] = process.argv.slice(2);
const fs = require('fs');
let worst = {maxMs: 0, failed: 0, completed: 0};
const get = (path) => new Promise((resolve) => {
  require('http').get({host: '127.0.0.1', port, path}, (res) => {
    let body = '';
    res.on('data', (c) => body += c);
    res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { resolve(null); } });
  }).on('error', () => resolve(null));
});
setInterval(async () => {
  const overview = await get('/jobs/overview');
  for (const job of (overview && overview.jobs) || []) {
    const cp = await get('/jobs/' + job.jid + '/checkpoints');
    if (!cp || !cp.counts) continue;
    worst.failed = Math.max(worst.failed, cp.counts.failed);
    worst.completed = Math.max(worst.completed, cp.counts.completed);
    const d = cp.summary && cp.summary.end_to_end_duration;
    if (d) worst.maxMs = Math.max(worst.maxMs, d.max);
    fs.writeFileSync(file, JSON.stringify(worst));
  }
}, 2000);
JS
poll_pid=$!
status=0
wait "$run_pid" || status=$?
kill "$poll_pid" 2>/dev/null || true
wait "$poll_pid" 2>/dev/null || true

result="$(tail -n 1 "$work/run.out")"
if [[ "$status" -ne 0 || "$result" != RESULT* ]]; then
  echo "bench: the run failed (exit $status); its log: $work/run.log" >&2
  exit 1
fi
cat "$work/run.out" >&2
grep -h "run-local: emulator:" "$work/run.log" >&2 || true
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$result"; }

# Completion order: each document's final status, in the order they were written, with its wait.
node "$root/bench/completion-order.js" "$work/out/_status" >&2

checkpoints="$(cat "$work/checkpoints.json" 2>/dev/null || echo '{"maxMs":0,"failed":0,"completed":0}')"
max_cp_s="$(node -e "console.log((JSON.parse(process.argv[1]).maxMs / 1000).toFixed(1))" "$checkpoints")"
failed_cp="$(node -e "console.log(JSON.parse(process.argv[1]).failed)" "$checkpoints")"
completed_cp="$(node -e "console.log(JSON.parse(process.argv[1]).completed)" "$checkpoints")"
bound_s="$(awk -v n="$chunks_total" -v r="$rpm" -v m="$margin_s" -v l="$latency_ms" 'BEGIN {
  b = int((n + r - 1) / r); printf "%.1f", (b - 1) * (61 + m) + l / 1000 }')"
echo "bench: $completed_cp checkpoints completed" >&2
echo "RESULT documents=$(field documents) complete=$(field complete) incomplete=$(field incomplete)" \
     "gemini_429=$(field gemini_429) calls=$(field gemini_calls) chunks=$(field chunks) wall_s=$(field wall_s)" \
     "bound_s=$bound_s max_checkpoint_s=$max_cp_s failed_checkpoints=$failed_cp"
rm -rf "$work"
