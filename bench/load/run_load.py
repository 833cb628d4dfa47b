"""Load test: a working day's mix against gunicorn + PostgreSQL + Redis + a Celery worker, in one command.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load/run_load.py --users 50 --minutes 10

Builds a private stack (see stack.py), loads the demo data, runs locust headless (locustfile.py), prints the
requests, the errors by kind and p50/p95 per request type, and exits non-zero on any error. Everything it
started is stopped and the database (and private cluster) dropped at the end, also on Ctrl-C.
"""

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, add_stack_arguments


def read_stats(out: Path) -> tuple[list[dict], list[dict]]:
    with open(out / "locust_stats.csv", encoding="utf-8") as fh:
        stats = list(csv.DictReader(fh))
    failures_file = out / "locust_failures.csv"
    failures = []
    if failures_file.exists():
        with open(failures_file, encoding="utf-8") as fh:
            failures = list(csv.DictReader(fh))
    return stats, failures


def format_stats(stats: list[dict], failures: list[dict]) -> str:
    lines = [f"{'request type':34} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"]
    for row in sorted(stats, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "ALL" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"{name[:34]:34} {row['Request Count']:>9} {row['Failure Count']:>7} {row['50%']:>8} "
            f"{row['95%']:>8} {float(row['Max Response Time']):>8.0f}"
        )
    if failures:
        lines.append("")
        lines.append("errors by kind:")
        for row in sorted(failures, key=lambda r: -int(r["Occurrences"])):
            lines.append(f"  {int(row['Occurrences']):6}  {row['Name']}: {row['Error']}")
    else:
        lines.append("errors: none")
    return "\n".join(lines)


def totals(stats: list[dict]) -> dict:
    row = next(r for r in stats if r["Name"] == "Aggregated")
    return {"requests": int(row["Request Count"]), "errors": int(row["Failure Count"])}


def read_writes(out: Path) -> list[dict]:
    path = out / "writes.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_stack_arguments(parser)
    args = parser.parse_args()
    stack = Stack(args)
    try:
        stack.start_all()
        started = time.monotonic()
        locust = stack.start_locust()
        locust.wait(timeout=args.minutes * 60 + 180)
        print(f"load: {args.users} users for {(time.monotonic() - started) / 60:.1f} min", flush=True)
        stats, failures = read_stats(stack.out)
        print(format_stats(stats, failures))
        writes = read_writes(stack.out)
        print(
            f"hazards registered (acknowledged): {sum(w['event'] == 'registered' for w in writes)}; "
            f"transitions acknowledged: {sum(w['event'] == 'transition' for w in writes)}"
        )
        return 0 if totals(stats)["errors"] == 0 else 1
    finally:
        if not args.keep:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
