// Prints, from a run's committed status records (<out>/_status, any depth), each document in the
// order its final record was written: its arrival rank (by its ACCEPTED record), its outcome, when
// it was done (seconds after the first chunk of the run was seen) and its own wait (first chunk seen
// to written). Usage: node bench/completion-order.js OUT/_status
const fs = require('fs'), path = require('path');
const lines = [];
(function walk(dir) {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    if (f.startsWith('.')) continue;
    if (fs.statSync(p).isDirectory()) walk(p);
    else lines.push(...fs.readFileSync(p, 'utf8').split('\n').filter((l) => l));
  }
})(process.argv[2]);
const records = lines.map((l) => JSON.parse(l));
const finals = records.filter((s) => ['COMPLETE', 'FAILED', 'INCOMPLETE'].includes(s.outcome));
const accepted = records.filter((s) => s.outcome === 'ACCEPTED').sort((a, b) => a.emittedAt - b.emittedAt);
const arrival = new Map(accepted.map((s, i) => [s.jobId, i + 1]));
finals.sort((a, b) => a.emittedAt - b.emittedAt);
const start = Math.min(...finals.map((s) => s.firstChunkSeenAt));
console.log('bench: completion order (rank, arrival rank, source, outcome, done s after the first chunk, own wait s):');
let inversions = 0;
finals.forEach((s, i) => {
  const a = arrival.get(s.jobId) || 0;
  finals.slice(i + 1).forEach((t) => { if ((arrival.get(t.jobId) || 0) < a) inversions++; });
  console.log(`bench:   ${i + 1}. arrived ${a} ${s.source} ${s.outcome} ` +
    `${((s.emittedAt - start) / 1000).toFixed(1)} ${(s.durationMillis / 1000).toFixed(1)}`);
});
const mean = finals.reduce((sum, s) => sum + (s.emittedAt - start), 0) / finals.length / 1000;
console.log(`bench: mean completion ${mean.toFixed(1)} s after the first chunk; ` +
  `${inversions} pairs finished out of arrival order; waiting records: ` +
  `${records.filter((s) => s.outcome === 'WAITING_FOR_DAILY_QUOTA').length}, progress records: ` +
  `${records.filter((s) => s.outcome === 'PROGRESS').length}`);
