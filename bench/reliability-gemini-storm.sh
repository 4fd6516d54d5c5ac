#!/usr/bin/env bash
# Reliability: a Gemini storm plus a competing client. A standalone emulator (bin/gemini-emulator)
# answers with 5xx (503 and 500), timeouts (DELAY: held past the job's gemini.request-timeout),
# dropped connections (DROP: half a body, then the connection closes) and slow answers (SLOW: held
# BENCH_SLOW_MS, within the timeout) at the rates of BENCH_FAULTS, on top of a base latency with
# jitter. A competing client (bench/competing-client.js, its own API key) spends the same per-model
# quota with one request every BENCH_COMPETITOR_MS, which the job's limiter cannot see: its view of
# the quota is optimistic, so some of the job's calls may be answered 429, after which the job must
# pause (and tighten its limits) rather than insist. The job (bin/run-local --gemini-base-url, the
# limiter at the emulator's RPM) translates a few generated documents.
# Claims checked: every document has an outcome (COMPLETE, or FAILED/INCOMPLETE with its reasons
# printed), no job restart (Flink REST numRestarts). Counted from the emulator's request log (the
# job's prompts have target language "de", the competitor's "xx"): the job's calls, faults and
# 429s, its pauses (log lines "pausing the quota and retrying in N ms") and the 429s that arrived
# inside one (a grant sent despite a recorded pause), and the competitor's. The last line is:
#   RESULT documents= complete= not_complete= restarts= job_calls= job_429= job_pauses= job_429_during_pause=
#          job_5xx= job_drop= job_timeout= job_slow= competitor_calls= competitor_429=
#          busiest_admitted_window= rpm= wall_s=
# busiest_admitted_window: the most calls (job and competitor) the emulator admitted in any 60 s.
# Exit 1 if a document has no outcome or the job restarted.
# Knobs (environment): BENCH_DOCS (3), BENCH_CHUNKS (10), BENCH_RPM (20), BENCH_LATENCY_MS (1000),
# BENCH_JITTER_MS (500), BENCH_FAULTS (503=0.1,500=0.05,DROP=0.05,DELAY=0.04,SLOW=0.08),
# BENCH_SLOW_MS (8000), BENCH_TIMEOUT_S (15, the job's gemini.request-timeout; DELAY holds 40 s),
# BENCH_COMPETITOR_MS (5000), BENCH_SEED (11; seeded 7, java.util.Random drew no 5xx in the first 40
# requests), BENCH_PARALLELISM (2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
docs_n="${BENCH_DOCS:-3}"
chunks="${BENCH_CHUNKS:-10}"
rpm="${BENCH_RPM:-20}"
timeout_s="${BENCH_TIMEOUT_S:-15}"
faults="${BENCH_FAULTS:-503=0.1,500=0.05,DROP=0.05,DELAY=0.04,SLOW=0.08}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-gemini-storm-XXXXXX")"
echo "bench: working in $work; load at start $(load_1m)" >&2

write_documents "$work/docs" "$docs_n" "$chunks"
port="$(free_port)"
emulator_port="$(free_port)"
poll_pid=""
competitor_pid=""
"$root/bin/gemini-emulator" --port "$emulator_port" --rpm "$rpm" --tpm 4000000 --rpd 100000 \
  --latency "${BENCH_LATENCY_MS:-1000}ms" --jitter "${BENCH_JITTER_MS:-500}ms" --fault-rate "$faults" \
  --fault-delay "$(( timeout_s + 25 ))s" --fault-slow "${BENCH_SLOW_MS:-8000}ms" \
  --seed "${BENCH_SEED:-11}" --no-log-texts > "$work/emulator.out" 2> "$work/emulator.log" &
emulator_pid=$!
cleanup() {
  [[ -n "$competitor_pid" ]] && kill "$competitor_pid" 2>/dev/null || true
  [[ -n "$poll_pid" ]] && kill "$poll_pid" 2>/dev/null || true
  stop_run
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
}
trap cleanup EXIT
await_line "$work/emulator.out" 'listening on' 300 "$emulator_pid" > /dev/null \
  || { echo "bench: the emulator did not start; $work/emulator.log" >&2; exit 1; }
emulator="http://127.0.0.1:$emulator_port"
echo "bench: emulator $emulator, faults $faults, RPM $rpm; job dashboard port $port" >&2

GEMINI_API_KEY="bench-storm-job-key" run_local_bg "$work" --docs "$work/docs" --out "$work/out" \
  --exit-when-done --max-wait 8m --gemini-base-url "$emulator" --chunk-tokens 3500 --rpm "$rpm" --tpm 4000000 \
  --rpd 100000 --parallelism "${BENCH_PARALLELISM:-2}" --set gemini.request-timeout="${timeout_s}s" \
  --set flink.rest.bind-port="$port"
await_line "$work/run.log" '^run-local: Flink dashboard on' 300 "$RUN_PID" > /dev/null \
  || { echo "bench: the job did not start; log: $work/run.log" >&2; exit 1; }
flink_poller "$port" "$work/flink.json"
poll_pid=$!
# The competitor starts as soon as the job runs, a few seconds before the documents are put: the
# minute the job's first burst lands in already holds some of its calls, unseen by the limiter.
node "$root/bench/competing-client.js" "$emulator" "${BENCH_COMPETITOR_MS:-5000}" "$work/competitor.json" &
competitor_pid=$!
echo "bench: competing client started; load $(load_1m)" >&2

await_run "$work"
kill "$competitor_pid" 2>/dev/null || true
kill "$poll_pid" 2>/dev/null || true
[[ "$RUN_RESULT" == RESULT* ]] || { echo "bench: the run printed no RESULT (exit $RUN_STATUS); log: $work/run.log" >&2; exit 1; }
curl -s --max-time 10 "$emulator/emulator/stats" > "$work/emulator-stats.json"

# Documents that did not complete, with their reasons, from their final status records.
node - "$work/out/_status" <<'JS' >&2
const fs = require('fs'), path = require('path');
const finals = ['COMPLETE', 'FAILED', 'INCOMPLETE'];
const walk = (d) => fs.readdirSync(d, {withFileTypes: true}).flatMap((e) =>
  e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
for (const f of walk(process.argv[2]).filter((f) => !path.basename(f).startsWith('.'))) {
  for (const line of fs.readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
    const s = JSON.parse(line);
    if (!finals.includes(s.outcome)) continue;
    console.log(`bench: ${s.jobId} ${s.outcome}: ${s.geminiCalls} calls, ${s.retries} retries, ${s.count429} x 429`
      + (s.outcome === 'COMPLETE' ? '' : `, failed chunks ${JSON.stringify(s.failedChunks)}, missing `
         + `${JSON.stringify(s.missingIndices)}, reason ${s.reason}`));
  }
}
JS

# The job's pauses: each "pausing the quota and retrying in N ms" line opens one from its time for
# N ms. A 429 arriving inside one (1 s after its start, for calls already on the wire) was a grant
# sent despite a recorded pause.
pauses="$(grep -E '^[0-9:.]+ WARN .*refused for quota .*pausing the quota and retrying in [0-9]+ ms' "$work/run.log" \
  | while IFS= read -r l; do
      echo "$(log_line_ms "$l"):$(sed -n 's/.*retrying in \([0-9]*\) ms.*/\1/p' <<< "$l")"
    done | paste -sd, -)"
echo "bench: the job's 429 lines:" >&2
grep -E 'WARN .*(refused for quota|despite its grant)' "$work/run.log" | cut -c1-230 >&2 || true
counts="$(node - "$work/emulator-stats.json" "$work/competitor.json" "$pauses" <<'JS'
const fs = require('fs');
const [statsFile, competitorFile, pauseList] = process.argv.slice(2);
const pauses = (pauseList || '').split(',').filter(Boolean).map((p) => p.split(':').map(Number));
const inPause = (t) => pauses.some(([start, ms]) => t > start + 1000 && t < start + ms);
const stats = JSON.parse(fs.readFileSync(statsFile));
const competitor = JSON.parse(fs.readFileSync(competitorFile));
const job = stats.log.filter((e) => e.targetLanguage === 'de');
const other = stats.log.filter((e) => e.targetLanguage !== 'de');
const n = (list, f) => list.filter(f).length;
const first = Math.min(...stats.log.map((e) => e.timeMillis));
const job429 = job.filter((e) => e.status === 429);
for (const e of job429) {
  console.error(`bench: job 429 at +${((e.timeMillis - first) / 1000).toFixed(1)} s (${e.outcome})`);
}
console.error(`bench: emulator outcomes (job): ${JSON.stringify(job.reduce((m, e) => (m[e.outcome] = (m[e.outcome] || 0) + 1, m), {}))}`);
console.error(`bench: competitor: ${JSON.stringify(competitor)}; emulator outcomes (competitor): `
  + JSON.stringify(other.reduce((m, e) => (m[e.outcome] = (m[e.outcome] || 0) + 1, m), {})));
console.log([
  `job_calls=${job.length}`, `job_429=${job429.length}`,
  `job_pauses=${pauses.length}`, `job_429_during_pause=${n(job429, (e) => inPause(e.timeMillis))}`,
  `job_5xx=${n(job, (e) => e.status >= 500)}`, `job_drop=${n(job, (e) => e.outcome === 'DROP_CONNECTION')}`,
  `job_timeout=${n(job, (e) => e.outcome === 'DELAY')}`, `job_slow=${n(job, (e) => e.outcome === 'SLOW')}`,
  `competitor_calls=${other.length}`, `competitor_429=${n(other, (e) => e.status === 429)}`,
  `busiest_admitted_window=${stats.maxRequestsInAnyWindow.ADMITTED}`].join(' '));
JS
)"
restarts="$(poller_restarts "$work/flink.json" "$work/run.out")"
documents="$(result_field "$RUN_RESULT" documents)"
complete="$(result_field "$RUN_RESULT" complete)"
with_outcome="$(node -e '
  const fs = require("fs"), path = require("path");
  const walk = (d) => fs.readdirSync(d, {withFileTypes: true}).flatMap((e) => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);
  const ids = new Set();
  for (const f of walk(process.argv[1])) for (const l of fs.readFileSync(f, "utf8").split("\n").filter(Boolean)) {
    const s = JSON.parse(l); if (["COMPLETE", "FAILED", "INCOMPLETE"].includes(s.outcome)) ids.add(s.jobId); }
  console.log(ids.size);' "$work/out/_status")"
echo "bench: load at the end $(load_1m)" >&2
echo "RESULT documents=$documents complete=$complete not_complete=$((documents - complete)) restarts=$restarts" \
     "$counts rpm=$rpm wall_s=$(result_field "$RUN_RESULT" wall_s)"
if [[ "$with_outcome" != "$documents" || "$restarts" != 0 ]]; then
  echo "bench: a claim failed ($with_outcome of $documents documents have an outcome, $restarts restarts);" \
       "the run's log: $work/run.log" >&2
  exit 1
fi
rm -rf "$work"
