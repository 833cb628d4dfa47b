from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "anjian.committee"
    label = "committee"
    verbose_name = "安委会与成员单位"
