#!/usr/bin/env python3
"""The benchmark's own target when nginx is not installed: answers `GET /ok` with a
small JSON body over HTTP/1.1 keep-alive, and counts the TCP connections it accepted
(`GET /connections`), so a run can show how many connections a client opened.

Usage: server.py PORT_FILE   (binds 127.0.0.1 on a free port and writes it there)
"""

import http.server
import socketserver
import sys
import threading

lock = threading.Lock()
connections = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # No version banner: the leak scan would flag it on every check.
    server_version = "bench"
    sys_version = ""
    # Headers and body go out in two writes: without this, delayed ACKs cost 40 ms each.
    disable_nagle_algorithm = True

    def setup(self):
        global connections
        with lock:
            connections += 1
        super().setup()

    def do_GET(self):
        if self.path == "/connections":
            with lock:
                body = str(connections).encode()
        else:
            body = b'{"ok":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    server = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
