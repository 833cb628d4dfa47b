"""Faults under load: restart PostgreSQL, kill the Celery worker, stop Redis — then check nothing was lost or doubled.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/faults.py --users 50 --minutes 10

Builds the private stack of bench/load (own PostgreSQL cluster and redis-server on free loopback ports, gunicorn
with 4 workers, a Celery worker with beat, the demo data), starts the locust working-day mix, and injects at
fixed fractions of the run:

  1. PostgreSQL restart (`pg_ctlcluster <version> <cluster> restart -m fast`);
  2. the Celery worker killed with SIGKILL (whole process group), started again after --worker-down seconds;
  3. Redis stopped (`shutdown nosave`) for --redis-down seconds, then started again with the same command.

Nothing restarts gunicorn: the application must recover by itself. Afterwards it checks and prints:

- every failed request failed cleanly (an error page or JSON message in Chinese, no traceback; locustfile.py
  classifies each failure), and which fault window each HTTP 5xx fell into;
- no errors after the last fault plus --grace seconds, /healthz answers, the worker ran a task after Redis was
  back;
- every acknowledged hazard registration is in the database exactly once (by number), every acknowledged
  transition has exactly one audit entry, hazard numbers of the year are unique and gap-free, and every load
  hazard's status agrees with its audit trail (no half-written records);
- reminders fire exactly once: `manage.py run_deadlines` twice, the Firing and Notification counts do not
  change on the second run and no (rule, object, due time) fired twice.

Exit status 0 only if every check passed. Everything started is stopped and dropped at the end.
"""

import argparse
import json
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))

from run_load import format_stats, read_stats, read_writes, totals
from stack import Stack, add_stack_arguments

AUDIT_NAME = {
    "set_plan": "hazard.plan_set",
    "start_rectification": "hazard.rectification_started",
    "report": "hazard.reported",
    "accept": "hazard.accepted",
    "close": "hazard.closed",
}

# Runs inside `manage.py shell`: the database's side of the story, as JSON on the last line.
VERIFY = r"""
import json
from django.db.models import Count
from django.utils import timezone
from anjian.core.models import AuditEntry
from anjian.hazards.models import Hazard, HazardPhoto
load = Hazard.objects.filter(description__startswith="负载测试：")
year = f"YH{timezone.localdate().year}"
numbers = sorted(int(n[len(year):]) for n in Hazard.objects.filter(number__startswith=year).values_list("number", flat=True))
audit = {}
for row in (AuditEntry.objects.filter(action__startswith="hazard.", object_id__in=[str(pk) for pk in load.values_list("pk", flat=True)])
            .values("object_id", "action").annotate(n=Count("id"))):
    audit.setdefault(row["object_id"], {})[row["action"]] = row["n"]
after_photos = set(HazardPhoto.objects.filter(hazard__in=load, kind="after").values_list("hazard_id", flat=True))
print(json.dumps({
    "hazards": [{"id": h.pk, "number": h.number, "status": h.status} for h in load],
    "duplicate_numbers": list(Hazard.objects.values("number").annotate(n=Count("id")).filter(n__gt=1).values_list("number", flat=True)),
    "year_numbers": [numbers[0], numbers[-1], len(numbers)] if numbers else [],
    "audit": audit,
    "after_photos": sorted(after_photos),
}))
"""

COUNT_FIRINGS = r"""
import json
from django.db.models import Count
from anjian.notifications.models import Firing, Notification
dups = Firing.objects.values("rule", "kind", "object_id", "due_at").annotate(n=Count("id")).filter(n__gt=1).count()
print(json.dumps({"firings": Firing.objects.count(), "notifications": Notification.objects.count(), "duplicates": dups}))
"""

# The audit entries a status implies (the load's hazards go registered → … → closed in this order).
STATUS_TRAIL = ["registered", "plan_set", "rectifying", "reported", "accepted", "closed"]
TRAIL_AUDIT = ["hazard.registered", *AUDIT_NAME.values()]


def shell_json(stack: Stack, code: str) -> dict:
    result = stack.manage("shell", "-c", code)
    return json.loads(result.stdout.strip().splitlines()[-1])


def access_log_5xx(path: Path, windows: list[tuple[str, float, float]]) -> Counter:
    """HTTP 5xx answers per fault window (by the access log's own timestamps)."""
    counts = Counter()
    if not path.exists():
        return counts
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            stamp = datetime.strptime(line[1 : line.index("]")], "%d/%b/%Y:%H:%M:%S %z").timestamp()
            status = int(line.rsplit('" ', 1)[1].split()[0])
        except (ValueError, IndexError):
            continue
        if status < 500:
            continue
        # The latest fault that had begun: with short runs a fault's grace period overlaps the next fault.
        name = next(
            (n for n, start, end in reversed(windows) if start - 1 <= stamp <= end),
            "outside any fault window",
        )
        counts[name] += 1
    return counts


def history_failures_after(out: Path, after: float) -> tuple[int, int]:
    """(requests, failures) locust saw after a wall-clock time, from the per-second history."""
    import csv

    rows = []
    with open(out / "locust_stats_history.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Name"] == "Aggregated"]
    if not rows:
        return 0, 0
    before = [r for r in rows if int(r["Timestamp"]) <= after]
    base = before[-1] if before else {"Total Request Count": "0", "Total Failure Count": "0"}
    last = rows[-1]
    return (
        int(last["Total Request Count"]) - int(base["Total Request Count"]),
        int(last["Total Failure Count"]) - int(base["Total Failure Count"]),
    )


class Checks:
    def __init__(self):
        self.rows = []

    def add(self, ok: bool, text: str):
        self.rows.append((ok, text))
        print(f"  [{'ok' if ok else 'FAIL'}] {text}", flush=True)

    @property
    def passed(self) -> bool:
        return all(ok for ok, _ in self.rows)


def inject(stack: Stack, args, started: float, windows: list, note):
    duration = args.minutes * 60
    plan = [
        (args.pg_at * duration, "PostgreSQL restart"),
        (args.worker_at * duration, "Celery worker killed"),
        (args.redis_at * duration, "Redis stopped"),
    ]
    for at, name in sorted(plan):
        while time.monotonic() - started < at:
            if stack.procs["locust"].poll() is not None:
                raise RuntimeError("locust ended before the faults were injected")
            time.sleep(0.5)
        begin = time.time()
        if name == "PostgreSQL restart":
            stack.restart_postgres()
        elif name == "Celery worker killed":
            stack.kill_worker()
            time.sleep(args.worker_down)
            stack.start_worker()
        else:
            stack.stop_redis()
            time.sleep(args.redis_down)
            stack.start_redis()
            note["celery_log_offset"] = (stack.out / "celery.log").stat().st_size
        end = time.time()
        windows.append((name, begin, end + args.grace))
        print(f"  t={begin - note['t0']:6.0f}s  {name} ({end - begin:.0f} s)", flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_stack_arguments(parser)
    parser.add_argument("--pg-at", type=float, default=0.2, help="PostgreSQL restart, fraction of the run")
    parser.add_argument("--worker-at", type=float, default=0.35, help="worker kill, fraction of the run")
    parser.add_argument("--worker-down", type=float, default=20, help="seconds before the worker restarts")
    parser.add_argument("--redis-at", type=float, default=0.5, help="Redis stop, fraction of the run")
    parser.add_argument("--redis-down", type=float, default=60, help="seconds Redis stays down (default 60)")
    parser.add_argument(
        "--grace", type=float, default=30, help="seconds after a fault that may still see errors"
    )
    args = parser.parse_args()
    if args.redis_at * args.minutes * 60 + args.redis_down + args.grace + 30 > args.minutes * 60:
        parser.error("the run is too short for the Redis outage and a recovery period: raise --minutes")

    stack = Stack(args)
    checks = Checks()
    try:
        stack.start_all()
        note = {"t0": time.time()}
        started = time.monotonic()
        locust = stack.start_locust()
        windows: list[tuple[str, float, float]] = []
        print(f"load: {args.users} users for {args.minutes:g} min; faults:", flush=True)
        inject(stack, args, started, windows, note)
        locust.wait(timeout=args.minutes * 60 + 180)

        print("\n== requests ==")
        stats, failures = read_stats(stack.out)
        print(format_stats(stats, failures))
        five = access_log_5xx(stack.out / "access.log", windows)
        print("HTTP 5xx by fault window: " + (", ".join(f"{k}: {v}" for k, v in five.items()) or "none"))

        print("\n== checks ==")
        unclean = [f for f in failures if not f["Error"].startswith(("CatchResponseError('clean", "clean"))]
        checks.add(
            not unclean,
            f"every failure clean (Chinese message, no traceback): "
            f"{sum(int(f['Occurrences']) for f in unclean)} unclean of {totals(stats)['errors']}",
        )
        recovered_at = max(end for _, _, end in windows)
        req_after, fail_after = history_failures_after(stack.out, recovered_at)
        checks.add(
            fail_after == 0,
            f"no errors after the last fault + {args.grace:g} s: {fail_after} errors in {req_after} requests",
        )
        checks.add(stack.http_ok("/healthz"), "healthz answers without any restart of gunicorn")
        tail = (stack.out / "celery.log").read_text(errors="replace")[note.get("celery_log_offset", 0) :]
        checks.add(" succeeded in " in tail, "the Celery worker ran tasks again after Redis came back")

        stack.kill_worker()  # no beat scan may run between the two run_deadlines below
        writes = read_writes(stack.out)
        db = shell_json(stack, VERIFY)
        by_number = Counter(h["number"] for h in db["hazards"])
        acked = {w["number"]: w["id"] for w in writes if w["event"] == "registered"}
        missing = [n for n in acked if by_number[n] == 0]
        doubled = [n for n in acked if by_number[n] > 1]
        unacked = [h for h in db["hazards"] if h["number"] not in acked]
        checks.add(
            not missing and not doubled,
            f"acknowledged registrations: {len(acked)}; found exactly once: {len(acked) - len(missing) - len(doubled)}"
            f"; missing {len(missing)}; doubled {len(doubled)}",
        )
        print(f"       (committed but not acknowledged, e.g. the answer lost in a fault: {len(unacked)})")
        transitions = [w for w in writes if w["event"] == "transition"]
        bad = [
            w for w in transitions if db["audit"].get(str(w["id"]), {}).get(AUDIT_NAME[w["action"]], 0) != 1
        ]
        checks.add(
            not bad,
            f"acknowledged transitions: {len(transitions)}; with exactly one audit entry: "
            f"{len(transitions) - len(bad)}",
        )
        first, last, count = db["year_numbers"] or (0, 0, 0)
        checks.add(
            not db["duplicate_numbers"] and last - first + 1 == count,
            f"hazard numbers unique and gap-free this year ({count} from {first} to {last}); "
            f"duplicates {len(db['duplicate_numbers'])}",
        )
        half = []
        for h in db["hazards"]:
            trail = db["audit"].get(str(h["id"]), {})
            if h["status"] not in STATUS_TRAIL:
                half.append(h)
                continue
            reached = STATUS_TRAIL.index(h["status"])
            expected = TRAIL_AUDIT[: reached + 1]
            wrong_trail = any(trail.get(a, 0) != 1 for a in expected) or any(
                trail.get(a, 0) for a in TRAIL_AUDIT[reached + 1 :]
            )
            no_photo = reached >= STATUS_TRAIL.index("reported") and h["id"] not in db["after_photos"]
            if wrong_trail or no_photo:
                half.append(h)
        checks.add(
            not half,
            f"load hazards whose status, audit trail and photos agree: "
            f"{len(db['hazards']) - len(half)} of {len(db['hazards'])}",
        )
        statuses = Counter(h["status"] for h in db["hazards"])
        print(
            "       (status of the load's hazards: "
            + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            + ")"
        )

        # Now, and again 20 days on (the load's deadlines are then due or overdue, so new reminders fire):
        # the second run_deadlines at the same time must find nothing left to fire.
        later = (datetime.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
        for label, extra in (("now", []), (f"--now {later}", ["--now", later])):
            before = shell_json(stack, COUNT_FIRINGS)
            stack.manage("run_deadlines", *extra, check=False)
            once = shell_json(stack, COUNT_FIRINGS)
            stack.manage("run_deadlines", *extra, check=False)
            twice = shell_json(stack, COUNT_FIRINGS)
            checks.add(
                twice["firings"] == once["firings"]
                and twice["notifications"] == once["notifications"]
                and twice["duplicates"] == 0,
                f"reminders fire once ({label}): firings {before['firings']} → {once['firings']} (1st "
                f"run_deadlines) → {twice['firings']} (2nd); notifications {before['notifications']} → "
                f"{once['notifications']} → {twice['notifications']}; duplicate firings {twice['duplicates']}",
            )
        print("\nPASS" if checks.passed else "\nFAIL")
        return 0 if checks.passed else 1
    finally:
        if not args.keep:
            stack.stop()


if __name__ == "__main__":
    sys.exit(main())
