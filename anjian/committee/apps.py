from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "anjian.committee"
    label = "committee"
    verbose_name = "安委会与成员单位"

    def ready(self):
        from anjian.core.audit import register_actions

        from . import importers, indicators  # noqa: F401  (register the list importer and the indicator)
        from .services import ACTIONS

        register_actions(ACTIONS)
