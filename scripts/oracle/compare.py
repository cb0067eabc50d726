#!/usr/bin/env python3
"""Compares `postbode validate --format json` with the official verdicts (official.py).

Usage: python3 scripts/oracle/compare.py OURS.jsonl OFFICIAL.jsonl

Per file it compares the verdict (valid or not) and the sets of fatal and warning rule ids.
A file on which Saxon raised a dynamic error counts as rejected by the official rules; only
the verdict is compared there. Prints the disagreements grouped by rule id and exits 1 when
there are any.
"""
import collections
import json
import sys


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            out[d["file"]] = d
    return out


def ids(d, severity):
    return {f["rule"] for f in d["findings"] if f["severity"] == severity}


def main():
    ours, theirs = load(sys.argv[1]), load(sys.argv[2])
    verdicts = 0
    verdicts_on_errors = 0
    by_rule = collections.Counter()
    examples = {}
    for name, official in theirs.items():
        mine = ours.get(name)
        if mine is None:
            continue
        if mine["valid"] != official["valid"]:
            verdicts += 1
            if official.get("error"):
                verdicts_on_errors += 1
            else:
                examples.setdefault("verdict", name)
        if official.get("error"):
            continue
        for severity in ("fatal", "warning"):
            for rule in ids(mine, severity) ^ ids(official, severity):
                side = "only ours" if rule in ids(mine, severity) else "only official"
                key = f"{rule} ({severity}, {side})"
                by_rule[key] += 1
                examples.setdefault(key, name)
    errors = sum(1 for d in theirs.values() if d.get("error"))
    print(
        f"{len(theirs)} files ({errors} with a Saxon error), {verdicts} verdicts differ "
        f"({verdicts - verdicts_on_errors} without a Saxon error), "
        f"{sum(by_rule.values())} rule differences (files without a Saxon error)"
    )
    for key, n in by_rule.most_common():
        print(f"  {n:5d}  {key}   e.g. {examples[key]}")
    if "verdict" in examples:
        print(f"  first verdict difference without a Saxon error: {examples['verdict']}")
    return 1 if verdicts or by_rule else 0


if __name__ == "__main__":
    sys.exit(main())
