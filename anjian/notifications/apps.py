from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "anjian.notifications"
    label = "notifications"
    verbose_name = "待办提醒"

    def ready(self):
        from anjian.celery import app as celery_app
        from anjian.core.audit import register_actions

        from .beat import BEAT_SCHEDULE
        from .services import ACTION_LABELS

        register_actions({**ACTION_LABELS, "notifications.delivery_retried": "重新发送通知"})
        # The periodic scans, merged into whatever schedule the settings already define.
        celery_app.conf.beat_schedule = {**(celery_app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
