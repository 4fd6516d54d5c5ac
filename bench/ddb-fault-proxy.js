// A DynamoDB stand-in that answers reads but refuses writes on demand: an HTTP proxy on 127.0.0.1
// in front of dynalite, for bench/reliability-ddb-writes-fail.sh.
//   node bench/ddb-fault-proxy.js PORT_FILE
// Listens on a free port and writes it to PORT_FILE. Until the upstream is set, DynamoDB requests
// wait (the job may start before the script knows dynalite's port). Control, all GET:
//   /_control/upstream?port=N     forward to 127.0.0.1:N
//   /_control/writes?mode=M       M = ok | deny (400 AccessDeniedException, a role without the
//                                 write permission) | throttle (400 ThrottlingException)
//   /_control/stats               JSON: forwarded and refused requests per operation
// Writes are the operations that change an item (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems); reads and DescribeTable always pass.
'use strict';
const http = require('http');
const fs = require('fs');

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);
const REFUSALS = {
  deny: {type: 'com.amazon.coral.service#AccessDeniedException',
         message: 'User: arn:aws:sts::000000000000:assumed-role/bench is not authorized to perform this write'},
  throttle: {type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
             message: 'Rate of requests exceeds the allowed throughput.'},
};
let upstreamPort = null;
let mode = 'ok';
const stats = {forwarded: {}, refused: {}, modeChanges: []};
const bump = (map, key) => { map[key] = (map[key] || 0) + 1; };

function control(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/_control/upstream') {
    upstreamPort = Number(url.searchParams.get('port'));
  } else if (url.pathname === '/_control/writes') {
    const m = url.searchParams.get('mode');
    if (m !== 'ok' && !REFUSALS[m]) {
      res.writeHead(400).end('mode must be ok, deny or throttle\n');
      return;
    }
    mode = m;
    stats.modeChanges.push({mode, atMillis: Date.now()});
  } else if (url.pathname !== '/_control/stats') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {'content-type': 'application/json'});
  res.end(JSON.stringify({upstreamPort, mode, ...stats}) + '\n');
}

function whenUpstream(fn) {
  if (upstreamPort) {
    fn();
  } else {
    setTimeout(() => whenUpstream(fn), 100);
  }
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/_control/')) {
    control(req, res);
    return;
  }
  const chunks = [];
  // A client that gives up mid-request must not take the proxy down (dynalite's own weakness).
  req.on('error', () => {});
  res.on('error', () => {});
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const target = String(req.headers['x-amz-target'] || '');
    const operation = target.slice(target.indexOf('.') + 1) || 'unknown';
    const refusal = WRITES.has(operation) ? REFUSALS[mode] : null;
    if (refusal) {
      bump(stats.refused, operation);
      const answer = JSON.stringify({__type: refusal.type, message: refusal.message});
      res.writeHead(400, {'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench-proxy',
                          'content-length': Buffer.byteLength(answer)});
      res.end(answer);
      return;
    }
    whenUpstream(() => {
      bump(stats.forwarded, operation);
      const upstream = http.request({host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url,
                                     headers: req.headers}, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      upstream.on('error', (e) => {
        if (!res.headersSent) {
          res.writeHead(502, {'content-type': 'text/plain'});
        }
        res.end(String(e));
      });
      upstream.end(body);
    });
  });
});
server.listen(0, '127.0.0.1', () => fs.writeFileSync(process.argv[2], String(server.address().port)));
