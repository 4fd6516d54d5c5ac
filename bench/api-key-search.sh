#!/usr/bin/env bash
# The Gemini API key never reaches a log, an output, a checkpoint or a REST answer. The job runs
# locally (bin/run-local --gemini-base-url) with a recognizable fake key against a standalone
# emulator that accepts only that key, so every translated chunk proves the key was used. Key
# source (BENCH_KEY_SOURCE): env (default, gemini.api-key-source=env:GEMINI_API_KEY, as deployed
# with a secret in the environment) or literal (gemini.api-key-source=literal:KEY, what the local
# run uses with its embedded emulator: the key is then in the job's own arguments).
# Once every document has its outcome, while the job still runs: a savepoint is taken (REST), the
# dashboard's REST answers are saved (bench/rest-dump.js: /jobmanager/config, /jobs/<id>/config,
# /jobs/<id>/exceptions, every vertex's metrics, /taskmanagers/*/logs/* ...), and the search runs
# over the working directory: the run's log and summary, the emulator's log, the output (documents,
# status and dead-letter records, partial documents), the checkpoint directory, the savepoint,
# Flink's temporary directories (RocksDB's working files, blobs) and the REST answers; plus the
# stand-ins' logs. The job is then stopped and the search repeated (logs complete, files closed).
# The search is binary-safe (grep -a) and looks for the key and its base64 forms.
# Self-check first: the key planted inside binary bytes in a file of the searched set must be found,
# else the search cannot fail and the script exits 1. The last line is:
#   RESULT api_key_hits= files_searched_running= files_searched_stopped= bytes_searched_stopped=
#          rest_answers= checkpoint_files= savepoint_files= selfcheck_hits= key_source= documents= complete=
# (the job's temporary files, RocksDB's among them, exist only while it runs: searched then).
# Exit 1 if the key is found anywhere (the files are listed) or the self-check fails.
# Knobs (environment): BENCH_KEY_SOURCE (env), BENCH_DOCS (2), BENCH_CHUNKS (4), BENCH_RPM (60),
# BENCH_KEEP (set: keep the working directory).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/bench/lib.sh"
key_source="${BENCH_KEY_SOURCE:-env}"
[[ "$key_source" == env || "$key_source" == literal ]] || { echo "bench: BENCH_KEY_SOURCE is env or literal" >&2; exit 2; }
key="AIzaSyBENCHfakeKEY$(node -e 'console.log(require("crypto").randomBytes(10).toString("hex"))')"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-api-key-XXXXXX")"
echo "bench: working in $work; load at start $(load_1m)" >&2
b64() { printf '%s' "$1" | base64 -w0 | tr -d '='; }
# The key, and its base64 forms at the three byte alignments (a key inside a base64-encoded blob),
# padding stripped; the first and last characters of an unaligned form depend on the neighbours.
patterns=("$key" "$(b64 "$key")" "$(b64 "x$key" | cut -c3- | rev | cut -c3- | rev)"
          "$(b64 "xy$key" | cut -c4- | rev | cut -c3- | rev)")

mkdir -p "$work/docs" "$work/logs" "$work/checkpoints" "$work/savepoints" "$work/flink-tmp" "$work/rest"
for d in $(seq 1 "${BENCH_DOCS:-2}"); do
  generate "${BENCH_CHUNKS:-4}" "$d" > "$work/docs/doc-$d.txt"
done
rpm="${BENCH_RPM:-60}"
port="$(free_port)"
emulator_port="$(free_port)"
"$root/bin/gemini-emulator" --port "$emulator_port" --api-key "$key" --rpm "$rpm" --tpm 4000000 --rpd 100000 \
  --latency 1000ms > "$work/logs/emulator.out" 2> "$work/logs/emulator.log" &
emulator_pid=$!
cleanup() {
  stop_run
  kill "$emulator_pid" 2>/dev/null || true
  wait "$emulator_pid" 2>/dev/null || true
}
trap cleanup EXIT
await_line "$work/logs/emulator.out" 'listening on' 300 "$emulator_pid" > /dev/null \
  || { echo "bench: the emulator did not start; $work/logs/emulator.log" >&2; exit 1; }

source_args=()
[[ "$key_source" == literal ]] && source_args=(--set "gemini.api-key-source=literal:$key")
GEMINI_API_KEY="$key" run_local_bg "$work/logs" --docs "$work/docs" --out "$work/out" --max-wait 5m \
  --gemini-base-url "http://127.0.0.1:$emulator_port" --chunk-tokens 3500 --rpm "$rpm" --tpm 4000000 --rpd 100000 \
  --set flink.rest.bind-port="$port" --set job.checkpoint-dir="file://$work/checkpoints" \
  --set flink.io.tmp.dirs="$work/flink-tmp" --set flink.state.checkpoints.num-retained=3 ${source_args[@]+"${source_args[@]}"}
jid="$(await_line "$work/logs/run.log" '^run-local: Flink dashboard on' 300 "$RUN_PID" | sed -n 's/.*(job \([0-9a-f]*\)).*/\1/p')" \
  || { echo "bench: the job did not start; log: $work/logs/run.log" >&2; exit 1; }
# Without --exit-when-done the run prints its RESULT line and keeps the job (and dashboard) up.
await_line "$work/logs/run.out" '^RESULT ' 360 "$RUN_PID" > /dev/null \
  || { echo "bench: no outcome for every document; log: $work/logs/run.log" >&2; exit 1; }
run_result="$(grep '^RESULT ' "$work/logs/run.out" | tail -n 1)"
echo "bench: $run_result" >&2

trigger="$(curl -sf --max-time 30 -X POST -H 'content-type: application/json' \
  -d "{\"target-directory\": \"file://$work/savepoints\", \"cancel-job\": false}" \
  "http://127.0.0.1:$port/jobs/$jid/savepoints" | sed -n 's/.*"request-id":"\([^"]*\)".*/\1/p')"
for _ in $(seq 1 120); do
  state="$(curl -sf --max-time 10 "http://127.0.0.1:$port/jobs/$jid/savepoints/$trigger" || true)"
  grep -q '"COMPLETED"' <<< "$state" && break
  sleep 0.5
done
echo "bench: savepoint: $(sed -n 's/.*"location":"\([^"]*\)".*/\1/p' <<< "$state")$(grep -o '"failure-cause"' <<< "$state" || true)" >&2
read -r rest_ok rest_total < <(node "$root/bench/rest-dump.js" "$port" "$jid" "$work/rest")
echo "bench: $rest_ok of $rest_total REST answers were 200; the others:" \
  "$(head -q -n 1 "$work"/rest/*.txt | grep -v ' -> 200$' | sed 's/^GET //' | paste -sd' ' -)" >&2
echo "bench: Flink's temporary directories hold $(find "$work/flink-tmp" -type f | wc -l) files while the job runs" >&2

standin_logs() {
  sed -n 's/.* started (pid [0-9]*), log \(.*\)$/\1/p' "$work/logs/run.log"
}
# Prints one line per file holding a pattern (path: count); returns the number of hits in total.
search() {
  local -a where=("$work")
  while IFS= read -r f; do [[ -f "$f" ]] && where+=("$f"); done < <(standin_logs)
  local args=() p
  for p in "${patterns[@]}"; do args+=(-e "$p"); done
  grep -r -a -s -o -F "${args[@]}" -- "${where[@]}" | sed 's/:.*//' | sort | uniq -c || true
}
count_hits() { awk '{ n += $1 } END { print n + 0 }'; }

# Self-check: the same search must find a key planted between binary bytes in the searched set.
printf '\x00\x01binary\xff%s\x00\xfe' "$key" > "$work/flink-tmp/planted-selfcheck.bin"
selfcheck_hits="$(search | grep -F 'planted-selfcheck.bin' | count_hits)"
rm -f "$work/flink-tmp/planted-selfcheck.bin"
echo "bench: self-check: the planted key was found $selfcheck_hits time(s)" >&2

search > "$work/hits-running.txt"
files_running="$(find "$work" -type f | wc -l)"
checkpoint_files="$(find "$work/checkpoints" -type f | wc -l)"
savepoint_files="$(find "$work/savepoints" -type f | wc -l)"
stop_run
search > "$work/hits-stopped.txt"
files="$( (find "$work" -type f; standin_logs) | sort -u | wc -l)"
standins="$(standin_logs | wc -l)"
bytes="$( (find "$work" -type f -print0 | xargs -0 cat; standin_logs | xargs -r cat) 2>/dev/null | wc -c)"
hits="$(cat "$work/hits-running.txt" "$work/hits-stopped.txt" | count_hits)"
if [[ "$hits" != 0 ]]; then
  echo "bench: THE KEY WAS FOUND (count, file; first while the job ran, then after it stopped):" >&2
  cat "$work/hits-running.txt" "$work/hits-stopped.txt" >&2
fi
echo "bench: searched $files files ($bytes bytes) for ${#patterns[@]} patterns; load at the end $(load_1m)" >&2
echo "RESULT api_key_hits=$hits files_searched_running=$((files_running + standins)) files_searched_stopped=$files" \
     "bytes_searched_stopped=$bytes rest_answers=$rest_ok" \
     "checkpoint_files=$checkpoint_files savepoint_files=$savepoint_files selfcheck_hits=$selfcheck_hits" \
     "key_source=$key_source documents=$(result_field "$run_result" documents) complete=$(result_field "$run_result" complete)"
if [[ "$selfcheck_hits" -lt 1 ]]; then
  echo "bench: the self-check failed: the search does not find a planted key" >&2
  exit 1
fi
if [[ "$hits" != 0 ]]; then
  echo "bench: kept $work for inspection" >&2
  exit 1
fi
[[ -n "${BENCH_KEEP:-}" ]] && { echo "bench: kept $work (BENCH_KEEP)" >&2; exit 0; }
rm -rf "$work"
