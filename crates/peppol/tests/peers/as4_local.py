"""The receiving test access point PTE000002 for the `as4` package (0.2.0) drivers, from the
test PKI's PEM files (root.pem, apca.pem, <seat>.pem/.key). Test harness only."""
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from as4 import AS4LocalPrivateKey
from as4.peppol import create_peppol_internal_party, peppol_security_policy


def receiver(pki: Path):
    """(the local party PTE000002, the security policy trusting the test CA)"""
    cert = lambda name: x509.load_pem_x509_certificate((pki / f"{name}.pem").read_bytes())
    party = create_peppol_internal_party(
        "PTE000002", cert("PTE000002"),
        AS4LocalPrivateKey(load_pem_private_key((pki / "PTE000002.key").read_bytes(), None)))
    return party, peppol_security_policy(cert("root"), intermediates=[cert("apca")])
