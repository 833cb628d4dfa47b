from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "anjian.assessment"
    label = "assessment"
    verbose_name = "考核通报"
