"""An `xmlsec1` >= 1.3 stand-in for peppol-py, which encrypts by running that command and
Debian does not ship it: the one call peppol-py makes, done with the libxmlsec1 1.3 bundled in
the `xmlsec` wheel. Shared by the peppol-py drivers; test harness only.
"""
import sys
from pathlib import Path

# xmlsec1 --encrypt --pubkey-cert-pem CERT --session-key aes-128 --binary-data FILE
#         [--lax-key-search] TEMPLATE
_XMLSEC1 = '''
import sys
import xmlsec
from lxml import etree

args = sys.argv[1:]
value = lambda option: args[args.index(option) + 1]
manager = xmlsec.KeysManager()
manager.add_key(xmlsec.Key.from_file(value("--pubkey-cert-pem"), xmlsec.KeyFormat.CERT_PEM))
context = xmlsec.EncryptionContext(manager)
context.key = xmlsec.Key.generate(xmlsec.constants.KeyDataAes, 128, xmlsec.constants.KeyDataTypeSession)
with open(value("--binary-data"), "rb") as data:
    encrypted = context.encrypt_binary(etree.parse(args[-1]).getroot(), data.read())
sys.stdout.buffer.write(etree.tostring(encrypted))
'''


def write_xmlsec1(directory: Path) -> Path:
    """Writes the stand-in into `directory` as an executable `xmlsec1`; its path."""
    path = directory / "xmlsec1"
    path.write_text(f"#!{sys.executable}\n{_XMLSEC1}")
    path.chmod(0o755)
    return path
