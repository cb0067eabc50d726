"""The `as4` package (0.2.0) as a receiving access point over HTTP, for tests/it/as4.rs.

    as4_receiver.py PKI DIR    serves on a free loopback port as PTE000002 and prints the
                               port on the first line of stdout. Each POST goes through as4's
                               `parse_peppol_message`; the answer is the signal as4 builds (a
                               signed receipt or error). What as4 made of request N is written
                               to DIR/N.json as {"successful", "error", "payload"}.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Test harness only: it checks nothing itself.
"""
import base64
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from as4 import AS4LocalPrivateKey
from as4.peppol import create_peppol_internal_party, parse_peppol_message, peppol_security_policy

pki, work = Path(sys.argv[1]), Path(sys.argv[2])
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
        payload = (next(iter(exchange.message.decrypted_data.values()), None)
                   if exchange.successful else None)
        Handler.count += 1
        (work / f"{Handler.count}.json").write_text(json.dumps({
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


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
