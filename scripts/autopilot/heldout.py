#!/usr/bin/env python3
"""Builds a held-out evaluation set for the Autopilot from organisations that are not in the
development data.

The development postings (../shared/autopilot/) hold Transport for London and Oxford. Issue 4
says the Autopilot will also be measured on other organisations' data, so a design choice is
only kept if it also holds on organisations it was never tuned on. The same public collection
the TfL postings came from (odileeds/council-spending-data, "spending over £500" under the UK
Open Government Licence) has other public bodies that publish an expense type per payment; this
script maps their files onto the development data's columns.

The collection is read from a local git mirror (the hub's `fetch` tool, or `git clone`); nothing
of it is copied into this repository. The output goes where OUT says, gzipped.

    python3 scripts/autopilot/heldout.py --git-dir /work/.mirror/odileeds+council-spending-data/repo \
        --out /work/heldout/postings.csv.gz

Each organisation is one administration. Its own expense type is the account to predict. Where
a body publishes a free-text narrative or a procurement classification, that is the description:
it is what an invoice line would say.
"""

import argparse
import csv
import gzip
import io
import re
import subprocess
import sys
from decimal import Decimal, InvalidOperation

# Organisation: (directory, account columns, supplier columns, date columns, amount columns,
# supplier-id columns, description columns). The first column present in a file's header wins.
ORGANISATIONS = {
    "Cabinet Office": (
        "cabinetoffice/clean", ["Expense Type"], ["Supplier"], ["Date"], ["Amount"], [], []),
    "Bradford": (
        "bradford", ["Expenditure category"], ["Supplier Name"], ["Payment date"],
        ["Net Amount"], ["Supplier Number"], []),
    "Manchester": (
        "manchester/clean", ["Expenses Type"], ["Supplier Name"], ["Invoice Payment Date"],
        ["Net Amount", "Amount"], [], []),
    "Harrogate": (
        "harrogate/clean", ["Expenditure Code(T)", "Expenditure Code"],
        ["Supplier Name(T)", "Supplier Name"], ["Payment Date", "Payment date"], ["Net Amount"],
        [], ["Narrative"]),
    "Greater London Authority": (
        "london/clean", ["Expenditure Account Code Description"], ["Vendor Name"],
        ["Clearing Date"], ["Amount"], ["Vendor ID"], []),
    "Gateshead": (
        "gateshead/clean", ["Cipfsubs(T)"], ["Supplier ID(T)", "Supplier id(T)"], ["Updated"],
        ["Amount"], [], []),
    "Darlington": (
        "darlington/clean", ["Account"], ["Supplier"], ["Transaction Date", "Date"],
        ["Invoice Line Value (net of VAT)"], [], []),
    "North Tyneside": (
        "northtyneside/clean", ["Purpose of Spend", "SeRCOP Detailed Expenditure Type"],
        ["Supplier (Beneficiary) Name", "Supplier Name"], ["Payment Date"],
        ["Net Amount", "Amount"], ["Local Supplier Internal Reference", "Supplier ID"],
        ["Procurement Classification", "Classification"]),
    "Calderdale": (
        "calderdale/clean", ["Expense Type"],
        ["Supplier(Beneficiary) Name", "Supplier Name"], ["Date", "Transaction Date"],
        ["Net Amount", "Amount"], ["Supplier ID"], ["Extended Description"]),
}

DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# "Redacted Personal Data", "REDACED PERSONAL DATA", "Withheld": payees the body did not name.
# Not "personal" alone, which real firms carry ("Personal Care Consultants Ltd").
REDACTED = re.compile(r"\bredac|withheld", re.IGNORECASE)


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True).stdout


def first(header, names):
    """The column of the first of `names` in the header. A name given twice (a code column and
    then its label, both called "Expenditure Code") means its last occurrence: the label."""
    for n in names:
        if n in header:
            return len(header) - 1 - header[::-1].index(n)
    return None


def amount(text):
    cleaned = text.replace("£", "").replace(",", "").strip()
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() else None


def rows_of(git_dir, name, spec):
    directory, account, supplier, date, value, supplier_id, description = spec
    listing = git(git_dir, "ls-tree", "-r", "HEAD", directory).decode().splitlines()
    blobs = set()
    for entry in listing:
        meta, path = entry.split("\t", 1)
        blob = meta.split()[2]
        # Some months are published twice under two names, byte for byte the same.
        if not path.lower().endswith(".csv") or "processed" in path or blob in blobs:
            continue
        blobs.add(blob)
        try:
            raw = git(git_dir, "show", f"HEAD:{path}")
        except subprocess.CalledProcessError:
            continue  # listed but not in the snapshot
        text = raw.decode("utf-8-sig", errors="replace")
        reader = csv.reader(io.StringIO(text))
        # Some headers start with a byte-order mark that was encoded twice upstream.
        header = [h.strip().lstrip("\ufeff").lstrip("ï»¿") for h in next(reader, [])]
        cols = [first(header, c) for c in (account, supplier, date, value)]
        if None in cols:
            continue
        sid, desc = first(header, supplier_id), first(header, description)
        for rec in reader:
            get = lambda i: rec[i].strip() if i is not None and i < len(rec) else ""
            acc, sup, day, amt = (get(i) for i in cols)
            m = DATE.match(day)
            value_ = amount(amt)
            if not acc or not sup or not m or value_ is None or REDACTED.search(sup):
                continue
            if not "2009" <= m.group(1) <= "2023":
                continue  # a few files carry impossible years (2026 among 2022's payments)
            ident = get(sid)
            if ident.upper() in ("ONETIME", "N/A", "#N/A"):
                ident = ""
            yield (name, m.group(0), sup, ident, get(desc), f"{value_}", acc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--git-dir", required=True, help="mirror of odileeds/council-spending-data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--months", type=int, default=31, help="latest months kept per organisation")
    ap.add_argument("--only", nargs="*", help="organisations to include (default: all)")
    args = ap.parse_args()
    unknown = set(args.only or []) - ORGANISATIONS.keys()
    if unknown:
        ap.error(f"unknown organisations: {', '.join(sorted(unknown))}; "
                 f"known: {', '.join(ORGANISATIONS)}")
    out = []
    for name, spec in ORGANISATIONS.items():
        if args.only and name not in args.only:
            continue
        rows = sorted(rows_of(args.git_dir, name, spec), key=lambda r: r[1])
        if not rows:
            print(f"{name}: no postings found in {spec[0]} (another snapshot?)", file=sys.stderr)
            continue
        # The rolling protocol reads 24 months before the first of 6 test months, and the
        # baselines choose their threshold on one month before that: older rows only cost time.
        months = sorted({r[1][:7] for r in rows})[-args.months:]
        rows = [r for r in rows if r[1][:7] >= months[0]]
        print(f"{name}: {len(rows)} postings", file=sys.stderr)
        out.extend(rows)
    with gzip.open(args.out, "wt", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["administration", "date", "supplier", "supplier_id", "description",
                    "amount", "account"])
        w.writerows(out)


if __name__ == "__main__":
    main()
