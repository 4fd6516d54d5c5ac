// Stand-ins for two AWS services the Managed Flink jar's job meets on AWS, for bin/check-managed-jar.
// - Container credentials (GET /credentials, reached through AWS_CONTAINER_CREDENTIALS_FULL_URI): how
//   Managed Flink hands the application role's credentials to the SDKs' default chains.
// - Secrets Manager's GetSecretValue (AWS JSON 1.1, reached through AWS_ENDPOINT_URL_SECRETS_MANAGER):
//   one secret, answered only to a request signed (SigV4 Authorization header) with the container
//   credentials' access key.
// Serves on 127.0.0.1, prints its port on the first line and one line per request it answered (which
// SDK asked, never the secret's value). Node built-ins only.
//   node bin/lib/fake-aws.js SECRET_ID SECRET_VALUE
const http = require('http');

if (process.argv.length !== 4) {
  console.error('usage: node bin/lib/fake-aws.js SECRET_ID SECRET_VALUE');
  process.exit(1);
}
const [SECRET_ID, SECRET_VALUE] = process.argv.slice(2);
const ACCESS_KEY = 'ASIACHECKMANAGEDJAR';

function sdk(req) {
  const agent = req.headers['user-agent'] || '';
  return agent.includes('aws-sdk-java/1.') ? 'sdk-v1' : agent.includes('aws-sdk-java/2.') ? 'sdk-v2' : 'other';
}

function answer(res, status, body, contentType) {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': payload.length });
  res.end(payload);
}

function credentials(req, res) {
  if (req.url !== '/credentials') {
    answer(res, 404, {}, 'application/json');
    return;
  }
  const expiration = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  answer(res, 200, { AccessKeyId: ACCESS_KEY, SecretAccessKey: 'check', Token: 'check-token', Expiration: expiration },
    'application/json');
  console.log(`credentials ${sdk(req)} -> 200`);
}

function secret(req, res, raw) {
  let body;
  try {
    body = raw.length ? JSON.parse(raw) : {};
  } catch (e) {
    body = {};
  }
  const target = req.headers['x-amz-target'] || '';
  const signed = (req.headers.authorization || '').startsWith(`AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/`);
  let status, reply;
  if (target === 'secretsmanager.GetSecretValue' && body.SecretId === SECRET_ID && signed) {
    status = 200;
    reply = { ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${SECRET_ID}`, Name: SECRET_ID,
      SecretString: SECRET_VALUE, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 1.7e9 };
  } else {
    status = 400;
    reply = { __type: 'ResourceNotFoundException', message: 'no such secret' };
  }
  answer(res, status, reply, 'application/x-amz-json-1.1');
  // signed=True/False: the line bin/check-managed-jar greps for, unchanged from the first version.
  console.log(`${target} ${body.SecretId ?? 'None'} signed=${signed ? 'True' : 'False'} -> ${status}`);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    credentials(req, res);
  } else if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => secret(req, res, Buffer.concat(chunks).toString('utf8')));
  } else {
    answer(res, 501, {}, 'application/json');
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
