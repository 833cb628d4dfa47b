from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "anjian.supervision"
    label = "supervision"
    verbose_name = "督办事项"

    def ready(self):
        from . import (
            indicators,  # noqa: F401  (registers the 过程考核 indicators)
            services,  # noqa: F401  (registers the named actions)
        )
