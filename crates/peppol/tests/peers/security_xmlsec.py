"""python-xmlsec (libxmlsec1) as the peer for Peppol SMP signatures in
crates/peppol/tests/security.rs: enveloped signatures over the whole document with inclusive
C14N 1.0, RSA-SHA256, SHA-256 and the certificate in KeyInfo/X509Data.

    security_xmlsec.py sign KEY CERT < document.xml > signed.xml
    security_xmlsec.py verify CERT < signed.xml        prints "verified" or the failure
"""
import sys

import xmlsec
from lxml import etree

command = sys.argv[1]
root = etree.fromstring(sys.stdin.buffer.read())
if command == "sign":
    key_file, cert_file = sys.argv[2], sys.argv[3]
    signature = xmlsec.template.create(root, xmlsec.Transform.C14N, xmlsec.Transform.RSA_SHA256)
    root.append(signature)
    reference = xmlsec.template.add_reference(signature, xmlsec.Transform.SHA256, uri="")
    xmlsec.template.add_transform(reference, xmlsec.Transform.ENVELOPED)
    xmlsec.template.add_x509_data(xmlsec.template.ensure_key_info(signature))
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_file(key_file, xmlsec.KeyFormat.PEM)
    context.key.load_cert_from_file(cert_file, xmlsec.KeyFormat.PEM)
    context.sign(signature)
    sys.stdout.buffer.write(etree.tostring(root))
elif command == "verify":
    signature = xmlsec.tree.find_node(root, xmlsec.constants.NodeSignature)
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_file(sys.argv[2], xmlsec.KeyFormat.CERT_PEM)
    try:
        context.verify(signature)
        print("verified")
    except xmlsec.Error as error:
        print(f"failed: {error}")
else:
    sys.exit(f"unknown command {command}")
