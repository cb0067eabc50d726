#!/usr/bin/env python3
"""Baselines for the Autopilot (issue 4), run from the venv /work/main/.venv-autopilot.

Two methods, as ../shared/autopilot/README.md defines them:
  supplier  the supplier's most frequent account; confidence = its share;
  linear    smart_importer's method: a linear SVM on word 1-3-grams of supplier (weight 0.5) and
            description (0.8) plus the day of month (0.1); confidence = the top decision value.
One model per administration, as smart_importer keeps one per ledger.

  baseline.py predict  --method M --history H.csv --queries Q.csv --output P.csv
  baseline.py evaluate --postings POSTINGS.csv[.gz] [--months 6] [--target-precision 0.99]

`predict` follows the CLI contract of `postbode autopilot predict` (auto is always false: the
threshold needs a validation month). `evaluate` runs the rolling monthly protocol; each
administration's threshold is chosen on the month before its test window.
"""
import argparse
import collections
import csv
import sys
import time

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.svm import LinearSVC

from postings import group_of, read, rolling


def key(row):
    return row.get("supplier_id") or row["supplier"].strip().upper()


class Supplier:
    def fit(self, rows):
        self.counts = collections.defaultdict(collections.Counter)
        for r in rows:
            self.counts[key(r)][r["account"]] += 1
        return self

    def predict(self, rows):
        out = []
        for r in rows:
            c = self.counts.get(key(r))
            if not c:
                out.append(([], 0.0))
                continue
            top = c.most_common(3)
            out.append(([a for a, _ in top], top[0][1] / sum(c.values())))
        return out


class Linear:
    def _features(self, rows, fit):
        sup = [r["supplier"] for r in rows]
        desc = [r.get("description", "") or "" for r in rows]
        day = np.array([[int(r["date"][8:10])] for r in rows], dtype=float)
        if fit:
            self.vs = CountVectorizer(ngram_range=(1, 3), min_df=1)
            self.vd = CountVectorizer(ngram_range=(1, 3), min_df=1, token_pattern=r"(?u)\b\w+\b")
            xs = self.vs.fit_transform(sup)
            try:
                xd = self.vd.fit_transform(desc)
            except ValueError:  # no description words at all
                self.vd = None
                xd = sparse.csr_matrix((len(rows), 0))
        else:
            xs = self.vs.transform(sup)
            xd = self.vd.transform(desc) if self.vd is not None else sparse.csr_matrix((len(rows), 0))
        return sparse.hstack([0.5 * xs, 0.8 * xd, 0.1 * sparse.csr_matrix(day)]).tocsr()

    def fit(self, rows):
        y = [r["account"] for r in rows]
        self.single = y[0] if len(set(y)) == 1 else None
        if self.single is None:
            self.model = LinearSVC(dual="auto").fit(self._features(rows, True), y)
        return self

    def predict(self, rows):
        if self.single is not None:
            return [([self.single], 1.0) for _ in rows]
        d = self.model.decision_function(self._features(rows, False))
        if d.ndim == 1:  # two classes
            d = np.stack([-d, d], axis=1)
        classes = self.model.classes_
        out = []
        for row in d:
            order = np.argsort(-row)[:3]
            out.append(([classes[i] for i in order], float(row[order[0]])))
        return out


METHODS = {"supplier": Supplier, "linear": Linear}


def predict_by_admin(method, train, test):
    by_admin = collections.defaultdict(list)
    for r in train:
        by_admin[r["administration"]].append(r)
    models = {a: METHODS[method]().fit(rs) for a, rs in by_admin.items()}
    out = [None] * len(test)
    groups = collections.defaultdict(list)
    for i, r in enumerate(test):
        groups[r["administration"]].append(i)
    for a, idx in groups.items():
        preds = models[a].predict([test[i] for i in idx]) if a in models else [([], float("-inf"))] * len(idx)
        for i, p in zip(idx, preds):
            out[i] = p
    return out


def choose_threshold(scored, target):
    """Lowest threshold whose rows reach the target precision; None if none does."""
    best, n, right = None, 0, 0
    for conf, ok in sorted(scored, key=lambda x: -x[0]):
        n += 1
        right += ok
        if right / n >= target:
            best = conf
    return best


def evaluate(args):
    rows = read(args.postings)
    by_admin = collections.defaultdict(list)
    for r in rows:
        by_admin[r["administration"]].append(r)
    for method in ("supplier", "linear"):
        start = time.time()
        stats = {}
        for admin, rs in sorted(by_admin.items()):
            # The test months and, where there is one, the month before them for the threshold.
            months = list(rolling(rs, args.months + 1))
            val = len(months) > args.months
            s = stats[admin] = collections.Counter()
            threshold = None
            for i, (_, train, test) in enumerate(months):
                if not train:
                    preds = [([], float("-inf"))] * len(test)
                else:
                    preds = predict_by_admin(method, train, test)
                if val and i == 0:
                    threshold = choose_threshold([(c, bool(t) and t[0] == r["account"]) for (t, c), r in zip(preds, test)], args.target_precision)
                    continue
                for (top, conf), r in zip(preds, test):
                    ok = bool(top) and top[0] == r["account"]
                    s["rows"] += 1
                    s["top1"] += ok
                    s["top3"] += r["account"] in top[:3]
                    if threshold is not None and top and conf >= threshold:
                        s["auto"] += 1
                        s["auto_right"] += ok
        report(method, stats, time.time() - start)


def pct(n, d):
    return 100.0 * n / d if d else 0.0


def report(method, stats, seconds):
    print(f"baseline {method} ({seconds:.0f} s)")
    print(f"{'administration':<40} {'rows':>7} {'top-1':>7} {'top-3':>7} {'auto':>7} {'auto-prec':>9}")
    groups = collections.defaultdict(collections.Counter)
    for admin, s in stats.items():
        line(admin, s)
        groups[group_of(admin)].update(s)
        groups["micro-average"].update(s)
    for g, s in groups.items():
        line(f"[{g}]", s)
    print()


def line(name, s):
    print(f"{name[:40]:<40} {s['rows']:>7} {pct(s['top1'], s['rows']):>6.1f}% {pct(s['top3'], s['rows']):>6.1f}% "
          f"{pct(s['auto'], s['rows']):>6.1f}% {pct(s['auto_right'], s['auto']):>8.2f}%")


def predict(args):
    start = time.time()
    history, queries = read(args.history), read(args.queries)
    read_s = time.time() - start
    preds = predict_by_admin(args.method, history, queries)
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "account", "confidence", "auto", "top3"])
        for q, (top, conf) in zip(queries, preds):
            w.writerow([q["id"], top[0] if top else "", f"{conf:.4f}", "false", "|".join(top)])
    print(f"{args.method}: {len(history)} history lines, {len(queries)} queries: read {read_s:.2f} s, "
          f"trained and predicted {time.time() - start - read_s:.2f} s", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("predict")
    a.add_argument("--method", choices=METHODS, default="linear")
    a.add_argument("--history", required=True)
    a.add_argument("--queries", required=True)
    a.add_argument("--output", required=True)
    e = sub.add_parser("evaluate")
    e.add_argument("--postings", required=True)
    e.add_argument("--months", type=int, default=6)
    e.add_argument("--target-precision", type=float, default=0.99)
    args = p.parse_args()
    (predict if args.command == "predict" else evaluate)(args)


if __name__ == "__main__":
    main()
