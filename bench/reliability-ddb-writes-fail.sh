#!/usr/bin/env bash
# Reliability: DynamoDB answers reads but refuses writes. The job's DynamoDB endpoint
# (dynamodb.endpoint, for the quota and the cache tables) points at bench/ddb-fault-proxy.js, a
# proxy on 127.0.0.1 in front of the run's dynalite. The whole local pipeline (bin/run-local,
# embedded emulator enforcing the same quota as the limiter) translates a few generated documents
# with the quota binding; once BENCH_FAULT_AFTER_CALLS calls have reached the emulator, the proxy
# answers every write (UpdateItem, PutItem, DeleteItem, BatchWriteItem, TransactWriteItems) with a
# 400 (BENCH_WRITE_FAULT: deny = AccessDeniedException, a role without the write permission;
# throttle = ThrottlingException) for BENCH_FAULT_S seconds, reads (GetItem, Query) still answered.
# Claims checked: 0 x 429 at the emulator, every document completes, the busiest 60 s window stays
# within the RPM (a fresh share at every probe would overspend it), no job restart. The last line:
#   RESULT documents= complete= gemini_429= calls= chunks= busiest_window= rpm= restarts=
#          slowest_checkpoint_s= fault=
#          fault_s= writes_refused= reads_during_fault= fallback_entered_after_fault_s=
#          fallback_left_after_fault_s= wall_s=
# (-1: the event was not seen). Exit 1 if a claim fails.
# Knobs (environment): BENCH_DOCS (3), BENCH_CHUNKS (12), BENCH_RPM (20), BENCH_LATENCY_MS (1000),
# BENCH_FAULT_S (60), BENCH_FAULT_AFTER_CALLS (5), BENCH_WRITE_FAULT (deny), BENCH_PARALLELISM (2),
# BENCH_CAPACITY (2: 4 calls in flight at 1 s each spread the first burst over ~5 s, so the fault
# starts while the limiter is still granting it).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
docs_n="${BENCH_DOCS:-3}"
chunks="${BENCH_CHUNKS:-12}"
rpm="${BENCH_RPM:-20}"
latency_ms="${BENCH_LATENCY_MS:-1000}"
fault_s="${BENCH_FAULT_S:-60}"
fault_after="${BENCH_FAULT_AFTER_CALLS:-5}"
fault="${BENCH_WRITE_FAULT:-deny}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-ddb-writes-fail-XXXXXX")"
echo "bench: working in $work; load at start $(load_1m)" >&2

write_documents "$work/docs" "$docs_n" "$chunks"
port="$(free_port)"
poll_pid=""
node "$root/bench/ddb-fault-proxy.js" "$work/proxy.port" > "$work/proxy.log" 2>&1 &
proxy_pid=$!
cleanup() {
  [[ -n "$poll_pid" ]] && kill "$poll_pid" 2>/dev/null || true
  stop_run
  kill "$proxy_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do [[ -s "$work/proxy.port" ]] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$work/proxy.port")"
control() { curl -sf --max-time 5 "$proxy/_control/$1"; }

run_local_bg "$work" --docs "$work/docs" --out "$work/out" --exit-when-done --max-wait 8m \
  --chunk-tokens 3500 --rpm "$rpm" --tpm 4000000 --rpd 100000 --parallelism "${BENCH_PARALLELISM:-2}" \
  --capacity "${BENCH_CAPACITY:-2}" \
  --set emulator.latency="${latency_ms}ms" --set emulator.jitter=0ms --set emulator.per-output-token-ms=0 \
  --set flink.rest.bind-port="$port" --set dynamodb.endpoint="$proxy"

line="$(await_line "$work/run.log" 'dynalite@.* started' 300 "$RUN_PID")" \
  || { echo "bench: dynalite did not start; log: $work/run.log" >&2; exit 1; }
control "upstream?port=$(sed -n 's/.*dynalite@http:\/\/127.0.0.1:\([0-9]*\) .*/\1/p' <<< "$line")" > /dev/null
emulator="$(await_line "$work/run.log" 'Gemini emulator listening on' 120 "$RUN_PID" \
  | sed -n 's/.*listening on \(http[^ ]*\).*/\1/p')"
await_line "$work/run.log" '^run-local: Flink dashboard on' 180 "$RUN_PID" > /dev/null \
  || { echo "bench: the job did not start; log: $work/run.log" >&2; exit 1; }
flink_poller "$port" "$work/flink.json"
poll_pid=$!
echo "bench: proxy $proxy -> $(control stats | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>console.log("127.0.0.1:"+JSON.parse(s).upstreamPort))'), emulator $emulator, dashboard port $port" >&2

while (( $(emulator_requests "$emulator") < fault_after )); do
  kill -0 "$RUN_PID" 2>/dev/null || { echo "bench: the run ended before the fault" >&2; exit 1; }
  sleep 0.2
done
before="$(control stats)"
control "writes?mode=$fault" > /dev/null
fault_ms="$(date +%s%3N)"
echo "bench: writes refused ($fault) after $(emulator_requests "$emulator") calls; load $(load_1m)" >&2
sleep "$fault_s"
during="$(control "writes?mode=ok")"
ok_ms="$(date +%s%3N)"
echo "bench: writes answered again after $(( (ok_ms - fault_ms) / 1000 )) s; load $(load_1m)" >&2

await_run "$work"
kill "$poll_pid" 2>/dev/null || true
[[ "$RUN_RESULT" == RESULT* ]] || { echo "bench: the run printed no RESULT (exit $RUN_STATUS); log: $work/run.log" >&2; exit 1; }
echo "bench: proxy counts: $(control stats)" >&2
refused="$(node -e 'const s = JSON.parse(process.argv[1]); console.log(Object.values(s.refused).reduce((a, b) => a + b, 0))' "$during")"
reads="$(node -e 'const [b, d] = process.argv.slice(1).map(JSON.parse); const n = (s) => (s.forwarded.GetItem || 0) + (s.forwarded.Query || 0) + (s.forwarded.BatchGetItem || 0); console.log(n(d) - n(b))' "$before" "$during")"

entered_s="$(log_seconds_after "$work/run.log" '^[0-9:.]+ WARN .*the shared store (failed .*keeping to 1/|throttles)' "$fault_ms")"
left_s="$(log_seconds_after "$work/run.log" '^[0-9:.]+ WARN .*back to the global quota' "$ok_ms")"
echo "bench: the limiter's lines:" >&2
grep -E 'WARN .*(shared store|granting nothing)' "$work/run.log" | cut -c1-220 | uniq -c >&2 || true
echo "bench: cache warnings: $(grep -c -E 'WARN .*(cache|Cache)' "$work/run.log" || true)" >&2

read_run_outcome "$work"
echo "RESULT documents=$documents complete=$complete gemini_429=$g429 calls=$(result_field "$RUN_RESULT" gemini_calls)" \
     "chunks=$(result_field "$RUN_RESULT" chunks) busiest_window=$busiest rpm=$rpm restarts=$restarts slowest_checkpoint_s=${slowest%% *} fault=$fault" \
     "fault_s=$(( (ok_ms - fault_ms) / 1000 )) writes_refused=$refused reads_during_fault=$reads" \
     "fallback_entered_after_fault_s=$entered_s fallback_left_after_fault_s=$left_s" \
     "wall_s=$(result_field "$RUN_RESULT" wall_s)"
if [[ "$complete" != "$documents" || "$g429" != 0 || "$restarts" != 0 || "$busiest" -gt "$rpm" ]]; then
  echo "bench: a claim failed; the run's log: $work/run.log" >&2
  exit 1
fi
rm -rf "$work"
