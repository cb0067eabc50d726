"""peppol-py (1.2.5) as a second sending peer of crates/peppol/tests/security.rs.

    security_peppol_py.py PKI DIR    peppol-py's own AS4 code (no SML/SMP lookup) signs and
                                     encrypts DIR/invoice.xml from PTE000001 for PTE000002; the
                                     MIME message it would post is split into envelope.xml,
                                     attachment.bin (base64 transfer encoding undone) and
                                     content-id.txt.

peppol-py encrypts through an `xmlsec1` >= 1.3 command, which Debian does not ship; the stand-in
written next to the output runs the libxmlsec1 1.3 bundled in the `xmlsec` wheel for the one
call peppol-py makes. Test harness only: it drives the peer, it checks nothing itself.
"""
import email
import email.policy
import sys
from datetime import UTC, datetime
from pathlib import Path

from peppol_py.as4_sender import get_headers_and_body_for_posting_as4_document

from xmlsec1_shim import write_xmlsec1

DOCTYPE = ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
           "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1")
PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


pki, work = Path(sys.argv[1]), Path(sys.argv[2])
xmlsec1 = write_xmlsec1(work)

body, headers = get_headers_and_body_for_posting_as4_document(
    (work / "invoice.xml").read_bytes(), None,
    datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), DOCTYPE, PROCESS,
    "0088:5790000000005", "0088:5790000000012", "PTE000002", str(xmlsec1),
    str(pki / "PTE000001.key"), None, (pki / "PTE000001.pem").read_bytes(),
    (pki / "PTE000002.pem").read_bytes(), "PTE000001")
head = "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()
message = email.message_from_bytes(head + b"\r\n" + body, policy=email.policy.default)
soap, attachment = list(message.iter_parts())
(work / "envelope.xml").write_bytes(soap.get_payload(decode=True))
(work / "attachment.bin").write_bytes(attachment.get_payload(decode=True))
(work / "content-id.txt").write_text(attachment["Content-ID"].strip().strip("<>"))
(work / "transfer-encoding.txt").write_text(attachment["Content-Transfer-Encoding"])
