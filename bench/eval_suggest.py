"""Evaluation: clause suggestion on inspector-written hazard descriptions.

    .venv/bin/python bench/eval_suggest.py [--set bench/eval_suggest_set.jsonl] [--no-sector] [--sweep] [-v]

The set holds one JSON object per line: {"text", "sector", "codes"}; `codes` lists the clauses a correct
suggestion may name (several when the catalogue holds the same situation twice, e.g. the 2022 and 2024 editions),
and is empty for an ordinary hazard, which should get no suggestion. Prints top-1 / top-3 accuracy on the
major-hazard lines, the share of ordinary hazards left alone, and the p50 / p95 latency of one suggestion.
The index is built from the shipped catalogue file (no database), with the same code the API uses.

Targets: top-3 ≥ 80 %, ordinary left alone ≥ 70 %, p95 ≤ 100 ms.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

DEFAULT_SET = Path(__file__).with_name("eval_suggest_set.jsonl")


def evaluate(index, rows, use_sector=True, min_coverage=None, verbose=False):
    from anjian.hazards.criteria import suggest as sg

    threshold = sg.MIN_COVERAGE if min_coverage is None else min_coverage
    top1 = top3 = majors = left_alone = ordinary = 0
    latencies = []
    for row in rows:
        start = time.perf_counter()
        results = index.search(
            row["text"], sector=row["sector"] if use_sector else "", min_coverage=threshold
        )
        latencies.append((time.perf_counter() - start) * 1000)
        codes = [e.code for _, e in results]
        if row["codes"]:
            majors += 1
            hit1 = bool(codes) and codes[0] in row["codes"]
            hit3 = any(c in row["codes"] for c in codes[:3])
            top1 += hit1
            top3 += hit3
            if verbose and not hit3:
                print(f"  MISS {row['text']} → {codes[:3]} (want {row['codes']})")
        else:
            ordinary += 1
            left_alone += not codes
            if verbose and codes:
                print(f"  NOISE {row['text']} → {[(e.code, round(s, 2)) for s, e in results[:2]]}")
    latencies.sort()
    return {
        "majors": majors,
        "ordinary": ordinary,
        "top1": top1 / majors if majors else 0.0,
        "top3": top3 / majors if majors else 0.0,
        "left_alone": left_alone / ordinary if ordinary else 0.0,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument(
        "--no-sector", action="store_true", help="ignore the sector (the API's sector is optional)"
    )
    parser.add_argument("--sweep", action="store_true", help="also print the figures for other thresholds")
    parser.add_argument("-v", "--verbose", action="store_true", help="print misses and noise")
    args = parser.parse_args()

    import django

    django.setup()
    from anjian.hazards.criteria import suggest as sg

    rows = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = time.perf_counter()
    index = sg.index_from_catalogue()
    build_ms = (time.perf_counter() - start) * 1000
    r = evaluate(index, rows, use_sector=not args.no_sector, verbose=args.verbose)
    print(f"set: {args.set.name}  major lines: {r['majors']}  ordinary lines: {r['ordinary']}")
    print(f"sector given: {'no' if args.no_sector else 'yes'}  threshold: {sg.MIN_COVERAGE}")
    print(f"top-1 accuracy:        {r['top1']:.1%}")
    print(f"top-3 accuracy:        {r['top3']:.1%}   (target ≥ 80 %)")
    print(f"ordinary left alone:   {r['left_alone']:.1%}   (target ≥ 70 %)")
    print(f"latency p50 / p95:     {r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms   (target p95 ≤ 100 ms)")
    print(f"index build (incl. tokenizer load): {build_ms:.0f} ms")
    if args.sweep:
        for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            s = evaluate(index, rows, use_sector=not args.no_sector, min_coverage=t)
            print(
                f"  threshold {t:.2f}: top-1 {s['top1']:.1%}  top-3 {s['top3']:.1%}  left alone {s['left_alone']:.1%}"
            )


if __name__ == "__main__":
    main()
