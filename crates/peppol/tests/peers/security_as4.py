"""The `as4` package (0.2.0) as the peer of crates/peppol/tests/security.rs.

    security_as4.py build   PKI DIR   as4 builds a signed and encrypted Peppol message from
                                      PTE000001 to PTE000002 carrying DIR/invoice.xml; writes
                                      envelope.xml, attachment.bin, content-id.txt, sbd.xml (the
                                      SBD the attachment carries, gzipped) and exchange.json.
    security_as4.py receive PKI DIR   reassembles DIR/envelope.xml and DIR/attachment.bin (with
                                      DIR/content-id.txt) into a MIME message for as4's receiver as
                                      PTE000002; prints {"successful", "error", "payload"} as
                                      JSON and writes the signal it answers with to signal.xml.
    security_as4.py ack     PKI DIR   restores the exchange of `build` and hands it DIR/receipt.xml;
                                      prints {"state"} or {"error"} as JSON.

PKI holds root.pem, apca.pem and <seat>.pem/.key. Test harness only: it drives the peer, it
checks nothing itself.
"""
import base64
import gzip
import json
import sys
from pathlib import Path
from uuid import uuid4

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
    parse_peppol_message,
)
from as4.peppol import peppol_security_policy
from as4.utils.mime_handler import MIMEHandler

DOCTYPE = ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
           "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1")
PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

command, pki, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
cert = lambda name: x509.load_pem_x509_certificate((pki / f"{name}.pem").read_bytes())
key = lambda name: AS4LocalPrivateKey(load_pem_private_key((pki / f"{name}.key").read_bytes(), None))
sender = create_peppol_internal_party("PTE000001", cert("PTE000001"), key("PTE000001"))
receiver = create_peppol_internal_party("PTE000002", cert("PTE000002"), key("PTE000002"))
policy = peppol_security_policy(cert("root"), intermediates=[cert("apca")])

if command == "build":
    exchange = PeppolSendingExchange(
        profile=PeppolAS4Profile, local_party=sender,
        remote_party=create_peppol_external_party("PTE000002", cert("PTE000002")),
        identifiers=AS4References(body_id=f"id-{uuid4()}", encrypted_key_bst_id=f"id-{uuid4()}"))
    headers, body = exchange.build((work / "invoice.xml").read_bytes(), PeppolAS4MessageBuilderArgs(
        sender="0088:5790000000005", recipient="0088:5790000000012",
        document_type_identifier=BusdoxDocidQnsDocumentIdentifier.from_identifier_value(DOCTYPE),
        document_identification_instance_identifier=str(uuid4()),
        process_identifier=PROCESS, c1_country_id="BE"))
    mime = MIMEHandler.parser.parsebytes(MIMEHandler.payload_from_request(headers, body))
    soap = MIMEHandler.get_soap_part(mime)
    attachment = MIMEHandler.get_encrypted_part(mime)
    (work / "envelope.xml").write_bytes(soap.get_payload(decode=True))
    (work / "attachment.bin").write_bytes(attachment.get_payload(decode=True))
    content_id = MIMEHandler.get_content_id(attachment)
    (work / "content-id.txt").write_text(content_id)
    (work / "sbd.xml").write_bytes(exchange.message.decrypted_data[content_id])
    (work / "exchange.json").write_text(exchange.model_dump_json())
elif command == "receive":
    content_id = (work / "content-id.txt").read_text()
    body, boundary = MIMEHandler.build_request_data(
        (work / "envelope.xml").read_bytes(),
        attachments=[(content_id, (work / "attachment.bin").read_bytes())])
    headers = MIMEHandler.build_request_headers(boundary)
    received = parse_peppol_message(request_headers=headers, request_body=body,
                                    local_party=receiver, security_policy=policy)
    payload = next(iter(received.message.decrypted_data.values()), None) if received.successful else None
    _, signal = received.build_signal()
    (work / "signal.xml").write_bytes(signal)
    json.dump({
        "successful": received.successful,
        "error": repr(received.message.parse_error) if received.message.parse_error else None,
        "payload": base64.b64encode(payload).decode() if payload is not None else None,
    }, sys.stdout)
elif command == "ack":
    exchange = PeppolSendingExchange.restore((work / "exchange.json").read_text(), sender)
    exchange.mark_sent()
    try:
        exchange.receive_signal((work / "receipt.xml").read_bytes())
        json.dump({"state": str(exchange.state)}, sys.stdout)
    except Exception as error:  # the test shows what the peer objected to
        json.dump({"error": f"{type(error).__name__}: {error}"}, sys.stdout)
else:
    sys.exit(f"unknown command {command}")
