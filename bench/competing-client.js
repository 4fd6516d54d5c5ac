// A second client spending the same Gemini quota as the job (its own API key, as another
// application of the same project would): one generateContent request at once and then every
// INTERVAL_MS to the emulator at BASE_URL, each fired without waiting for the previous (a hung
// answer must not slow the loop), until stopped. Its prompt carries no translation tags, so the
// emulator logs it with target language "xx" and its requests are told apart from the job's ("de").
//   node bench/competing-client.js BASE_URL INTERVAL_MS STATS_FILE
// STATS_FILE (JSON, rewritten after every answer): {sent, byStatus: {status: n}, errors}.
'use strict';
const http = require('http');
const fs = require('fs');
const [baseUrl, intervalMs, file] = process.argv.slice(2);
const url = new URL('/v1beta/models/gemini-2.5-flash:generateContent', baseUrl);
const stats = {sent: 0, byStatus: {}, errors: 0};
const save = () => fs.writeFileSync(file, JSON.stringify(stats));
function fire() {
  const n = ++stats.sent;
  const body = JSON.stringify({contents: [{role: 'user', parts: [{text: 'Competing client request ' + n
    + ': summarise the harbour report in one sentence.'}]}]});
  const req = http.request(url, {method: 'POST', timeout: 60000, headers: {'content-type': 'application/json',
    'x-goog-api-key': 'competing-client-key', 'content-length': Buffer.byteLength(body)}}, (res) => {
    res.resume();
    const done = () => { stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] || 0) + 1; save(); };
    res.on('end', done);
    res.on('error', () => { stats.errors++; save(); });
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', () => { stats.errors++; save(); });
  req.end(body);
}
save();
fire();
setInterval(fire, Number(intervalMs));
