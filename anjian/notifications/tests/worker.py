"""Entry point of the real Celery worker used by test_worker.py (a subprocess; never imported by the suite).

It runs `celery worker` on the project's Celery app, with:
- a deadline provider of kind "test.worker": every enterprise is due at $ANJIAN_TEST_DUE, the enterprise's
  users are responsible, user "inspector" is escalation level 1 and user "office" level 2;
- a pause of $ANJIAN_TEST_FIRING_DELAY seconds after each firing is claimed, inside its transaction, so the
  test can kill the worker in the middle of a scan;
- a short Redis visibility timeout, so the task a killed worker held is redelivered within seconds.
"""

import os
import sys
import time
from datetime import datetime

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")

from anjian.celery import app

KIND = "test.worker"


class WorkerProvider:
    DEADLINE_KINDS = {KIND: "工作进程测试期限"}

    def deadline_items(self, kind, due_before):
        from anjian.core.models import User
        from anjian.notifications.protocols import DeadlineItem
        from anjian.registry.models import Enterprise

        due = datetime.fromisoformat(os.environ["ANJIAN_TEST_DUE"])
        if due > due_before:
            return []
        inspector = tuple(User.objects.filter(username="inspector"))
        office = tuple(User.objects.filter(username="office"))
        return [
            DeadlineItem(
                kind=kind,
                obj=enterprise,
                due_at=due,
                title=f"{enterprise.name}：测试期限",
                url=enterprise.get_absolute_url(),
                responsible=tuple(User.objects.filter(enterprise=enterprise)),
                escalation=(inspector, office),
                territory_path=enterprise.territory_path,
            )
            for enterprise in Enterprise.objects.order_by("pk")
        ]

    def todo_items(self, user):
        return []


def pause_after_claim(sender, instance, created, **kwargs):
    if created:
        time.sleep(float(os.environ.get("ANJIAN_TEST_FIRING_DELAY", "0")))


def main():
    django.setup()
    from django.db.models.signals import post_save

    from anjian.notifications import providers
    from anjian.notifications.models import Firing

    providers.discovered = lambda: ()  # only the test provider: the other apps' providers are theirs to test
    providers.register(WorkerProvider())
    post_save.connect(pause_after_claim, sender=Firing, weak=False)
    app.conf.broker_transport_options = {
        "visibility_timeout": 3,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(
        ["worker", "--pool=solo", "--loglevel=INFO", "--without-mingle", "--without-gossip", *sys.argv[1:]]
    )


if __name__ == "__main__":
    main()
