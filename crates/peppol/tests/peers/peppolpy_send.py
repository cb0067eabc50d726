"""peppol-py (1.2.5) sending through its whole path, SML → SMP → AS4, for crates/web/tests/as4.rs.

    peppolpy_send.py PKI DNS-PORT INVOICE

peppol-py reads sender, receiver and country from INVOICE, finds the receiver's SMP with a NAPTR
query in the Peppol test SML zone, reads the endpoint and certificate from the SMP, and posts
the signed and encrypted message. Two things in it are hard-coded, so the driver redirects them
(see ../shared/research/peppol-peers.md): its DNS resolver asks 127.0.0.1:DNS-PORT, where the
test serves that zone; and the receiver's certificate is checked against the test PKI's AP CA
instead of the bundled Peppol truststore (whose online check also crashes with OpenSSL 3 here).
Prints {"sent": true, "receiver"} or {"sent": false, "error"} as JSON. Test harness only.
"""
import json
import sys
from pathlib import Path

import dns.resolver
import peppol_py.sender
from cryptography import x509
from peppol_py.sender import send_peppol_document

from xmlsec1_shim import write_xmlsec1

pki, port, invoice = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])


class LocalResolver(dns.resolver.Resolver):
    def __init__(self, *args, **kwargs):
        super().__init__(configure=False)
        self.nameservers = ["127.0.0.1"]
        self.port = port


dns.resolver.Resolver = LocalResolver

ap_ca = x509.load_pem_x509_certificate((pki / "apca.pem").read_bytes())


def issued_by_test_ca(certificate, test_environment):
    x509.load_pem_x509_certificate(certificate).verify_directly_issued_by(ap_ca)


peppol_py.sender.validate_certificate = issued_by_test_ca

try:
    stats = send_peppol_document(
        invoice.read_bytes(), str(write_xmlsec1(invoice.parent)), str(pki / "PTE000001.key"), None,
        str(pki / "PTE000001.pem"), document_type_version="2.1", test_environment=True, timeout=10)
    json.dump({"sent": True, "receiver": stats["receiver_common_name"]}, sys.stdout)
except Exception as error:  # the test shows what the peer objected to
    json.dump({"sent": False, "error": f"{type(error).__name__}: {error}"}, sys.stdout)
