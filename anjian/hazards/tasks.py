"""Periodic work: keep the indexed overdue flag true to the deadlines (runs hourly under Celery beat; in the
embedded mode run `manage.py hazard_overdue_scan` from cron)."""

from celery import shared_task

from anjian.core.context import acting_as

BEAT_SCHEDULE = {"hazards-refresh-overdue": {"task": "hazards.refresh_overdue", "schedule": 3600.0}}


@shared_task(name="hazards.refresh_overdue")
def refresh_overdue() -> int:
    from .services import refresh_overdue as scan

    with acting_as(label="隐患逾期扫描"):
        return scan()
