#!/usr/bin/env python3
"""Stand-ins for two AWS services the Managed Flink jar's job meets on AWS, for bin/check-managed-jar.

- Container credentials (GET /credentials, reached through AWS_CONTAINER_CREDENTIALS_FULL_URI): how
  Managed Flink hands the application role's credentials to the SDKs' default chains.
- Secrets Manager's GetSecretValue (AWS JSON 1.1, reached through AWS_ENDPOINT_URL_SECRETS_MANAGER):
  one secret, answered only to a request signed with the container credentials.
Serves on 127.0.0.1, prints its port on the first line and one line per request it answered (which
SDK asked, never the secret's value).
  fake-aws.py SECRET_ID SECRET_VALUE
"""
import json
import sys
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET_ID, SECRET_VALUE = sys.argv[1], sys.argv[2]
ACCESS_KEY = "ASIACHECKMANAGEDJAR"


def sdk(headers):
    agent = headers.get("User-Agent", "")
    return "sdk-v1" if "aws-sdk-java/1." in agent else "sdk-v2" if "aws-sdk-java/2." in agent else "other"


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, answer, content_type):
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        if self.path == "/credentials":
            expiration = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
            self.answer(200, {"AccessKeyId": ACCESS_KEY, "SecretAccessKey": "check", "Token": "check-token",
                              "Expiration": expiration}, "application/json")
            print(f"credentials {sdk(self.headers)} -> 200", flush=True)
        else:
            self.answer(404, {}, "application/json")

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        target = self.headers.get("X-Amz-Target", "")
        signed = self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
        if target == "secretsmanager.GetSecretValue" and body.get("SecretId") == SECRET_ID and signed:
            status, answer = 200, {"ARN": "arn:aws:secretsmanager:us-east-1:000000000000:secret:" + SECRET_ID,
                                   "Name": SECRET_ID, "SecretString": SECRET_VALUE, "VersionId": "v1",
                                   "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9}
        else:
            status, answer = 400, {"__type": "ResourceNotFoundException", "message": "no such secret"}
        self.answer(status, answer, "application/x-amz-json-1.1")
        print(f"{target} {body.get('SecretId')} signed={signed} -> {status}", flush=True)

    def log_message(self, *_):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
