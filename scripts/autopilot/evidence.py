#!/usr/bin/env python3
"""How far a supplier's own record can carry auto-posting: the evidence ceiling of issue 4.

The Autopilot may post a line by itself only when at least 99% of such lines are right. This
script asks the data, without any model, how many lines have evidence that strong. It runs the
rolling protocol of ../shared/autopilot/README.md (each administration's last six months, each
seen from the 24 months before it) and, for every test line, looks at the earlier lines of the
same supplier in the same administration. It prints, per group of administrations, how many
test lines each kind of evidence covers and how often the account that evidence names was right:

- the supplier's earlier lines all went to one account (at least n of them);
- its latest k lines in a row went to one account;
- the same amount to the cent came before at least twice, always to one account;
- amounts within 5% of this one came before at least five times, always to one account;
- the union of the same amount, the latest run and "ten or more earlier lines, all on one
  account", which is the strongest simple rule found (best k chosen on the test months
  themselves, so optimistic; adding the 5% amounts to it lowers its precision).

It also counts the lines no habit can predict: a supplier new to the administration, or an
account the supplier never used before.

Numbers chosen on the test months flatter the rules; they are a ceiling for gates built on this
evidence, not a method. Administrations named "Group: Entity" are reported under Group (the 20
TfL entities as one), others under their own name.

    python3 scripts/autopilot/evidence.py ../shared/autopilot/dev-postings.csv.gz
"""

import argparse
import bisect
import collections
import re
import sys

from postings import group_of, read, rolling

REQUIRED = ("administration", "date", "supplier", "amount", "account")
TEST_MONTHS = 6
WINDOW_MONTHS = 24
ALL_ONE_ACCOUNT = (1, 5, 10, 20, 40)
RUNS = (5, 10, 20)


def supplier_key(row):
    """As the engine keys a supplier: its id where published, else its name's words, upper-cased."""
    sid = (row.get("supplier_id") or "").strip()
    if sid:
        return "id:" + sid
    return "name:" + " ".join(w.upper() for w in re.findall(r"[^\W_]+", row["supplier"]))


class Slice:
    """Lines one kind of evidence covers, and how many of them it got right."""

    def __init__(self):
        self.covered = 0
        self.right = 0

    def add(self, predicted, actual):
        if predicted is not None:
            self.covered += 1
            self.right += predicted == actual


class Record:
    """A supplier's earlier lines in the window, summarised once per test month."""

    def __init__(self, history):
        """`history`: (amount, account) pairs, oldest first."""
        self.lines = len(history)
        self.accounts = {account for _, account in history}
        self.sole = next(iter(self.accounts)) if len(self.accounts) == 1 else None
        self.last = history[-1][1] if history else None
        self.run = 0
        for _, account in reversed(history):
            if account != self.last:
                break
            self.run += 1
        self.by_amount = collections.defaultdict(lambda: [0, set()])
        for amount, account in history:
            seen = self.by_amount[amount]
            seen[0] += 1
            seen[1].add(account)
        by_size = sorted((float(amount), account) for amount, account in history)
        self.sizes = [size for size, _ in by_size]
        # same_until[i]: the first position after i whose account differs, so that one look
        # tells whether a range of amounts went to a single account.
        self.same_until = [0] * len(by_size)
        for i in range(len(by_size) - 1, -1, -1):
            follows = i + 1 < len(by_size) and by_size[i + 1][1] == by_size[i][1]
            self.same_until[i] = self.same_until[i + 1] if follows else i + 1
        self.size_accounts = [account for _, account in by_size]

    def same_amount(self, amount):
        """The account of earlier lines with this exact amount: two or more, all on one."""
        count, accounts = self.by_amount.get(amount, (0, set()))
        return next(iter(accounts)) if count >= 2 and len(accounts) == 1 else None

    def similar_amount(self, amount, times=5):
        """The account of earlier lines within 5% of this amount: `times` or more, all on one."""
        x = float(amount)
        low, high = sorted((x * 0.95, x * 1.05))
        start = bisect.bisect_left(self.sizes, low - 0.01)
        end = bisect.bisect_right(self.sizes, high + 0.01)
        if end - start < times or self.same_until[start] < end:
            return None
        return self.size_accounts[start]


NO_RECORD = Record([])


def measure(rows):
    by_admin = collections.defaultdict(list)
    for row in rows:
        by_admin[row["administration"]].append(row)
    groups = collections.defaultdict(lambda: collections.defaultdict(Slice))
    for administration, admin_rows in by_admin.items():
        slices = groups[group_of(administration)]
        for _, window, tested in rolling(admin_rows, TEST_MONTHS, WINDOW_MONTHS):
            history = collections.defaultdict(list)
            for r in window:
                history[supplier_key(r)].append((r["amount"], r["account"]))
            records = {key: Record(history[key])
                       for key in {supplier_key(r) for r in tested} if key in history}
            for r in tested:
                e = records.get(supplier_key(r), NO_RECORD)
                amount = e.same_amount(r["amount"])
                actual = r["account"]
                slices["lines"].add(actual, actual)
                slices["new supplier"].add(actual if e.lines == 0 else None, actual)
                slices["account new to the supplier"].add(
                    actual if e.lines and actual not in e.accounts else None, actual)
                for n in ALL_ONE_ACCOUNT:
                    slices[f"all earlier lines on one account, {n}+"].add(
                        e.sole if e.lines >= n else None, actual)
                for k in RUNS:
                    slices[f"latest {k}+ lines in a row on one account"].add(
                        e.last if e.run >= k else None, actual)
                slices["same amount 2+ times, one account"].add(amount, actual)
                slices["amount within 5% 5+ times, one account"].add(
                    e.similar_amount(r["amount"]), actual)
                for k in RUNS:
                    union = amount or (e.last if e.run >= k else None) or (
                        e.sole if e.lines >= 10 else None)
                    slices[f"union (amount, run {k}+, 10+ all one)"].add(union, actual)
    return groups


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("postings", help="POSTINGS.csv(.gz) with the evaluation contract's columns")
    args = parser.parse_args()
    rows = read(args.postings)
    missing = [c for c in REQUIRED if rows and c not in rows[0]]
    if missing:
        print(f"evidence.py: {args.postings} lacks the columns {', '.join(missing)}",
              file=sys.stderr)
        return 2
    try:
        groups = measure(rows)
    except ValueError as e:
        print(f"evidence.py: {args.postings}: a date (YYYY-MM-DD) or amount does not read: {e}",
              file=sys.stderr)
        return 2
    for group, slices in sorted(groups.items()):
        total = slices["lines"].covered
        print(f"{group}: {total} test lines")
        for name, s in slices.items():
            if name == "lines":
                continue
            if name in ("new supplier", "account new to the supplier"):
                print(f"  {name:48s} {100 * s.covered / total:5.1f}% of lines")
                continue
            precision = 100 * s.right / s.covered if s.covered else 0.0
            print(f"  {name:48s} {100 * s.covered / total:5.1f}% of lines, right {precision:6.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
