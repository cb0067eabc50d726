"""The `as4` package (0.2.0) as an independent sending access point, for the AS4 tests of
crates/peppol (tests/it/as4.rs) and crates/web (tests/as4.rs).

    as4_sender.py PKI URL INVOICE SENDER RECEIVER [MESSAGE-DIR]

Builds a signed and encrypted Peppol message from PTE000001 to PTE000002 carrying INVOICE for
participants SENDER → RECEIVER, POSTs it to URL with urllib3, and hands the answer to as4's
strict signal check (signature, signer, RefToMessageId, non-repudiation references). Prints
{"status", "state", "error", "code", "detail", "message_id"} as JSON. With MESSAGE-DIR, the exchange is saved there
on the first run and re-sent unchanged (same MessageId) on the next, as a retrying sender does.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Test harness only: it reports, the Rust test
judges.
"""
import json
import sys
from pathlib import Path
from uuid import uuid4

import urllib3
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from as4 import AS4LocalPrivateKey, AS4References
from as4.peppol import (
    BusdoxDocidQnsDocumentIdentifier,
    PeppolAS4MessageBuilderArgs,
    PeppolAS4Profile,
    PeppolSendingExchange,
    create_peppol_external_party,
    create_peppol_internal_party,
)

DOCTYPE = ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
           "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1")
PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

pki, url, invoice, sender_id, receiver_id = Path(sys.argv[1]), *sys.argv[2:6]
saved = Path(sys.argv[6]) if len(sys.argv) > 6 else None
cert = lambda name: x509.load_pem_x509_certificate((pki / f"{name}.pem").read_bytes())
key = lambda name: AS4LocalPrivateKey(load_pem_private_key((pki / f"{name}.key").read_bytes(), None))
sender = create_peppol_internal_party("PTE000001", cert("PTE000001"), key("PTE000001"))

if saved is not None and (saved / "exchange.json").exists():
    exchange = PeppolSendingExchange.restore((saved / "exchange.json").read_text(), sender)
    headers = json.loads((saved / "headers.json").read_text())
    body = (saved / "body.bin").read_bytes()
else:
    # Ids must start with a letter (xsd:ID); see peppol-peers.md, as4 bug 1.
    exchange = PeppolSendingExchange(
        profile=PeppolAS4Profile, local_party=sender,
        remote_party=create_peppol_external_party("PTE000002", cert("PTE000002")),
        identifiers=AS4References(body_id=f"id-{uuid4()}", encrypted_key_bst_id=f"id-{uuid4()}"))
    headers, body = exchange.build(Path(invoice).read_bytes(), PeppolAS4MessageBuilderArgs(
        sender=sender_id, recipient=receiver_id,
        document_type_identifier=BusdoxDocidQnsDocumentIdentifier.from_identifier_value(DOCTYPE),
        document_identification_instance_identifier=str(uuid4()),
        process_identifier=PROCESS, c1_country_id="NL"))
    if saved is not None:
        saved.mkdir(parents=True, exist_ok=True)
        (saved / "exchange.json").write_text(exchange.model_dump_json())
        (saved / "headers.json").write_text(json.dumps(dict(headers)))
        (saved / "body.bin").write_bytes(body)

response = urllib3.PoolManager().request("POST", url, body=body, headers=headers, retries=False)
result = {"status": response.status, "state": None, "error": None, "code": None,
          "detail": None, "message_id": exchange.message_id}
if response.status == 200:
    exchange.mark_sent()
    try:
        exchange.receive_signal(response.data)
        result["state"] = str(exchange.state)
        if exchange.error is not None:
            result["code"] = exchange.error.error_code
            result["detail"] = exchange.error.error_detail.value if exchange.error.error_detail else None
    except Exception as error:  # the test shows what the peer objected to
        result["error"] = f"{type(error).__name__}: {error}"
json.dump(result, sys.stdout)
