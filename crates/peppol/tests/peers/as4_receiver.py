"""The `as4` package (0.2.0) as a receiving access point over HTTP, for tests/it/as4.rs and the
throughput bench crates/web/benches/as4.rs.

    as4_receiver.py PKI DIR [WORKERS]
        serves on a free loopback port as PTE000002 and prints the port on the first line of
        stdout. WORKERS processes (default 1) share the listening socket: a pre-forking
        server, how a Python service uses more than one core. Each POST goes through as4's
        `parse_peppol_message`; what as4 made of it is written to DIR/<pid>-<n>.json as
        {"successful", "error", "payload"} before the answer, the signal as4 builds (a signed
        receipt or error), is sent. Every worker exits when stdin closes.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Test harness only: it checks nothing itself.
"""
import base64
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from as4.peppol import parse_peppol_message

import as4_local

pki, work = Path(sys.argv[1]), Path(sys.argv[2])
workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
receiver, policy = as4_local.receiver(pki)


class Handler(BaseHTTPRequestHandler):
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        exchange = parse_peppol_message(request_headers=dict(self.headers.items()),
                                        request_body=body, local_party=receiver,
                                        security_policy=policy)
        headers, signal = exchange.build_signal()
        payload = (next(iter(exchange.message.decrypted_data.values()), None)
                   if exchange.successful else None)
        Handler.count += 1
        (work / f"{os.getpid()}-{Handler.count}.json").write_text(json.dumps({
            "successful": exchange.successful,
            "error": repr(exchange.message.parse_error) if exchange.message.parse_error else None,
            "payload": base64.b64encode(payload).decode() if payload is not None else None,
        }))
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(signal)))
        self.end_headers()
        self.wfile.write(signal)

    def log_message(self, *args):
        pass


class Server(HTTPServer):
    # The default backlog of 5 refuses connections when many senders arrive at once.
    request_queue_size = 128


server = Server(("127.0.0.1", 0), Handler)
for _ in range(workers - 1):
    if os.fork() == 0:
        break
else:
    print(server.server_address[1], flush=True)
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
server.serve_forever()
