#!/usr/bin/env python3
"""A small checkout service: the system under test (SUT) of scenarios/checkout.yaml and
of authspec's tests (tests/acceptance/checkout.py links here).

POST /checkout charges the payments API the way it should: TLS verified against
PAYMENTS_CA_FILE, the key in the Authorization header. The other paths carry the bugs
authspec must catch:
  POST /checkout/insecure  does not verify certificates, falls back to plain HTTP when
                           TLS fails, and sends the key in the query string;
  POST /checkout/debug     like /checkout, but echoes the payments API's whole answer;
  POST /checkout/fallback  verifies, but retries in plain HTTP when TLS fails.
Paths that behave safely in other ways, for the tests:
  POST /checkout/pooled          like /checkout over one kept-alive connection;
  POST /checkout/probe-only      only opens a TCP connection to the payments API;
  POST /checkout/handshake-only  completes a TLS handshake, then judges the certificate
                                 (as Node.js does) and closes without a request.
Customers authenticate with `Authorization: Bearer $CUSTOMER_TOKEN` (when it is set).
With PID_FILE set, it writes its process id there (tests check it is stopped).
Standard library only.
"""

import http.client
import json
import os
import socket
import ssl
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ["PORT"])
PAYMENTS_URL = os.environ["PAYMENTS_URL"].rstrip("/")
CA_FILE = os.environ.get("PAYMENTS_CA_FILE")
API_KEY = os.environ["PAYMENTS_API_KEY"]
CUSTOMER_TOKEN = os.environ.get("CUSTOMER_TOKEN")


# One connection for all requests (the server runs each request in its own thread).
POOL = {"conn": None, "lock": threading.Lock()}


def pooled(amount):
    host = urllib.parse.urlsplit(PAYMENTS_URL)
    body = json.dumps({"amount": amount})
    headers = {"Authorization": "Bearer " + API_KEY, "Content-Type": "application/json"}
    with POOL["lock"]:
        if POOL["conn"] is None:
            context = ssl.create_default_context(cafile=CA_FILE)
            POOL["conn"] = http.client.HTTPSConnection(
                host.hostname, host.port, context=context, timeout=5
            )
        try:
            POOL["conn"].request("POST", "/v1/charges", body, headers)
            return POOL["conn"].getresponse().read()
        except Exception:
            POOL["conn"].close()
            POOL["conn"] = None
            raise


def first_contact(tls):
    host = urllib.parse.urlsplit(PAYMENTS_URL)
    with socket.create_connection((host.hostname, host.port), timeout=5) as raw:
        if tls:
            context = ssl._create_unverified_context()
            with context.wrap_socket(raw, server_hostname=host.hostname) as conn:
                ssl.DER_cert_to_PEM_cert(conn.getpeercert(binary_form=True))
    raise OSError("the payments API is not trusted")


def charge(amount, secure, fallback=False):
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
        if secure and not fallback:
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
        amount = payload.get("amount", 0)
        calls = {
            "/checkout": lambda: charge(amount, True),
            "/checkout/debug": lambda: charge(amount, True),
            "/checkout/insecure": lambda: charge(amount, False),
            "/checkout/fallback": lambda: charge(amount, True, fallback=True),
            "/checkout/pooled": lambda: pooled(amount),
            "/checkout/probe-only": lambda: first_contact(False),
            "/checkout/handshake-only": lambda: first_contact(True),
        }
        if self.path not in calls:
            return self.reply(404, {"error": "not found"})
        try:
            answer = calls[self.path]()
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
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
