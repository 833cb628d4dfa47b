from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = "隐患治理"

    def ready(self):
        from anjian.celery import app as celery_app
        from anjian.core.audit import register_actions

        from . import importers  # noqa: F401  (registers the hazard ledger importer)
        from .direct_reports import ACTION_LABELS as DIRECT_REPORT_LABELS
        from .services import ACTION_LABELS
        from .tasks import BEAT_SCHEDULE
        from .verification import ACTION_LABELS as VERIFICATION_LABELS

        register_actions(ACTION_LABELS)
        register_actions(VERIFICATION_LABELS)
        register_actions(DIRECT_REPORT_LABELS)
        celery_app.conf.beat_schedule = {**(celery_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
