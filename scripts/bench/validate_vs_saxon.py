#!/usr/bin/env python3
"""Validation throughput: Postbode next to the official Schematron in SaxonC-HE, in one run.

The official rules run as the official validation runs them: the EN 16931 XSLT the CEN
repository ships, and the Peppol BIS Schematron compiled to XSLT with the ISO skeleton, each
compiled once. Every document is parsed and transformed per iteration, as a validator does
for each incoming invoice. Postbode runs its `bench validate` command on the same files.

Usage (from the workspace root, after `cargo build --release`):
  python3 -m venv .venv-bench && .venv-bench/bin/pip install saxonche==13.1.1
  .venv-bench/bin/python scripts/bench/validate_vs_saxon.py \
      --en16931 PATH/eInvoicing-EN16931 --peppol PATH/peppol-bis-invoice-3 \
      --skeleton PATH/iso-schematron-xslt2 [--seconds 5] [--pairs 3]

The three paths are read-only checkouts of the official repositories (ConnectingEurope
eInvoicing-EN16931 @ validation-1.3.16, OpenPEPPOL peppol-bis-invoice-3 @ 3.0.19) and the
ISO Schematron XSLT 2 skeleton (iso_dsdl_include.xsl, iso_abstract_expand.xsl,
iso_svrl_for_xslt2.xsl). None of them is part of this repository.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

from saxonche import PySaxonProcessor

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
PEPPOL_BIS3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"


def example_files():
    """The valid example invoices of the official corpus: realistic, varied, UBL and CII."""
    folders = ["en16931/ubl/examples", "en16931/cii/examples", "en16931/test/testfiles",
               "peppol-bis/rules/examples", "peppol-bis/rules/national-examples"]
    files = []
    for folder in folders:
        files += sorted(p for p in (CORPUS / folder).iterdir() if p.suffix.lower() == ".xml")
    return files


def large_invoice(lines):
    """A Peppol BIS 3.0 invoice with `lines` lines whose totals add up (fictional parties)."""
    rows = []
    total = Decimal("0")
    for i in range(1, lines + 1):
        qty = Decimal(i % 5 + 1)
        price = Decimal("12.34") + Decimal(i % 7)
        amount = qty * price
        total += amount
        rows.append(f"""  <cac:InvoiceLine>
    <cbc:ID>{i}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">{qty}</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">{amount:.2f}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>Article {i}</cbc:Name>
      <cac:SellersItemIdentification><cbc:ID>ART-{i:06d}</cbc:ID></cac:SellersItemIdentification>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">{price:.2f}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
""")
    tax = (total * Decimal("0.21")).quantize(Decimal("0.01"))
    party = """<cac:Party>
      <cbc:EndpointID schemeID="0106">{kvk}</cbc:EndpointID>
      <cac:PostalAddress><cbc:StreetName>Kade 1</cbc:StreetName><cbc:CityName>Utrecht</cbc:CityName><cbc:PostalZone>3511 AA</cbc:PostalZone><cac:Country><cbc:IdentificationCode>NL</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
      <cac:PartyTaxScheme><cbc:CompanyID>{vat}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName><cbc:CompanyID schemeID="0106">{kvk}</cbc:CompanyID></cac:PartyLegalEntity>
    </cac:Party>"""
    seller = party.format(kvk="12345678", vat="NL123456789B01", name="Voorbeeld Leverancier B.V.")
    buyer = party.format(kvk="87654321", vat="NL987654321B01", name="Voorbeeld Afnemer B.V.")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>{PEPPOL_BIS3}</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>BENCH-{lines}</cbc:ID>
  <cbc:IssueDate>2026-11-01</cbc:IssueDate>
  <cbc:DueDate>2026-12-01</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>PO-4711</cbc:BuyerReference>
  <cac:AccountingSupplierParty>{seller}</cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>{buyer}</cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">{tax:.2f}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">{total:.2f}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">{tax:.2f}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{total:.2f}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{total:.2f}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{total + tax:.2f}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">{total + tax:.2f}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
{"".join(rows)}</Invoice>
"""


class Saxon:
    """The official rules, compiled once."""

    def __init__(self, args, work):
        self.proc = PySaxonProcessor(license=False)
        self.xslt = self.proc.new_xslt30_processor()
        en = pathlib.Path(args.en16931)
        self.sheets = {
            "en16931-ubl": self.compile(en / "ubl/xslt/EN16931-UBL-validation.xslt"),
            "en16931-cii": self.compile(en / "cii/xslt/EN16931-CII-validation.xslt"),
        }
        for syntax in ("UBL", "CII"):
            sch = pathlib.Path(args.peppol) / f"rules/sch/PEPPOL-EN16931-{syntax}.sch"
            xslt = self.schematron_to_xslt(sch, pathlib.Path(args.skeleton), work / f"peppol-{syntax}.xslt")
            self.sheets[f"peppol-{syntax.lower()}"] = self.compile(xslt)

    def compile(self, path):
        return self.xslt.compile_stylesheet(stylesheet_file=str(path))

    def schematron_to_xslt(self, sch, skeleton, out):
        """The ISO skeleton's three steps: includes, abstract patterns, then XSLT."""
        current = sch
        for i, step in enumerate(["iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt2.xsl"]):
            target = out if i == 2 else out.with_suffix(f".step{i}.xml")
            sheet = self.xslt.compile_stylesheet(stylesheet_file=str(skeleton / step))
            sheet.transform_to_file(source_file=str(current), output_file=str(target))
            current = target
        return out

    def plan(self, path):
        text = path.read_text(encoding="utf-8", errors="replace")
        syntax = "cii" if "CrossIndustryInvoice" in text[:2000] else "ubl"
        sheets = [self.sheets[f"en16931-{syntax}"]]
        if PEPPOL_BIS3 in text[:4000]:
            sheets.append(self.sheets[f"peppol-{syntax}"])
        return sheets

    def run(self, files, seconds):
        plans = [(str(p), self.plan(p)) for p in files]
        for path, sheets in plans:  # warm-up
            self.validate(path, sheets)
        start, done = time.perf_counter(), 0
        while done == 0 or time.perf_counter() - start < seconds:
            for path, sheets in plans:
                self.validate(path, sheets)
            done += 1
        elapsed = time.perf_counter() - start
        return {"documents": len(plans), "rounds": done, "seconds": round(elapsed, 4),
                "documents_per_second": round(done * len(plans) / elapsed, 1)}

    def validate(self, path, sheets):
        node = self.proc.parse_xml(xml_file_name=path)
        for sheet in sheets:
            sheet.transform_to_string(xdm_node=node)


def postbode(binary, files, seconds):
    out = subprocess.run([str(binary), "bench", "validate", "--seconds", str(seconds), *map(str, files)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def side_by_side(binary, saxon, files, seconds, pairs):
    """Runs Postbode and Saxon `pairs` times in turn on `files`; the median documents/s of each.

    The machine is shared and its speed drifts within minutes, so a single pair can land one
    side in a slow spell; alternating, and taking each side's median, evens that out. Every
    pair's own ratio is kept to show the spread.
    """
    ours, theirs = [], []
    for _ in range(pairs):
        ours.append(postbode(binary, files, seconds))
        theirs.append(saxon.run(files, seconds))
    def rate(runs):
        return statistics.median(r["documents_per_second"] for r in runs)

    ratios = [o["documents_per_second"] / t["documents_per_second"] for o, t in zip(ours, theirs)]
    return rate(ours), rate(theirs), ratios, ours[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--en16931", required=True)
    ap.add_argument("--peppol", required=True)
    ap.add_argument("--skeleton", required=True)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--pairs", type=int, default=3, help="alternating runs of each side; medians are reported")
    ap.add_argument("--binary", default=str(ROOT / "target/release/postbode"))
    ap.add_argument("--large", default="100,1000,3000", help="line counts run on both sides")
    ap.add_argument("--large-postbode-only", default="10000,100000", help="line counts run on Postbode only")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp)
        saxon = Saxon(args, work)
        files = example_files()
        print(f"corpus examples: {len(files)} files, {sum(p.stat().st_size for p in files)} bytes")
        ours, theirs, ratios, _ = side_by_side(args.binary, saxon, files, args.seconds, args.pairs)
        spread = ", ".join(f"{r:.1f}x" for r in ratios)
        print(f"  saxon    {theirs:>12.1f} documents/s (median of {args.pairs})")
        print(f"  postbode {ours:>12.1f} documents/s (median of {args.pairs})   ratio {ours / theirs:.1f}x   pairs: {spread}")

        for n in [int(x) for x in args.large.split(",") if x]:
            path = work / f"large-{n}.xml"
            path.write_text(large_invoice(n), encoding="utf-8")
            ours, theirs, ratios, last = side_by_side(args.binary, saxon, [path], args.seconds, args.pairs)
            spread = ", ".join(f"{r:.0f}x" for r in ratios)
            print(f"{n:>7} lines ({path.stat().st_size / 1e6:.1f} MB): saxon {1000 / theirs:.1f} ms, "
                  f"postbode {1000 / ours:.2f} ms, ratio {ours / theirs:.1f}x (pairs: {spread}), invalid={last['invalid']}")
        for n in [int(x) for x in args.large_postbode_only.split(",") if x]:
            ubl = work / f"large-{n}.xml"
            ubl.write_text(large_invoice(n), encoding="utf-8")
            cii = work / f"large-{n}.cii.xml"
            subprocess.run([args.binary, "convert", "--to", "cii", str(ubl), str(cii)], check=True)
            for syntax, path in (("UBL", ubl), ("CII", cii)):
                # One validation in a fresh process: the peak RSS is that of one document.
                ours = postbode(args.binary, [path], 0)
                print(f"{n:>7} lines {syntax} ({path.stat().st_size / 1e6:.1f} MB): postbode "
                      f"{ours['seconds'] * 1000:.0f} ms, peak RSS {ours['peak_rss_mib']} MiB, invalid={ours['invalid']}")


if __name__ == "__main__":
    sys.exit(main())
