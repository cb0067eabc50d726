"""Canonicalizes XML with libxml2 (through lxml) for crates/peppol/tests/security.rs.

Reads a JSON list of cases from stdin: {"xml", "element" (index of the element in document
order), "exclusive" (bool), "prefixes" (InclusiveNamespaces PrefixList)}; writes the JSON list
of canonical forms.
"""
import json
import sys

from lxml import etree

results = []
for case in json.load(sys.stdin):
    root = etree.fromstring(case["xml"].encode("utf-8"))
    element = list(root.iter(tag=etree.Element))[case["element"]]
    canonical = etree.tostring(
        element,
        method="c14n",
        exclusive=case["exclusive"],
        with_comments=False,
        inclusive_ns_prefixes=case["prefixes"] or None,
    )
    results.append(canonical.decode("utf-8"))
json.dump(results, sys.stdout)
