"""Periodic work: generate the reports of the periods that have ended (daily under Celery beat; in the embedded
mode run `manage.py generate_reports` from cron). Idempotent: a report that exists is never made again."""

from celery import shared_task

from anjian.core.context import acting_as

BEAT_SCHEDULE = {"reporting-generate-reports": {"task": "reporting.generate_reports", "schedule": 6 * 3600.0}}


@shared_task(name="reporting.generate_reports")
def generate_reports() -> int:
    from .services import generate_reports as generate

    with acting_as(label="报表生成"):
        return generate().created
