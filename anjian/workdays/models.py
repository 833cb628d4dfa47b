"""The official holiday schedule (节假日安排) as data.

Working-day deadlines (行政处罚法 第八十五条: "期限以工作日计算，不含法定节假日") need the State Council's yearly
notice (国务院办公厅关于某年部分节假日安排的通知): the holidays and the weekend days that become working days
(调休上班). The maintained `chinese-calendar` package carries the notices it knows; a `CalendarDay` entered
here (e.g. from a notice newer than the installed package) takes precedence over it for that date.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.scope import ScopeSpec


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class CalendarDay(Audited):
    day = models.DateField("日期", unique=True)
    kind = models.CharField("安排", max_length=8, choices=DayKind.choices)
    name = models.CharField("节日", max_length=40, help_text="例如：春节、国庆节。")
    basis = models.CharField(
        "依据", max_length=200, help_text="国务院办公厅通知的名称或文号，例如：国办发明电〔2026〕X号。"
    )
    note = models.TextField("说明", blank=True)
    is_active = models.BooleanField(
        "有效", default=True, help_text="录入有误时取消勾选，该日恢复按官方日历计算。"
    )

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ("-day",)

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}（{self.name}）"

    def get_absolute_url(self):
        return reverse("workdays:day_detail", args=[self.pk])

    def clean(self):
        # 调休上班 is only ever a weekend day; a holiday on an ordinary weekend needs no entry.
        if self.day and self.kind == DayKind.WORKDAY and self.day.weekday() < 5:
            raise ValidationError({"kind": "调休上班日应为周六或周日；工作日本来就上班，无需录入。"})
