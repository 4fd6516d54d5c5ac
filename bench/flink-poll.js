// Polls a Flink REST API every second while a bench runs: node bench/flink-poll.js PORT FILE.
// FILE (JSON): {jobs: {id: state}, restarts: largest numRestarts seen, lastSeenMs: when a poll last
// read a job's numRestarts (a stale value means the poller lost sight of the job), checkpoints:
// {completed, failed}, slowestCheckpoint: {id, ms, tasks: {vertex name: its end-to-end ms}}}.
'use strict';
const http = require('http');
const fs = require('fs');
const [port, file] = process.argv.slice(2);
const seen = {jobs: {}, restarts: 0, lastSeenMs: 0, checkpoints: {completed: 0, failed: 0}, slowestCheckpoint: null};
const names = {};
// An error answer ({"errors": [...]}, while a job restarts or ends) must not end the poller.
const list = (x) => (Array.isArray(x) ? x : []);
const get = (path) => new Promise((resolve) => {
  http.get({host: '127.0.0.1', port, path, timeout: 5000}, (res) => {
    let body = '';
    res.on('data', (c) => body += c);
    res.on('end', () => { try { resolve(res.statusCode === 200 ? JSON.parse(body) : null); } catch (e) { resolve(null); } });
  }).on('error', () => resolve(null)).on('timeout', function () { this.destroy(); });
});
async function slowest(jid, history) {
  for (const h of list(history)) {
    if (h.status !== 'COMPLETED' || (seen.slowestCheckpoint && seen.slowestCheckpoint.ms >= h.end_to_end_duration)) continue;
    if (!names[jid]) {
      const info = await get('/jobs/' + jid);
      names[jid] = Object.fromEntries(list(info && info.vertices).map((v) => [v.id, v.name]));
    }
    const details = await get(`/jobs/${jid}/checkpoints/details/${h.id}`);
    const tasks = {};
    for (const [id, t] of Object.entries((details && details.tasks) || {})) {
      tasks[names[jid][id] || id] = t.end_to_end_duration;
    }
    seen.slowestCheckpoint = {id: h.id, ms: h.end_to_end_duration, tasks};
  }
}
let busy = false;
async function poll() {
  const overview = await get('/jobs/overview');
  for (const job of list(overview && overview.jobs)) {
    seen.jobs[job.jid] = job.state;
    for (const m of list(await get('/jobs/' + job.jid + '/metrics?get=numRestarts'))) {
      if (m.id === 'numRestarts') {
        seen.restarts = Math.max(seen.restarts, Number(m.value));
        seen.lastSeenMs = Date.now();
      }
    }
    const cp = await get('/jobs/' + job.jid + '/checkpoints');
    if (cp && cp.counts) {
      seen.checkpoints.completed = Math.max(seen.checkpoints.completed, cp.counts.completed);
      seen.checkpoints.failed = Math.max(seen.checkpoints.failed, cp.counts.failed);
      await slowest(job.jid, cp.history);
    }
  }
  fs.writeFileSync(file, JSON.stringify(seen));
}
setInterval(() => {
  if (busy) return;
  busy = true;
  poll().catch((e) => { seen.pollErrors = (seen.pollErrors || 0) + 1; seen.lastError = String(e); })
    .finally(() => { busy = false; });
}, 1000);
