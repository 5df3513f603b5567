#!/usr/bin/env python3
"""Scores `factdiff batch --format json` grouping against a truth file.

Usage: grouping_quality.py REPORT.json TRUTH.jsonl
Truth lines carry {"id", "event"} (gen_archive.py's sidecar) or are `id<TAB>event` (gold.tsv).
Prints adjusted Rand index, B-cubed precision/recall/F1, and group sizes.
"""
import json
import sys
from collections import Counter, defaultdict
from math import comb


def load_truth(path):
    truth = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            if line.startswith("{"):
                r = json.loads(line)
                truth[r["id"]] = r["event"]
            else:
                i, e = line.split("\t")
                truth[i] = e
    return truth


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    truth = load_truth(sys.argv[2])
    pred = {}
    for ev in report["events"]:
        for d in ev["documents"]:
            pred[d] = ev["id"]
    ids = [i for i in truth if i in pred]
    n = len(ids)
    # Contingency table for ARI.
    table = Counter((pred[i], truth[i]) for i in ids)
    a = Counter(pred[i] for i in ids)
    b = Counter(truth[i] for i in ids)
    index = sum(comb(v, 2) for v in table.values())
    sa = sum(comb(v, 2) for v in a.values())
    sb = sum(comb(v, 2) for v in b.values())
    expected = sa * sb / comb(n, 2)
    ari = (index - expected) / ((sa + sb) / 2 - expected)
    # B-cubed.
    p = r = 0.0
    for i in ids:
        both = table[(pred[i], truth[i])]
        p += both / a[pred[i]]
        r += both / b[truth[i]]
    p, r = p / n, r / n
    f = 2 * p * r / (p + r)
    print(json.dumps({"articles": n, "missing": len(truth) - n, "ari": round(ari, 4),
                      "bcubed_precision": round(p, 4), "bcubed_recall": round(r, 4), "bcubed_f1": round(f, 4),
                      "groups": len(a), "true_events": len(b),
                      "largest_group": max(a.values()), "largest_true_event": max(b.values())}))


if __name__ == "__main__":
    main()
