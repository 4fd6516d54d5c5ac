// Saves the answers of a Flink REST API (the dashboard's) for bench/api-key-search.sh: every
// cluster-, job-, vertex- and TaskManager-level GET the dashboard uses, including the config
// pages and the log files the TaskManagers serve. node bench/rest-dump.js PORT JOB_ID DIR
// Each answer goes to DIR/NNN.txt, its first line the path; prints how many answered 200.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const [port, jid, dir] = process.argv.slice(2);
fs.mkdirSync(dir, {recursive: true});
let saved = 0;
let ok = 0;
const get = (p) => new Promise((resolve) => {
  http.get({host: '127.0.0.1', port, path: p, timeout: 20000}, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      fs.writeFileSync(path.join(dir, String(++saved).padStart(3, '0') + '.txt'),
        Buffer.concat([Buffer.from(`GET ${p} -> ${res.statusCode}\n`), body]));
      if (res.statusCode === 200) ok++;
      let json = null;
      try { json = JSON.parse(body); } catch (e) { /* logs and thread dumps are text */ }
      resolve(json);
    });
  }).on('error', () => resolve(null)).on('timeout', function () { this.destroy(); });
});
const metricNames = (list) => (Array.isArray(list) ? list.map((m) => m.id).join(',') : '');
(async () => {
  for (const p of ['/config', '/overview', '/jobs', '/jobs/overview', '/jobmanager/config', '/jobmanager/environment',
                   '/jobmanager/logs', '/jobmanager/log', '/jobmanager/stdout', '/jobmanager/thread-dump']) {
    await get(p);
  }
  const jm = await get('/jobmanager/metrics');
  if (metricNames(jm)) await get('/jobmanager/metrics?get=' + metricNames(jm));
  const j = `/jobs/${jid}`;
  const job = await get(j);
  for (const p of ['/config', '/plan', '/exceptions', '/accumulators', '/checkpoints', '/checkpoints/config',
                   '/jobmanager/config', '/jobmanager/environment', '/jobmanager/log-url', '/status', '/resource-requirements',
                   '/taskmanagers/log-url']) {
    await get(j + p);
  }
  const jmetrics = await get(j + '/metrics');
  if (metricNames(jmetrics)) await get(j + '/metrics?get=' + metricNames(jmetrics));
  for (const v of (job && job.vertices) || []) {
    const base = `${j}/vertices/${v.id}`;
    for (const p of ['', '/accumulators', '/subtasks/accumulators', '/taskmanagers', '/subtasktimes', '/watermarks',
                     '/backpressure', '/subtasks/0', '/subtasks/0/attempts/0']) {
      await get(base + p);
    }
    const vm = await get(base + '/metrics');
    // Every metric's value: a gauge that printed a config value would show the key here.
    const names = Array.isArray(vm) ? vm.map((m) => m.id) : [];
    for (let i = 0; i < names.length; i += 40) {
      await get(base + '/metrics?get=' + encodeURIComponent(names.slice(i, i + 40).join(',')));
    }
  }
  const tms = await get('/taskmanagers');
  for (const tm of (tms && tms.taskmanagers) || []) {
    const base = `/taskmanagers/${tm.id}`;
    for (const p of ['', '/log', '/stdout', '/thread-dump']) {
      await get(base + p);
    }
    const logs = await get(base + '/logs');
    for (const l of (logs && logs.logs) || []) {
      await get(`${base}/logs/${encodeURIComponent(l.name)}`);
    }
    const tmm = await get(base + '/metrics');
    if (metricNames(tmm)) await get(base + '/metrics?get=' + metricNames(tmm));
  }
  console.log(`${ok} ${saved}`);
})();
