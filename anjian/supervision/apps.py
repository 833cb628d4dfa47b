from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "anjian.supervision"
    label = "supervision"
    verbose_name = "督办事项"
