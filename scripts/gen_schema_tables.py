#!/usr/bin/env python3
"""Generates the schema cardinality tables of the rules crate from the official XSDs.

The official validation runs the XSD before the Schematron; a document with a 0..1 element
repeated fails there. The rules crate mirrors only that part of the XSD (rule id
POSTBODE-SCHEMA), so the tables hold, for each complex type reachable from a root element,
its child elements the schema allows at most once (and the children whose own children need
checking), each with the child's type. Elements are keyed by (namespace, local name) within
their parent's type: in UBL an element name has one type everywhere, in CII the same name can
have different types under different parents, so the checker tracks types from the root.

Inputs (read-only, never committed), given as paths on the command line, any order:
  UBL: UBL-Invoice-2.1.xsd, UBL-CreditNote-2.1.xsd, UBL-CommonAggregateComponents-2.1.xsd,
       UBL-CommonBasicComponents-2.1.xsd of the OASIS UBL 2.1 standard, the version EN 16931
       binds to (commit 69d9f20 "Release: UBL 2.1 (OASIS Standard)" of the UBL release package
       mirror).
       A later minor version (2.2 .. 2.5) would also do without false positives: UBL minor
       versions are backward compatible, they only add elements or relax cardinalities, so
       an element with maxOccurs 1 in 2.5 has maxOccurs 1 in 2.1 too (or does not exist in
       2.1, where any occurrence is invalid). But it misses the relaxed limits, and 2.5
       relaxed some invoices use (cac:Address/cbc:StreetName, cac:Item/cbc:Name), hence 2.1.
  CII: the four CrossIndustryInvoice_*_100pD16B.xsd of the EN 16931 "D16B SCRDM (Subset)"
       (CrossIndustryInvoice, ReusableAggregateBusinessInformationEntity,
       QualifiedDataType, UnqualifiedDataType).

Output (committed): crates/rules/src/generated/cardinality.rs

Run from the workspace root:
  G=/work/.mirror/kduvekot+ubl-release-package/repo; T=$(mktemp -d)
  for f in maindoc/UBL-Invoice-2.1.xsd maindoc/UBL-CreditNote-2.1.xsd \\
           common/UBL-CommonAggregateComponents-2.1.xsd common/UBL-CommonBasicComponents-2.1.xsd
  do git --git-dir=$G show 69d9f20:xsd/$f > $T/${f#*/}; done
  CII="/work/ref/ConnectingEurope+eInvoicing-EN16931/cii/schema/D16B SCRDM (Subset)/uncoupled clm/CII/uncefact/data/standard"
  python3 scripts/gen_schema_tables.py $T/*.xsd "$CII"/CrossIndustryInvoice_*.xsd
"""
import math
import pathlib
import subprocess
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "rules" / "src" / "generated" / "cardinality.rs"
XS = "http://www.w3.org/2001/XMLSchema"

# The document elements the checker starts from.
ROOT_ELEMENTS = [
    ("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "Invoice"),
    ("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", "CreditNote"),
    ("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100", "CrossIndustryInvoice"),
]


class Schemas:
    """Global element and complex type declarations of all inputs, by qualified name."""

    def __init__(self):
        self.elements = {}  # (ns, name) -> type qname, or None for a simple/anonymous leaf
        self.types = {}  # (ns, name) -> (xs:complexType node, tns, element form qualified)
        self.prefixes = {}  # ns -> prefix the schemas use for it (none for a default namespace)
        self.loaded = set()  # target namespaces read

    def load(self, path):
        scopes = []  # prefix maps, one per element, for QName resolution
        pending = {}
        for event, item in ET.iterparse(path, events=("start-ns", "start")):
            if event == "start-ns":
                prefix, uri = item
                pending[prefix] = uri
                if prefix:
                    self.prefixes[uri] = prefix
            else:
                scopes.append((item, dict(pending)))
                pending = {}
        schema = scopes[0][0]
        nsmap = {}
        for _, declared in scopes:
            # XSD files declare every prefix on the schema element; later redeclarations
            # would need real scoping, which these files do not use.
            for prefix, uri in declared.items():
                nsmap.setdefault(prefix, uri)
        tns = schema.get("targetNamespace")
        qualified = schema.get("elementFormDefault") == "qualified"

        def qname(text):
            prefix, _, local = text.rpartition(":")
            return (nsmap.get(prefix), local)

        self.loaded.add(tns)
        for child in schema:
            if child.tag == f"{{{XS}}}element":
                self.elements[(tns, child.get("name"))] = element_type(child, qname)
            elif child.tag == f"{{{XS}}}complexType":
                self.types[(tns, child.get("name"))] = (child, tns, qualified, qname)

    def children(self, type_name):
        """The child elements of a complex type: (ns, name) -> (type qname or None, maxOccurs)."""
        node, tns, qualified, qname = self.types[type_name]
        out = {}
        self._content(node, tns, qualified, qname, 1, out)
        return out

    def _content(self, node, tns, qualified, qname, factor, out):
        for part in node:
            tag = part.tag.removeprefix(f"{{{XS}}}")
            if tag in ("annotation", "attribute", "attributeGroup", "anyAttribute", "simpleContent"):
                continue
            if tag == "any":
                continue  # wildcards admit unknown elements, which the checker skips anyway
            if tag in ("sequence", "choice", "all"):
                self._content(part, tns, qualified, qname, factor * occurs(part), out)
            elif tag == "complexContent":
                for derivation in part:
                    if derivation.tag == f"{{{XS}}}extension":
                        self._content(self.types[qname(derivation.get("base"))][0],
                                      tns, qualified, qname, factor, out)
                        self._content(derivation, tns, qualified, qname, factor, out)
                    elif derivation.tag != f"{{{XS}}}annotation":
                        raise SystemExit(f"unsupported derivation {derivation.tag}")
            elif tag == "element":
                if part.get("ref"):
                    key = qname(part.get("ref"))
                    if key[0] in self.loaded and key not in self.elements:
                        raise SystemExit(f"unresolved element ref {part.get('ref')}")
                    # A namespace not given (UBL extensions, signatures): a leaf.
                    child_type = self.elements.get(key)
                else:
                    key = (tns if qualified else None, part.get("name"))
                    child_type = element_type(part, qname)
                limit = factor * occurs(part)
                if key in out:
                    # The same name twice in one content model: never judged "at most once".
                    previous, _ = out[key]
                    if previous != child_type:
                        raise SystemExit(f"{key} has two types in one content model")
                    limit = math.inf
                out[key] = (child_type, limit)
            else:
                raise SystemExit(f"unsupported content {part.tag}")


def occurs(node):
    value = node.get("maxOccurs", "1")
    return math.inf if value == "unbounded" else int(value)


def element_type(node, qname):
    if node.get("type"):
        return qname(node.get("type"))
    inline = node.find(f"{{{XS}}}complexType")
    if inline is not None and inline.find(f"{{{XS}}}simpleContent") is None:
        raise SystemExit(f"anonymous complex type with element content: {node.get('name')}")
    return None  # an anonymous simple type or simple content: no child elements


def constant(name):
    """`cac` -> `CAC`, `CreditNote` -> `CREDIT_NOTE`."""
    return "".join("_" + c if c.isupper() and i else c for i, c in enumerate(name)).upper()


def display(schemas, qname):
    prefix = schemas.prefixes.get(qname[0])
    return f"{prefix}:{qname[1]}" if prefix else qname[1]


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(schemas):
    roots = [(key, schemas.elements[key]) for key in ROOT_ELEMENTS]
    # Breadth-first from the roots: every complex type with element content gets an index.
    content = {}
    order = []
    queue = [t for _, t in roots]
    while queue:
        t = queue.pop(0)
        if t in content or t not in schemas.types:
            continue
        children = schemas.children(t)
        content[t] = children
        order.append(t)
        queue.extend(ct for ct, _ in children.values() if ct is not None)
    # A type matters when a child is allowed at most once or has a type that matters itself
    # (a fixpoint: types can nest recursively).
    matters = set()
    changed = True
    while changed:
        changed = False
        for t in order:
            if t not in matters and any(limit == 1 or ct in matters
                                        for ct, limit in content[t].values()):
                matters.add(t)
                changed = True
    with_elements = [t for t in order if t in matters]
    index = {t: i for i, t in enumerate(with_elements)}
    namespaces = sorted({ns for t in with_elements for (ns, _) in content[t]}
                        | {ns for (ns, _), _ in roots})
    root_names = {ns: name for (ns, name), _ in roots}
    const = {ns: constant(schemas.prefixes.get(ns) or root_names[ns]) for ns in namespaces}

    out = [
        "// @generated by scripts/gen_schema_tables.py from the UBL 2.1 and CII D16B (EN 16931 "
        "subset) XSDs. Do not edit.\n",
        "//! Which child elements each schema type allows at most once, for `POSTBODE-SCHEMA`.\n\n",
        "/// A child element declaration of a complex type.\n",
        "pub(crate) struct Child {\n",
        "    pub name: &'static str,\n",
        "    pub ns: &'static str,\n",
        "    /// Index in [`TYPES`] of the child's type, when it has child elements itself.\n",
        "    pub ty: Option<u16>,\n",
        "    /// The schema allows the child at most once in this parent.\n",
        "    pub once: bool,\n",
        "}\n\n",
        "const fn child(name: &'static str, ns: &'static str, ty: Option<u16>, once: bool) -> Child {\n",
        "    Child { name, ns, ty, once }\n}\n\n",
    ]
    for ns in namespaces:
        out.append(f"const {const[ns]}: &str = {rust_str(ns)};\n")
    out.append(f"\n/// Every namespace of [`TYPES`] and [`ROOTS`], sorted, with the prefix the schemas\n"
               f"/// use for it (none for the UBL document namespaces).\n"
               f"pub(crate) static PREFIXES: [(&str, &str); {len(namespaces)}] = [\n")
    for ns in namespaces:
        out.append(f"    ({const[ns]}, {rust_str(schemas.prefixes.get(ns, ''))}),\n")
    out.append("];\n\n")
    out.append("/// The document elements: (namespace, local name, index in [`TYPES`]).\n")
    out.append(f"pub(crate) static ROOTS: [(&str, &str, u16); {len(roots)}] = [\n")
    for (ns, name), t in roots:
        out.append(f"    ({const[ns]}, {rust_str(name)}, {index[t]}),\n")
    out.append("];\n\n")
    out.append("/// Each complex type's child elements that matter, sorted by (name, namespace) for\n"
               "/// binary search: those allowed at most once and those with element content.\n")
    out.append(f"pub(crate) static TYPES: [&[Child]; {len(with_elements)}] = [\n")
    for t in with_elements:
        out.append(f"    // {index[t]}: {display(schemas, t)}\n    &[\n")
        for (ns, name), (ct, limit) in sorted(content[t].items(), key=lambda kv: (kv[0][1], kv[0][0])):
            ty = index.get(ct)
            if limit != 1 and ty is None:
                continue
            ty_text = "None" if ty is None else f"Some({ty})"
            out.append(f"        child({rust_str(name)}, {const[ns]}, {ty_text}, "
                       f"{'true' if limit == 1 else 'false'}),\n")
        out.append("    ],\n")
    out.append("];\n")
    OUT.write_text("".join(out), encoding="utf-8")
    subprocess.run(["rustfmt", "--edition", "2024", str(OUT)], check=True)
    for family in ("urn:oasis", "urn:un"):
        types = [t for t in with_elements if t[0].startswith(family)]
        once = sum(limit == 1 for t in types for _, limit in content[t].values())
        print(f"{family}: {len(types)} types, {once} at-most-once children", file=sys.stderr)


def main(paths):
    if not paths:
        raise SystemExit(__doc__)
    schemas = Schemas()
    for path in paths:
        schemas.load(path)
    generate(schemas)


if __name__ == "__main__":
    main(sys.argv[1:])
