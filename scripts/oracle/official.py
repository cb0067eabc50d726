#!/usr/bin/env python3
"""The official verdicts for invoice files, for differential testing against `postbode validate`.

Runs the official EN 16931 XSLT and the Peppol BIS / SI-UBL Schematron (compiled with the ISO
skeleton) in SaxonC-HE and prints one JSON line per file in the shape of
`postbode validate --format json` (rule, severity; no message or location), so the two can be
compared with `scripts/oracle/compare.py`.

Usage:
  .venv-bench/bin/python scripts/oracle/official.py --en16931 DIR --peppol DIR --siubl DIR \
      --skeleton DIR FILE... > official.jsonl

The directories are read-only checkouts of the official repositories (see docs/PERFORMANCE.md);
nothing from them is part of this repository.
"""
import argparse
import json
import pathlib
import sys
import tempfile

from saxonche import PySaxonProcessor

PEPPOL_BIS3 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
SI_UBL_2 = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
SVRL = "http://purl.oclc.org/dsdl/svrl"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--en16931", required=True)
    ap.add_argument("--peppol", required=True)
    ap.add_argument("--siubl")
    ap.add_argument("--skeleton", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    proc = PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    work = pathlib.Path(tempfile.mkdtemp())

    def sch(path, name):
        current = pathlib.Path(path)
        for i, step in enumerate(["iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt2.xsl"]):
            target = work / f"{name}.{i}.xsl"
            sheet = xslt.compile_stylesheet(stylesheet_file=str(pathlib.Path(args.skeleton) / step))
            sheet.transform_to_file(source_file=str(current), output_file=str(target))
            current = target
        return xslt.compile_stylesheet(stylesheet_file=str(current))

    en = pathlib.Path(args.en16931)
    sheets = {
        ("en", "ubl"): xslt.compile_stylesheet(stylesheet_file=str(en / "ubl/xslt/EN16931-UBL-validation.xslt")),
        ("en", "cii"): xslt.compile_stylesheet(stylesheet_file=str(en / "cii/xslt/EN16931-CII-validation.xslt")),
        ("peppol", "ubl"): sch(pathlib.Path(args.peppol) / "rules/sch/PEPPOL-EN16931-UBL.sch", "peppol-ubl"),
        ("peppol", "cii"): sch(pathlib.Path(args.peppol) / "rules/sch/PEPPOL-EN16931-CII.sch", "peppol-cii"),
    }
    if args.siubl:
        # The SI-UBL repository ships its rules compiled (CEN rules included).
        sheets[("siubl", "ubl")] = xslt.compile_stylesheet(stylesheet_file=str(pathlib.Path(args.siubl) / "xsl/si-ubl-2.0.xsl"))

    detect = proc.new_xpath_processor()
    for f in args.files:
        findings, error = [], None
        try:
            node = proc.parse_xml(xml_file_name=f)
            # The rule sets follow the parsed root and specification identifier (BT-24), not
            # the raw text: a value may be written with character references or split by a
            # comment, and the official validators read it as XML.
            detect.set_context(xdm_item=node)
            root = detect.evaluate_single("local-name(/*)").get_string_value()
            syntax = "cii" if root == "CrossIndustryInvoice" else "ubl"
            path = ("/*/*[local-name()='ExchangedDocumentContext']/*[local-name()='GuidelineSpecifiedDocumentContextParameter']/*[local-name()='ID']"
                    if syntax == "cii" else "/*/*[local-name()='CustomizationID']")
            spec = detect.evaluate_single(f"string(({path})[1])").get_string_value().strip()
            sets = ["en"]
            if spec.startswith(PEPPOL_BIS3):
                sets.append("peppol")
            if spec.startswith(SI_UBL_2) and syntax == "ubl" and ("siubl", "ubl") in sheets:
                sets.append("siubl")
            for s in sets:
                out = sheets[(s, syntax)].transform_to_string(xdm_node=node)
                svrl = proc.parse_xml(xml_text=out)
                xp = proc.new_xpath_processor()
                xp.set_context(xdm_item=svrl)
                xp.declare_namespace("svrl", SVRL)
                for item in xp.evaluate("//svrl:failed-assert | //svrl:successful-report") or []:
                    n = item.get_node_value() if hasattr(item, "get_node_value") else item
                    rid, flag = n.get_attribute_value("id"), n.get_attribute_value("flag")
                    findings.append({"rule": rid, "severity": "warning" if flag == "warning" else "fatal", "set": s})
        except Exception as e:  # Saxon's dynamic errors reject the document, as in the official runs
            error = str(e).splitlines()[0] if str(e) else type(e).__name__
        valid = error is None and all(x["severity"] != "fatal" for x in findings)
        print(json.dumps({"file": f, "valid": valid, "error": error, "findings": findings}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
