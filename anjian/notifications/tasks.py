"""Background work of the deadlines engine. With Redis these run in Celery workers (beat schedules them, see
`beat.py`); without a broker they run in-process, and `manage.py run_deadlines` does the same from cron.

Both tasks are safe to run twice or to be killed half-way (acks_late + CELERY_TASK_REJECT_ON_WORKER_LOST in
settings): the scan claims each firing with a unique insert inside one transaction, the drain claims each
outbox row with one conditional update.
"""

from celery import shared_task

from . import services


@shared_task(name="notifications.scan_deadlines", acks_late=True, reject_on_worker_lost=True)
def scan_deadlines() -> str:
    result = services.scan_deadlines()
    drain_outbox.delay()
    return str(result)


@shared_task(name="notifications.drain_outbox", acks_late=True, reject_on_worker_lost=True)
def drain_outbox() -> str:
    return str(services.drain_outbox())
