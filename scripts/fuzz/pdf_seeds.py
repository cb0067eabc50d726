#!/usr/bin/env python3
"""Seeds for the `pdf` fuzz target: small Factur-X files around one CII example of the corpus.

The corpus beside the checkout holds no PDF, and an unseeded run spends its time on PDF syntax
the extractor refuses early. Three seeds reach the extraction paths: the XML embedded as a plain
stream, deflated, and listed only in the EmbeddedFiles name tree (no `/AF` array).

Usage (from the workspace root): python3 scripts/fuzz/pdf_seeds.py fuzz/corpus/pdf
"""
import pathlib
import sys
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT.parent / "shared" / "corpus" / "en16931" / "cii" / "examples" / "CII_example6.xml"


def factur_x(xml, deflate, af):
    """A one-page PDF whose catalogue embeds `xml` as factur-x.xml."""
    data = zlib.compress(xml) if deflate else xml
    stream_filter = b"/Filter /FlateDecode " if deflate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 5 0 R] >> >>"
        + (b" /AF [5 0 R]" if af else b"") + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Type /EmbeddedFile /Subtype /text#2Fxml " + stream_filter + b"/Length "
        + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream",
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data"
        b" /EF << /F 4 0 R /UF 4 0 R >> >>",
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "fuzz/corpus/pdf")
    out.mkdir(parents=True, exist_ok=True)
    xml = EXAMPLE.read_bytes()
    for name, deflate, af in [("plain", False, True), ("flate", True, True), ("noaf", False, False)]:
        (out / f"{name}.pdf").write_bytes(factur_x(xml, deflate, af))
    print(f"3 seeds in {out}")


if __name__ == "__main__":
    main()
