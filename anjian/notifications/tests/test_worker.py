"""Against the real services: Redis as broker, a real Celery worker process, PostgreSQL shared by the test and
the worker. The worker is killed (SIGKILL) in the middle of a deadline scan and restarted: the task is
redelivered (acks_late + reject_on_worker_lost) and every reminder and escalation exists exactly once.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/anjian_notifications \
     .venv/bin/pytest anjian/notifications -m services
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from anjian.core.roles import Role
from anjian.core.testing import make_user

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("ANJIAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
KIND = "test.worker"


def _require_services():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): the worker process must see the test database"
        )
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("ANJIAN_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(due, delay: float, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "ANJIAN_TEST_DUE": due.isoformat(),
        "ANJIAN_TEST_FIRING_DELAY": str(delay),
        "DB_CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "anjian.notifications.tests.worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches the whole worker
    )


def _kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)


def _wait(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_worker_killed_mid_scan_loses_and_duplicates_nothing(cast, tmp_path):
    _require_services()
    from celery import Celery

    from anjian.notifications.models import Firing, Notification
    from anjian.registry.models import Enterprise

    # Six enterprises, each with its manager: six deadlines due four days ago. The generic ladder gives each
    # 2 superseded reminders + overdue (manager) + escalation 1 (inspector) + escalation 2 (office).
    for n in range(4):
        enterprise = Enterprise.objects.create(
            name=f"测试企业{n}", credit_code=f"91990102{n:08d}TST"[:18], territory=cast.village_a
        )
        make_user(f"worker_ent_{n}", Role.ENTERPRISE, cast.village_a, enterprise=enterprise)
    due = timezone.now() - timedelta(days=4)
    expected_firings, expected_notifications = 6 * 5, 6 * 3

    log = tmp_path / "worker.log"
    client = Celery(broker=REDIS_URL)
    worker = _start_worker(due, delay=0.4, log=log)
    try:
        client.send_task("notifications.scan_deadlines")
        # Kill it mid-task: some firings are committed, the rest are not done yet.
        _wait(lambda: Firing.objects.filter(kind=KIND).count() >= 6, 60, "the first firings")
        _kill(worker)
        done_before_kill = Firing.objects.filter(kind=KIND).count()
        assert 6 <= done_before_kill < expected_firings, log.read_text()

        # Restart: the unacknowledged task is delivered again and finishes the scan.
        worker = _start_worker(due, delay=0.05, log=log)
        _wait(
            lambda: Firing.objects.filter(kind=KIND).count() == expected_firings,
            90,
            "the redelivered scan to finish",
        )
        time.sleep(1.5)  # anything still running would show up as extra rows now
    finally:
        _kill(worker)
    assert Firing.objects.filter(kind=KIND).count() == expected_firings
    notifications = Notification.objects.filter(kind=KIND)
    assert notifications.count() == expected_notifications, log.read_text()
    # Every deadline reached its manager (overdue), the inspector and the office (escalations), once each.
    per_user = {}
    for user_id, step in notifications.values_list("recipient_id", "step"):
        per_user.setdefault(user_id, []).append(step)
    assert sorted(per_user[cast.inspector.pk]) == ["escalate"] * 6
    assert sorted(per_user[cast.office.pk]) == ["escalate"] * 6
    managers = [u for u in per_user if u not in (cast.inspector.pk, cast.office.pk)]
    assert len(managers) == 6 and all(per_user[m] == ["overdue"] for m in managers)
    assert "notifications.scan_deadlines" in log.read_text()
