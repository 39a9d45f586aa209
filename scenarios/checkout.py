#!/usr/bin/env python3
"""A small checkout service: the system under test (SUT) of scenarios/checkout.yaml and
of authspec's tests (tests/acceptance/checkout.py links here).

POST /checkout charges the payments API the way it should: TLS verified against
PAYMENTS_CA_FILE, the key in the Authorization header. The other paths carry the bugs
authspec must catch:
  POST /checkout/insecure  does not verify certificates, falls back to plain HTTP when
                           TLS fails, and sends the key in the query string;
  POST /checkout/debug     like /checkout, but echoes the payments API's whole answer.
Customers authenticate with `Authorization: Bearer $CUSTOMER_TOKEN` (when it is set).
With PID_FILE set, it writes its process id there (tests check it is stopped).
Standard library only.
"""

import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ["PORT"])
PAYMENTS_URL = os.environ["PAYMENTS_URL"].rstrip("/")
CA_FILE = os.environ.get("PAYMENTS_CA_FILE")
API_KEY = os.environ["PAYMENTS_API_KEY"]
CUSTOMER_TOKEN = os.environ.get("CUSTOMER_TOKEN")


def charge(amount, secure):
    body = json.dumps({"amount": amount}).encode()
    url = PAYMENTS_URL + "/v1/charges"
    headers = {"Content-Type": "application/json"}
    if secure:
        context = ssl.create_default_context(cafile=CA_FILE)
        headers["Authorization"] = "Bearer " + API_KEY
    else:
        context = ssl._create_unverified_context()
        url += "?" + urllib.parse.urlencode({"api_key": API_KEY})
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as r:
            return r.read()
    except urllib.error.URLError:
        if secure:
            raise
        # The downgrade bug: try again without TLS.
        plain = urllib.request.Request(
            url.replace("https://", "http://", 1), data=body, method="POST", headers=headers
        )
        with urllib.request.urlopen(plain, timeout=5) as r:
            return r.read()


class Handler(BaseHTTPRequestHandler):
    server_version = "checkout"  # no version banner
    sys_version = ""

    def reply(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/health":
            self.reply(200, {"ok": True})
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        if CUSTOMER_TOKEN and self.headers.get("Authorization") != "Bearer " + CUSTOMER_TOKEN:
            return self.reply(401, {"error": "unauthorized"})
        if self.path not in ("/checkout", "/checkout/insecure", "/checkout/debug"):
            return self.reply(404, {"error": "not found"})
        try:
            answer = charge(payload.get("amount", 0), self.path != "/checkout/insecure")
        except (urllib.error.URLError, OSError) as e:
            print("payments call failed:", e, file=sys.stderr, flush=True)
            return self.reply(502, {"error": "payments unavailable"})
        if self.path == "/checkout/debug":
            return self.reply(200, {"charged": True, "payments_said": answer.decode()})
        return self.reply(200, {"charged": True, "charge": json.loads(answer).get("id")})

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    if os.environ.get("PID_FILE"):
        with open(os.environ["PID_FILE"], "w") as f:
            f.write(str(os.getpid()))
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print("checkout listening on", PORT, flush=True)
    server.serve_forever()
