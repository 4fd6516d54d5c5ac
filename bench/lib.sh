# Shared by the benchmarks (sourced, not run).

# A generated document of exactly N chunks at the submit tool's default 3,500 tokens per chunk:
# paragraphs of 1,800-1,880 characters (~460 estimated tokens), 7 per chunk: 7 of them fit the
# budget, 8 (14,400 characters, 3,600 tokens) would not. SEED varies the text between documents.
generate() {
  local chunks="$1" seed="${2:-42}"
  awk -v paragraphs="$((chunks * 7))" -v seed="$seed" 'BEGIN {
    split("river harbour lantern orchard engine meadow letter window market bridge winter signal " \
          "harvest compass garden thunder library village mirror ladder", nouns, " ");
    split("carries follows remembers answers gathers crosses measures repairs watches opens", verbs, " ");
    split("quiet distant careful patient narrow golden heavy early simple silver", adjs, " ");
    srand(seed);
    for (p = 1; p <= paragraphs; p++) {
      text = "";
      while (length(text) < 1800) {
        s = "The " adjs[int(rand() * 10) + 1] " " nouns[int(rand() * 20) + 1] " " verbs[int(rand() * 10) + 1] \
            " the " nouns[int(rand() * 20) + 1] " before the " adjs[int(rand() * 10) + 1] " " nouns[int(rand() * 20) + 1] ".";
        text = text (text == "" ? "" : " ") s;
      }
      printf "%s\n\n", text;
    }
  }'
}

# A free TCP port on 127.0.0.1 (node is one of the three things a fresh clone needs).
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# --- Shared by the reliability scripts (bench/reliability-*.sh, bench/api-key-search.sh) ---

# The first field after `load average:`: the machine's 1-minute load, printed next to every number.
load_1m() {
  uptime | sed 's/.*load average: *//; s/,.*//'
}

# The value of KEY in a `RESULT k=v ...` line.
result_field() {
  sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"
}

# Waits until FILE has a line matching the extended regex PATTERN; prints the first such line.
# Fails after TIMEOUT_S seconds or when PID (the run) has ended.
await_line() {
  local file="$1" pattern="$2" timeout_s="$3" pid="$4" deadline=$((SECONDS + $3)) line
  while ((SECONDS < deadline)); do
    line="$(grep -E -m1 -- "$pattern" "$file" 2>/dev/null || true)"
    if [[ -n "$line" ]]; then
      printf '%s\n' "$line"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# Epoch milliseconds of a job log line (`HH:MM:SS.mmm LEVEL ...`, the local jar's log4j pattern,
# today's date in the machine's time zone).
log_line_ms() {
  date -d "$(date +%F) ${1%% *}" +%s%3N
}

# Starts a poller of the Flink REST API on PORT (background; `kill` its pid when done): every
# second it writes FILE with, over every job seen, the largest numRestarts, the job ids and their
# states, and the failed and completed checkpoint counts.
flink_poller() {
  node "$(dirname "${BASH_SOURCE[0]}")/flink-poll.js" "$1" "$2" &
}

# The number of Gemini calls the emulator at BASE_URL has seen (its stats endpoint), 0 if it does not answer.
emulator_requests() {
  curl -s --max-time 5 "$1/emulator/stats" | node -e '
    let s = ""; process.stdin.on("data", (c) => s += c).on("end", () => {
      try { console.log(JSON.parse(s).requests || 0); } catch (e) { console.log(0); } });'
}

# Starts bin/run-local in the background with stdout in WORK/run.out and stderr (the job's log)
# in WORK/run.log; sets RUN_PID (the JVM: run-local execs java, whose shutdown hook stops the
# stand-ins and the emulator it started).
run_local_bg() {
  local work="$1"
  shift
  "$(dirname "${BASH_SOURCE[0]}")/../bin/run-local" "$@" > "$work/run.out" 2> "$work/run.log" &
  RUN_PID=$!
}

# Waits for the run started by run_local_bg; sets RUN_STATUS (its exit status) and RUN_RESULT (its
# RESULT line, empty if it printed none); copies its summary to stderr.
await_run() {
  local work="$1"
  RUN_STATUS=0
  wait "$RUN_PID" || RUN_STATUS=$?
  RUN_RESULT="$(grep '^RESULT ' "$work/run.out" | tail -n 1 || true)"
  cat "$work/run.out" >&2
  grep -h '^run-local: \(emulator\|checkpoints\|the Flink job\|gave up\)' "$work/run.log" >&2 || true
}

# The busiest 60 s window the embedded emulator saw, from run-local's summary ("" if none).
busiest_window() {
  sed -n 's/^run-local: emulator: .*busiest 60 s window \([0-9]*\) requests.*/\1/p' "$1/run.log" | tail -n 1
}

# Stops what a reliability script started, if still running (its trap calls this).
stop_run() {
  if [[ -n "${RUN_PID:-}" ]] && kill -0 "$RUN_PID" 2>/dev/null; then
    kill -TERM "$RUN_PID" 2>/dev/null || true
    wait "$RUN_PID" 2>/dev/null || true
  fi
}

# Seconds from FROM_MS (epoch ms) to the first line of the job log LOG matching the extended regex
# PATTERN logged at or after FROM_MS; -1 if there is none.
log_seconds_after() {
  local log="$1" pattern="$2" from_ms="$3" l ms
  while IFS= read -r l; do
    ms="$(log_line_ms "$l")"
    if ((ms >= from_ms)); then
      awk -v a="$ms" -v b="$from_ms" 'BEGIN { printf "%.1f\n", (a - b) / 1000 }'
      return 0
    fi
  done < <(grep -E -- "$pattern" "$log" || true)
  echo -1
}

# The largest numRestarts a flink_poller saw in FILE; -1 if it saw no job, or if it last read the
# job more than 5 s before the run printed its summary (RUN_OUT's last write, the job still
# running then): a restart could have gone unseen.
poller_restarts() {
  node -e 'try {
      const s = JSON.parse(require("fs").readFileSync(process.argv[1]));
      const summaryMs = require("fs").statSync(process.argv[2]).mtimeMs;
      console.log(s.lastSeenMs < summaryMs - 5000 ? -1 : s.restarts);
    } catch (e) { console.log(-1); }' "$1" "$2"
}

# The slowest completed checkpoint a flink_poller saw in FILE, as one line: seconds, id, and each
# vertex's end-to-end seconds (which task it waited for).
poller_slowest_checkpoint() {
  node -e 'try {
      const c = JSON.parse(require("fs").readFileSync(process.argv[1])).slowestCheckpoint;
      console.log(c ? `${(c.ms / 1000).toFixed(1)} s (checkpoint ${c.id}; ` + Object.entries(c.tasks)
        .map(([n, ms]) => `${n.slice(0, 40)}: ${(ms / 1000).toFixed(1)} s`).join(", ") + ")" : "-1");
    } catch (e) { console.log("-1"); }' "$1"
}

# Writes N generated documents of CHUNKS chunks each as DIR/doc-<i>.txt.
write_documents() {
  local dir="$1" n="$2" chunks="$3" d
  mkdir -p "$dir"
  for d in $(seq 1 "$n"); do
    generate "$chunks" "$d" > "$dir/doc-$d.txt"
  done
}

# What every reliability script reads after the run: restarts and the slowest checkpoint from the
# REST poller's file, the busiest 60 s window at the emulator, and run-local's outcome fields.
# Sets restarts, slowest, busiest, documents, complete, g429.
read_run_outcome() {
  local work="$1"
  restarts="$(poller_restarts "$work/flink.json" "$work/run.out")"
  slowest="$(poller_slowest_checkpoint "$work/flink.json")"
  echo "bench: slowest checkpoint: $slowest" >&2
  busiest="$(busiest_window "$work")"
  documents="$(result_field "$RUN_RESULT" documents)"
  complete="$(result_field "$RUN_RESULT" complete)"
  g429="$(result_field "$RUN_RESULT" gemini_429)"
  echo "bench: load at the end $(load_1m)" >&2
}
