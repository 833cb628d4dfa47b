from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "anjian.reporting"
    label = "reporting"
    verbose_name = "报表报送"
