#!/usr/bin/env python3
"""A stand-in for Secrets Manager's GetSecretValue (AWS JSON 1.1), for bin/check-managed-jar.

Serves one secret on 127.0.0.1 so that the Managed Flink jar's job reads its Gemini API key
through the bundled AWS SDK (its default sync HTTP client, credentials chain and JSON protocol), as
it does on AWS with gemini.api-key-source=secretsmanager:ID. Prints its port on the first line and
one line per request it answered (never the secret's value).
  fake-secretsmanager.py SECRET_ID SECRET_VALUE
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET_ID, SECRET_VALUE = sys.argv[1], sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        signed = self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256")
        if target == "secretsmanager.GetSecretValue" and body.get("SecretId") == SECRET_ID and signed:
            status, answer = 200, {"ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + SECRET_ID,
                                   "Name": SECRET_ID, "SecretString": SECRET_VALUE, "VersionId": "v1",
                                   "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9}
        else:
            status, answer = 400, {"__type": "ResourceNotFoundException", "message": "no such secret"}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        print(f"{target} {body.get('SecretId')} signed={signed} -> {status}", flush=True)

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
