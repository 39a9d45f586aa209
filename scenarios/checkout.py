#!/usr/bin/env python3
"""A small checkout service: the system under test (SUT) of scenarios/checkout.yaml and
of authspec's tests (tests/acceptance/checkout.py links here).

POST /checkout charges the payments API the way it should: TLS verified against
PAYMENTS_CA_FILE, the key in the Authorization header, a timeout on every call, transient
failures (5xx, a reset) retried at most twice with growing pauses, answers read up to a
bound, and the customer told only that payments are unavailable. The other paths carry
the bugs authspec must catch:
  POST /checkout/careless  no timeout, no retry, no bound, and the payments API's status
                           and error passed on to the customer;
  POST /checkout/retry-constant  retries like /checkout, but always after the same pause;
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
import time
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


class Unavailable(Exception):
    """The payments API failed in a way the customer must not see the details of: 502
    when it could not be reached safely (TLS, a timeout), 503 when it failed."""

    def __init__(self, why, status=503):
        super().__init__(why)
        self.status = status


TRANSIENT = (502, 503, 504)
MAX_ANSWER = 1024 * 1024


def resilient(amount, pauses):
    """A charge with a 2 s timeout per try, retried after each pause in `pauses` on a
    transient failure; the answer, parsed, or Unavailable."""
    body = json.dumps({"amount": amount}).encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + API_KEY}
    context = ssl.create_default_context(cafile=CA_FILE)
    for attempt in range(len(pauses) + 1):
        request = urllib.request.Request(
            PAYMENTS_URL + "/v1/charges", data=body, method="POST", headers=headers
        )
        try:
            deadline = time.monotonic() + 3
            data = b""
            with urllib.request.urlopen(request, context=context, timeout=2) as r:
                # Bounded in size and in time: a dripping body must not hold us forever.
                while len(data) <= MAX_ANSWER:
                    if time.monotonic() > deadline:
                        raise Unavailable("answer too slow", 504)
                    piece = r.read1(65536)
                    if not piece:
                        break
                    data += piece
            if len(data) > MAX_ANSWER:
                raise Unavailable("answer too large")
            return json.loads(data)
        except urllib.error.HTTPError as e:
            if e.code not in TRANSIENT or attempt == len(pauses):
                raise Unavailable("status %d" % e.code)
        except (ConnectionError, http.client.RemoteDisconnected) as e:
            if attempt == len(pauses):
                raise Unavailable(str(e))
        except ValueError:
            raise Unavailable("not JSON")
        except (urllib.error.URLError, OSError) as e:
            # Timeouts and certificate failures are not retried.
            raise Unavailable(str(e), 502)
        time.sleep(pauses[attempt])
    raise Unavailable("no answer")


def careless(amount):
    """No timeout, no retry, no bound: the payments API's answer as it came."""
    body = json.dumps({"amount": amount}).encode()
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + API_KEY}
    context = ssl.create_default_context(cafile=CA_FILE)
    request = urllib.request.Request(
        PAYMENTS_URL + "/v1/charges", data=body, method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, context=context) as r:
            return 200, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


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
        if self.path in ("/checkout", "/checkout/retry-constant"):
            pauses = [0.25, 0.75] if self.path == "/checkout" else [0.4, 0.4]
            try:
                answer = resilient(amount, pauses)
            except Unavailable as e:
                print("payments call failed:", e, file=sys.stderr, flush=True)
                error = {"error": "the payment service is temporarily unavailable"}
                return self.reply(e.status, error)
            return self.reply(200, {"charged": True, "charge": answer.get("id")})
        if self.path == "/checkout/careless":
            status, answer = careless(amount)
            data = answer
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return None
        calls = {
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
