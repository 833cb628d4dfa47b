from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "anjian.oversight"
    label = "oversight"
    verbose_name = "督查问题"

    def ready(self):
        from . import importers, indicators, services  # noqa: F401  (importer, 过程考核 indicators, named actions)
