from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "anjian.reporting"
    label = "reporting"
    verbose_name = "报表报送"

    def ready(self):
        from anjian.celery import app as celery_app

        from . import (
            indicators,  # noqa: F401  (registers the assessment indicators)
            services,  # noqa: F401  (registers the audit action labels)
        )
        from .tasks import BEAT_SCHEDULE

        celery_app.conf.beat_schedule = {**(celery_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
