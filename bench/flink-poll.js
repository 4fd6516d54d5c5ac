// Polls a Flink REST API every second while a bench runs: node bench/flink-poll.js PORT FILE.
// FILE (JSON): {jobs: {id: state}, restarts: largest numRestarts seen, checkpoints: {completed, failed}}.
// A restart is also visible as a job state other than RUNNING/FINISHED/CANCELED between polls.
'use strict';
const http = require('http');
const fs = require('fs');
const [port, file] = process.argv.slice(2);
const seen = {jobs: {}, states: {}, restarts: 0, checkpoints: {completed: 0, failed: 0}};
const get = (path) => new Promise((resolve) => {
  http.get({host: '127.0.0.1', port, path, timeout: 5000}, (res) => {
    let body = '';
    res.on('data', (c) => body += c);
    res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { resolve(null); } });
  }).on('error', () => resolve(null)).on('timeout', function () { this.destroy(); });
});
setInterval(async () => {
  const overview = await get('/jobs/overview');
  for (const job of (overview && overview.jobs) || []) {
    seen.jobs[job.jid] = job.state;
    seen.states[job.state] = (seen.states[job.state] || 0) + 1;
    const metrics = await get('/jobs/' + job.jid + '/metrics?get=numRestarts');
    for (const m of metrics || []) {
      if (m.id === 'numRestarts') seen.restarts = Math.max(seen.restarts, Number(m.value));
    }
    const cp = await get('/jobs/' + job.jid + '/checkpoints');
    if (cp && cp.counts) {
      seen.checkpoints.completed = Math.max(seen.checkpoints.completed, cp.counts.completed);
      seen.checkpoints.failed = Math.max(seen.checkpoints.failed, cp.counts.failed);
    }
  }
  fs.writeFileSync(file, JSON.stringify(seen));
}, 1000);
