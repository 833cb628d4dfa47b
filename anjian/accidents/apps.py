from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "anjian.accidents"
    label = "accidents"
    verbose_name = "事故"

    def ready(self):
        from anjian.core.audit import register_actions

        from . import importers  # noqa: F401  (registers the accident ledger importer)
        from .services import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)
