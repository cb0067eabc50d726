#!/usr/bin/env python3
"""Writes the documents a profile-guided release build trains on, one file each, into OUT.

The training set is the official rule unit tests (every document cut out of the VEFA testSets
of ../shared/corpus) and the Peppol snippets. It leaves out, on purpose, the example invoices
that scripts/bench/validate_vs_saxon.py measures, so the benchmark does not run on the
documents the build was tuned with. The unit tests touch every rule family, valid and failing,
in both syntaxes, which is what a hub receives.

Usage: training_documents.py OUT
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

CORPUS = pathlib.Path(__file__).resolve().parents[3] / "shared" / "corpus"
VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
# The prefixes invoices use, so the written documents read like real ones (ElementTree would
# otherwise name them ns0, ns1 and so on).
PREFIXES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}


def unit_test_sets():
    yield from sorted((CORPUS / "en16931" / "test").glob("*-unit-UBL/*.xml"))
    yield from sorted((CORPUS / "en16931" / "test" / "cii").glob("*.xml"))
    yield from sorted((CORPUS / "peppol-bis" / "rules").glob("unit-*/*.xml"))


def documents(test_set):
    """The documents of one testSet: the element beside each test's assert."""
    for test in ET.parse(test_set).getroot().iter(VEFA + "test"):
        for child in test:
            if child.tag != VEFA + "assert":
                yield child


def main(out):
    for prefix, uri in PREFIXES.items():
        ET.register_namespace(prefix, uri)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for test_set in unit_test_sets():
        for n, document in enumerate(documents(test_set)):
            target = out / f"{test_set.parent.name}-{test_set.stem}-{n}.xml"
            ET.ElementTree(document).write(target, encoding="UTF-8", xml_declaration=True)
            written += 1
    for snippet in sorted((CORPUS / "peppol-bis" / "rules" / "snippets").glob("*.xml")):
        (out / f"snippet-{snippet.name}").write_bytes(snippet.read_bytes())
        written += 1
    if written == 0:
        sys.exit(f"training_documents: no documents under {CORPUS}")
    print(f"{written} training documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(pathlib.Path(sys.argv[1]))
