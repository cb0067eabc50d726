#!/usr/bin/env python3
"""Makes mutants of valid invoices for differential testing against the official rules.

Each mutant applies one small, realistic mistake to one element of a valid example: the
element removed, duplicated or emptied, a number changed, a code changed, an attribute
removed or changed. The mutants are written to OUT/ with the mutation in the file name.

Usage: python3 scripts/oracle/mutate.py --per-file 40 --seed 1 [--depth 2] [--more | --transplant] OUT FILE...

With --depth 2 each mutant gets two mutations (mutants of mutants). The seed and depth are part
of the file name, so runs with several seeds can share one OUT folder.
"""
import argparse
import copy
import pathlib
import random
import re

from lxml import etree

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
CODE = re.compile(r"^[A-Z0-9]{1,4}$")


KINDS = ["remove", "duplicate", "empty", "number", "code", "attribute"]
# Mistakes of real senders in the text of a value: whitespace around it (a no-break space is not
# XML whitespace), dates in the wrong form or impossible, explicit signs. Separate from KINDS, so
# that the seeds of earlier rounds still make the same mutants.
MORE = ["pad", "date", "sign"]
DATE = re.compile(r"^\d{4}-?\d{2}-?\d{2}$")
# Values moved between documents: an element (or attribute) gets a value that an element (or
# attribute) of the same name has in another input file, so categories, rates, schemes,
# countries and codes meet combinations that real invoices have, one at a time.
TRANSPLANT = ["transplant"]


def value_pool(trees):
    """Per element local name and per attribute name, the values the inputs give them."""
    texts, attributes = {}, {}
    for tree in trees:
        for e in tree.iter():
            if not isinstance(e.tag, str):
                continue
            if len(e) == 0 and e.text and e.text.strip():
                texts.setdefault(etree.QName(e).localname, set()).add(e.text)
            for k, v in e.attrib.items():
                attributes.setdefault(k, set()).add(v)
    return ({k: sorted(v) for k, v in texts.items()}, {k: sorted(v) for k, v in attributes.items()})


def mutate(tree, rng, kinds, pool=None):
    elements = [e for e in tree.iter() if isinstance(e.tag, str) and e.getparent() is not None]
    e = rng.choice(elements)
    local = etree.QName(e).localname
    text = (e.text or "").strip()
    kind = rng.choice(kinds)
    if kind == "transplant":
        texts, attributes = pool
        if e.attrib and rng.random() < 0.3:
            name = rng.choice(sorted(e.attrib))
            others = [v for v in attributes.get(name, []) if v != e.attrib[name]]
            if not others:
                return None
            e.attrib[name] = rng.choice(others)
            return f"transplant-{local}@{name}"
        others = [v for v in texts.get(local, []) if v != e.text]
        if len(e) or not text or not others:
            return None
        e.text = rng.choice(others)
    elif kind == "pad" and len(e) == 0 and text:
        e.text = rng.choice([" " + text, text + " ", "\n  " + text + "\n", "\t" + text, text + "\u00a0", "\u00a0" + text])
    elif kind == "date" and DATE.match(text):
        e.text = rng.choice(["2024-02-30", "2024-13-01", "24-01-01", "2024-1-1", "20240230", text + "Z", text + "T00:00:00", text.replace("-", "")])
    elif kind == "sign" and NUMBER.match(text):
        e.text = rng.choice(["+" + text, "-" + text.lstrip("-"), "- " + text, text + "-"])
    elif kind in MORE:
        return None
    elif kind == "remove":
        e.getparent().remove(e)
    elif kind == "duplicate":
        e.addnext(copy.deepcopy(e))
    elif kind == "empty" and len(e) == 0:
        e.text = ""
    elif kind == "number" and NUMBER.match(text):
        e.text = rng.choice([str(float(text) + 0.01), text + "1", "-" + text, text + ".001", "1e3", "abc"])
    elif kind == "code" and CODE.match(text):
        e.text = rng.choice(["XX", "ZZZ", "S", "E", "AE", "380", "381", "58", "VAT", "EUR", text.lower(), " " + text])
    elif kind == "attribute" and e.attrib:
        name = rng.choice(list(e.attrib))
        if rng.random() < 0.5:
            del e.attrib[name]
        else:
            e.attrib[name] = rng.choice(["XX", "0088", "9944", "EUR", "USD", "C62", ""])
    else:
        return None
    return f"{kind}-{local}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-file", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--depth", type=int, default=1, help="mutations applied to each mutant (2 = mutants of mutants)")
    ap.add_argument("--more", action="store_true", help="also pad values with whitespace, break dates and add signs")
    ap.add_argument("--transplant", action="store_true",
                    help="give values that elements of the same name have in the other inputs "
                         "(only that, or among the other kinds with --more)")
    ap.add_argument("out")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    made = 0
    pool = value_pool(etree.parse(f, parser) for f in args.files) if args.transplant else None
    for f in args.files:
        source = etree.parse(f, parser)
        # The folder keeps examples of the same name from different folders apart.
        path = pathlib.Path(f)
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", f"{path.parent.name}_{path.stem}")
        tries = 0
        done = 0
        while done < args.per_file and tries < args.per_file * 5:
            tries += 1
            tree = copy.deepcopy(source)
            kinds = KINDS + MORE if args.more else KINDS
            if args.transplant:
                kinds = kinds + TRANSPLANT if args.more else TRANSPLANT
            steps = [mutate(tree, rng, kinds, pool) for _ in range(args.depth)]
            if None in steps:
                continue
            what = "+".join(steps)
            done += 1
            tree.write(str(out / f"{stem}--s{args.seed}d{args.depth}-{done:03d}-{what}.xml"), xml_declaration=True, encoding="UTF-8")
            made += 1
    print(f"{made} mutants in {out}")


if __name__ == "__main__":
    main()
