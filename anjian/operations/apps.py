from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "anjian.operations"
    label = "operations"
    verbose_name = "政务运行"
