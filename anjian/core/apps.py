from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from . import audit, checks, importers, scope  # noqa: F401  (registers checks and importers)

        pre_save.connect(scope.sync_territory_path, dispatch_uid="anjian.sync_territory_path")
        post_save.connect(audit.on_post_save, dispatch_uid="anjian.audit.post_save")
        post_delete.connect(audit.on_post_delete, dispatch_uid="anjian.audit.post_delete")
        m2m_changed.connect(audit.on_m2m_changed, dispatch_uid="anjian.audit.m2m")
