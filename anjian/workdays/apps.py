from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "anjian.workdays"
    label = "workdays"
    verbose_name = "节假日安排"
