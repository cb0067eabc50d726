"""SBDH interoperability with the `as4` package (PyPI as4 0.2.0).

  smp_sbdh.py build SENDER RECEIVER DOCTYPE PROCESS COUNTRY INSTANCE  < document > envelope
      as4 builds its Peppol envelope around the business document on stdin.
  smp_sbdh.py check  < envelope > json
      as4 judges an envelope the way its Peppol receiver does: the header against the SBDH
      XSD, then its model and the mandatory scopes; prints what it read as JSON.
"""
import json
import sys

from lxml import etree

from as4.core.references import AS4References
from as4.models.unece import sbdh
from as4.profiles.peppol.document_identifier import BusdoxDocidQnsDocumentIdentifier
from as4.profiles.peppol.message import PeppolAS4Message, PeppolAS4MessageBuilderArgs
from as4.resources.schemas.vendor.sbdh import SBDHSchema
from as4.utils.xml_parser import parse_xml

NS = "{http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader}"


def build(sender, receiver, doctype, process, country, instance):
    args = PeppolAS4MessageBuilderArgs(
        sender=sender,
        recipient=receiver,
        document_type_identifier=BusdoxDocidQnsDocumentIdentifier.from_identifier_value(doctype),
        document_identification_instance_identifier=instance,
        process_identifier=process,
        c1_country_id=country,
    )
    model = PeppolAS4Message.get_standard_business_document(args, AS4References())
    envelope = model.dump_to_xml(NS + "StandardBusinessDocument")
    envelope.append(parse_xml(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"))


def check():
    envelope = parse_xml(sys.stdin.buffer.read())
    header = envelope.find(NS + "StandardBusinessDocumentHeader")
    if header is None:
        sys.exit("no StandardBusinessDocumentHeader")
    error = SBDHSchema.validation_error(header)
    if error is not None:
        sys.exit(f"not schema valid: {error}")
    model = sbdh.StandardBusinessDocument.model_validate_etree(envelope).standard_business_document_header
    scopes = {s.scope_type.value: s for s in model.business_scope.scopes}
    missing = PeppolAS4Message.MANDATORY_SBDH_SCOPE_TYPE_VALUES - set(scopes)
    if missing:
        sys.exit(f"missing scopes {sorted(missing)}")
    identification = model.document_identification
    print(json.dumps({
        "sender": [model.sender.identifier.authority, model.sender.identifier.value],
        "receiver": [model.receiver.identifier.authority, model.receiver.identifier.value],
        "standard": identification.standard.value,
        "type": identification.document_identification_type.value,
        "type_version": identification.type_version.value,
        "instance": identification.instance_identifier.value,
        "created": identification.creation_date_and_time.value.isoformat(),
        "documentid": [scopes["DOCUMENTID"].identifier.value, scopes["DOCUMENTID"].instance_identifier.value],
        "processid": [scopes["PROCESSID"].identifier.value, scopes["PROCESSID"].instance_identifier.value],
        "country": scopes["COUNTRY_C1"].instance_identifier.value,
        # The business document's root and the text of its cbc:ID, as lxml reads them.
        "document_root": envelope[1].tag,
        "document_id": envelope[1].findtext("{*}ID"),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(*sys.argv[2:8])
    elif sys.argv[1] == "check":
        check()
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
