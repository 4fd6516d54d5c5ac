#!/usr/bin/env bash
# Reliability: DynamoDB frozen mid-run. The whole local pipeline (bin/run-local, embedded emulator
# enforcing the same quota as the limiter) translates a few generated documents with the quota
# binding; once BENCH_FREEZE_AFTER_CALLS calls have reached the emulator, dynalite (the quota and
# cache tables) is stopped with SIGSTOP for BENCH_FREEZE_S seconds, then continued with SIGCONT.
# Claims checked: 0 x 429 at the emulator, every document completes, the busiest 60 s window at the
# emulator stays within the RPM, no job restart. Measured from the job's log (the limiter's WARN
# lines): when the limiter entered fallback after the freeze, and how long after SIGCONT it left it
# ("back to the global quota"). The last line is:
#   RESULT documents= complete= gemini_429= calls= chunks= busiest_window= rpm= restarts=
#          slowest_checkpoint_s= frozen_s=
#          fallback_entered_after_freeze_s= fallback_left_after_cont_s= attempt_timeout= wall_s=
# (-1: the event was not seen). Exit 1 if a claim fails.
# Knobs (environment): BENCH_DOCS (3), BENCH_CHUNKS (12), BENCH_RPM (20), BENCH_LATENCY_MS (1000),
# BENCH_FREEZE_S (60), BENCH_FREEZE_AFTER_CALLS (5), BENCH_PARALLELISM (2),
# BENCH_CAPACITY (2: 4 calls in flight at 1 s each spread the first burst over ~5 s, so the fault
# starts while the limiter is still granting it), BENCH_ATTEMPT_TIMEOUT (2s:
# dynamodb.attempt-timeout as on AWS; the local run's default, 30s, outlasts most of a 60 s freeze,
# so the limiter's writes just wait and fallback is barely exercised).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
docs_n="${BENCH_DOCS:-3}"
chunks="${BENCH_CHUNKS:-12}"
rpm="${BENCH_RPM:-20}"
latency_ms="${BENCH_LATENCY_MS:-1000}"
freeze_s="${BENCH_FREEZE_S:-60}"
freeze_after="${BENCH_FREEZE_AFTER_CALLS:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-ddb-freeze-XXXXXX")"
echo "bench: working in $work; load at start $(load_1m)" >&2

write_documents "$work/docs" "$docs_n" "$chunks"
port="$(free_port)"
dynalite_pid=""
poll_pid=""
cleanup() {
  # Never leave dynalite stopped, nor anything running.
  [[ -n "$dynalite_pid" ]] && kill -CONT "$dynalite_pid" 2>/dev/null || true
  [[ -n "$poll_pid" ]] && kill "$poll_pid" 2>/dev/null || true
  stop_run
}
trap cleanup EXIT

run_local_bg "$work" --docs "$work/docs" --out "$work/out" --exit-when-done --max-wait 8m \
  --chunk-tokens 3500 --rpm "$rpm" --tpm 4000000 --rpd 100000 --parallelism "${BENCH_PARALLELISM:-2}" \
  --capacity "${BENCH_CAPACITY:-2}" \
  --set emulator.latency="${latency_ms}ms" --set emulator.jitter=0ms --set emulator.per-output-token-ms=0 \
  --set flink.rest.bind-port="$port" --set dynamodb.attempt-timeout="${BENCH_ATTEMPT_TIMEOUT:-2s}"

line="$(await_line "$work/run.log" 'dynalite@.* started \(pid [0-9]+\)' 300 "$RUN_PID")" \
  || { echo "bench: dynalite did not start; log: $work/run.log" >&2; exit 1; }
dynalite_pid="$(sed -n 's/.*started (pid \([0-9]*\)).*/\1/p' <<< "$line")"
emulator="$(await_line "$work/run.log" 'Gemini emulator listening on' 120 "$RUN_PID" \
  | sed -n 's/.*listening on \(http[^ ]*\).*/\1/p')"
await_line "$work/run.log" '^run-local: Flink dashboard on' 180 "$RUN_PID" > /dev/null \
  || { echo "bench: the job did not start; log: $work/run.log" >&2; exit 1; }
flink_poller "$port" "$work/flink.json"
poll_pid=$!
echo "bench: dynalite pid $dynalite_pid, emulator $emulator, dashboard port $port" >&2

while (( $(emulator_requests "$emulator") < freeze_after )); do
  kill -0 "$RUN_PID" 2>/dev/null || { echo "bench: the run ended before the freeze" >&2; exit 1; }
  sleep 0.2
done
stop_ms="$(date +%s%3N)"
kill -STOP "$dynalite_pid"
echo "bench: dynalite frozen (SIGSTOP) after $(emulator_requests "$emulator") calls; load $(load_1m)" >&2
sleep "$freeze_s"
kill -CONT "$dynalite_pid"
cont_ms="$(date +%s%3N)"
echo "bench: dynalite continued (SIGCONT) after $(( (cont_ms - stop_ms) / 1000 )) s; load $(load_1m)" >&2

await_run "$work"
kill "$poll_pid" 2>/dev/null || true
[[ "$RUN_RESULT" == RESULT* ]] || { echo "bench: the run printed no RESULT (exit $RUN_STATUS); log: $work/run.log" >&2; exit 1; }

# The limiter's own WARN lines: entering fallback, leaving it. Only those after the freeze count.
entered_s="$(log_seconds_after "$work/run.log" '^[0-9:.]+ WARN .*the shared store failed .*keeping to 1/' "$stop_ms")"
left_s="$(log_seconds_after "$work/run.log" '^[0-9:.]+ WARN .*back to the global quota' "$cont_ms")"
echo "bench: the limiter's fallback lines:" >&2
grep -E 'WARN .*(shared store|granting nothing)' "$work/run.log" | cut -c1-220 >&2 || true
echo "bench: cache and other DynamoDB warnings: $(grep -c -E 'WARN .*(cache|Cache)' "$work/run.log" || true)" >&2

read_run_outcome "$work"
echo "RESULT documents=$documents complete=$complete gemini_429=$g429 calls=$(result_field "$RUN_RESULT" gemini_calls)" \
     "chunks=$(result_field "$RUN_RESULT" chunks) busiest_window=$busiest rpm=$rpm restarts=$restarts slowest_checkpoint_s=${slowest%% *}" \
     "frozen_s=$(( (cont_ms - stop_ms) / 1000 )) fallback_entered_after_freeze_s=$entered_s" \
     "fallback_left_after_cont_s=$left_s attempt_timeout=${BENCH_ATTEMPT_TIMEOUT:-2s} wall_s=$(result_field "$RUN_RESULT" wall_s)"
if [[ "$complete" != "$documents" || "$g429" != 0 || "$restarts" != 0 || "$busiest" -gt "$rpm" ]]; then
  echo "bench: a claim failed; the run's log: $work/run.log" >&2
  exit 1
fi
rm -rf "$work"
