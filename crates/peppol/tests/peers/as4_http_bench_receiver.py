"""The `as4` package (0.2.0) as a receiving access point over HTTP, for the throughput bench
crates/web/benches/as4.rs.

    as4_http_bench_receiver.py PKI DIR WORKERS
        serves on a free loopback port as PTE000002 and prints the port on the first line of
        stdout. WORKERS processes share the listening socket (a pre-forking server: how a
        Python service uses more than one core). Each POST goes through `parse_peppol_message`;
        a message it accepts is stored as DIR/<pid>-<n>.sbd (the decrypted payload) before the
        answer, the signal as4 builds, is sent. Every worker exits when stdin closes.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Bench harness only.
"""
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from as4 import AS4LocalPrivateKey
from as4.peppol import create_peppol_internal_party, parse_peppol_message, peppol_security_policy

pki, store, workers = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
cert = lambda name: x509.load_pem_x509_certificate((pki / f"{name}.pem").read_bytes())
receiver = create_peppol_internal_party(
    "PTE000002", cert("PTE000002"),
    AS4LocalPrivateKey(load_pem_private_key((pki / "PTE000002.key").read_bytes(), None)))
policy = peppol_security_policy(cert("root"), intermediates=[cert("apca")])


class Handler(BaseHTTPRequestHandler):
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        exchange = parse_peppol_message(request_headers=dict(self.headers.items()),
                                        request_body=body, local_party=receiver,
                                        security_policy=policy)
        headers, signal = exchange.build_signal()
        if exchange.successful:
            Handler.count += 1
            payload = next(iter(exchange.message.decrypted_data.values()))
            (store / f"{os.getpid()}-{Handler.count}.sbd").write_bytes(payload)
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
