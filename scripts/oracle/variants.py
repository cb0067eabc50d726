#!/usr/bin/env python3
"""Writes invoices again in other, equivalent XML forms, for differential testing.

The mutants of mutate.py change what a document says. These variants change only how it is
written, the way other senders' software writes the same invoice: other namespace prefixes,
namespaces declared on each element or as the default namespace, values in CDATA sections or
with character references, comments and processing instructions between and inside values.
A rule that reads names by prefix, or text by its first text node instead of the XPath string
value, gives another verdict on them than the official rules do.

Usage: python3 scripts/oracle/variants.py OUT FILE...

Each FILE gives one variant of each kind in OUT, named after the kind. The serialiser here is
our own, so that every choice is explicit; lxml only parses.
"""
import argparse
import pathlib
import re

from lxml import etree

KINDS = ["prefixes", "default-ns", "local-ns", "cdata", "charrefs", "comments"]
XML_NS = "http://www.w3.org/XML/1998/namespace"


def escape(text, attribute=False):
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return text.replace("\r", "&#13;")


def charrefs(text):
    """Every ASCII letter or digit written as a character reference, alternating decimal and hex."""
    out = []
    for i, c in enumerate(text):
        if c.isascii() and c.isalnum():
            out.append(f"&#{ord(c)};" if i % 2 else f"&#x{ord(c):X};")
        else:
            out.append(escape(c))
    return "".join(out)


class Writer:
    def __init__(self, kind, uris):
        self.kind = kind
        # One new prefix per namespace, none like the usual ones.
        self.prefix = {uri: f"n{i}" for i, uri in enumerate(sorted(uris))}
        self.prefix[XML_NS] = "xml"
        self.out = []

    def name(self, qname, scope_default):
        q = etree.QName(qname)
        if q.namespace is None:
            return q.localname
        if q.namespace == scope_default:
            return q.localname
        return f"{self.prefix[q.namespace]}:{q.localname}"

    def text(self, text, leaf):
        if not text:
            return
        if leaf and self.kind == "cdata" and "]]>" not in text:
            self.out.append(f"<![CDATA[{text}]]>")
        elif leaf and self.kind == "charrefs":
            self.out.append(charrefs(text))
        elif leaf and self.kind == "comments" and len(text) > 1:
            middle = len(text) // 2
            self.out.append(f"{escape(text[:middle])}<!-- split -->{escape(text[middle:])}<?split here?>")
        else:
            self.out.append(escape(text))

    def element(self, e, depth, default):
        if not isinstance(e.tag, str):
            self.out.append(etree.tostring(e, with_tail=False).decode())
            self.text(e.tail, False)
            return
        uri = etree.QName(e).namespace
        decls = []
        if self.kind == "default-ns" and uri is not None and uri != default:
            # Every element that changes namespace makes its own the default one.
            decls.append(f' xmlns="{uri}"')
            default = uri
        elif uri is None and default is not None:
            decls.append(' xmlns=""')
            default = None
        elif self.kind == "local-ns" and uri is not None and depth > 0:
            decls.append(f' xmlns:{self.prefix[uri]}="{uri}"')
        if depth == 0:
            if self.kind == "default-ns" and uri is not None and not decls:
                decls.append(f' xmlns="{uri}"')
                default = uri
            listed = [u for u in self.prefix if u != XML_NS]
            if self.kind == "local-ns":
                # Only what attributes and the root itself need; the rest is declared where used.
                listed = [u for u in listed if u == uri or any(etree.QName(a).namespace == u for a in e.attrib)]
            decls += [f' xmlns:{self.prefix[u]}="{u}"' for u in listed]
            # Namespace declarations whose prefixes appear in attribute values (xsi:type) are
            # not renamed by this writer; invoices do not use QName-valued content.
        attrs = []
        for k, v in e.attrib.items():
            q = etree.QName(k)
            name = q.localname if q.namespace is None else f"{self.prefix[q.namespace]}:{q.localname}"
            if q.namespace is not None and q.namespace != XML_NS and self.kind == "local-ns" and depth > 0:
                decls.append(f' xmlns:{self.prefix[q.namespace]}="{q.namespace}"')
            value = charrefs(v) if self.kind == "charrefs" else escape(v, True)
            attrs.append(f' {name}="{value}"')
        tag = self.name(e.tag, default)
        self.out.append(f"<{tag}{''.join(dict.fromkeys(decls))}{''.join(attrs)}")
        children = list(e)
        if not children and not e.text:
            self.out.append("/>")
        else:
            self.out.append(">")
            self.text(e.text, not children)
            if self.kind == "comments" and children:
                self.out.append("<!-- children -->")
            for c in children:
                self.element(c, depth + 1, default)
            self.out.append(f"</{tag}>")
        self.text(e.tail, False)


def variant(tree, kind):
    root = tree.getroot()
    uris = {etree.QName(e).namespace for e in root.iter() if isinstance(e.tag, str)}
    uris |= {etree.QName(a).namespace for e in root.iter() if isinstance(e.tag, str) for a in e.attrib}
    uris.discard(None)
    uris.discard(XML_NS)
    w = Writer(kind, uris)
    w.out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    w.element(root, 0, None)
    return "".join(w.out).encode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    written = 0
    for path in map(pathlib.Path, args.files):
        try:
            tree = etree.parse(str(path), parser)
        except etree.XMLSyntaxError:
            continue
        for kind in KINDS:
            # Saxon takes file names as URIs: spaces and brackets would need escaping.
            stem = re.sub(r"[^A-Za-z0-9_.-]", "_", path.stem)
            (out / f"{stem}.{kind}.xml").write_bytes(variant(tree, kind))
            written += 1
    print(f"{written} variants in {out}")


if __name__ == "__main__":
    main()
