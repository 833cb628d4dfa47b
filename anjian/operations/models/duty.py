"""Duty (值班值守): rosters per organisation and period, one shift per day (带班领导 + 24-hour duty officer),
and the duty log of calls, events and handovers."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Territory
from anjian.core.scope import ScopeSpec


class DutyRoster(Audited):
    organisation = models.ForeignKey(
        Organisation, verbose_name="值班单位", on_delete=models.PROTECT, related_name="duty_rosters"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    title = models.CharField("排班表名称", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    duty_phone = models.CharField("值班电话", max_length=30, blank=True)
    notes = models.TextField("说明", blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "值班表"
        verbose_name_plural = "值班表"
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.organisation} {self.title}"

    def get_absolute_url(self):
        return reverse("operations:roster_detail", args=[self.pk])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})
        if self.start_date and self.end_date and (self.end_date - self.start_date).days > 366:
            raise ValidationError({"end_date": "一张值班表最长一年。"})


class DutyShift(Audited):
    roster = models.ForeignKey(
        DutyRoster, verbose_name="值班表", on_delete=models.CASCADE, related_name="shifts"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="值班单位", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    date = models.DateField("日期", db_index=True)
    leader_name = models.CharField("带班领导", max_length=50, blank=True)
    leader_phone = models.CharField("带班领导电话", max_length=30, blank=True)
    officer_name = models.CharField("值班人员", max_length=100, blank=True)
    officer_phone = models.CharField("值班人员电话", max_length=30, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "值班安排"
        verbose_name_plural = "值班安排"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "date"], name="operations_one_shift_per_day")
        ]

    def __str__(self):
        return f"{self.organisation} {self.date}"

    def get_absolute_url(self):
        return reverse("operations:roster_detail", args=[self.roster_id])

    @property
    def is_complete(self) -> bool:
        return bool(self.leader_name and self.leader_phone and self.officer_name and self.officer_phone)


class DutyLogKind(models.TextChoices):
    CALL = "call", "来电"
    EVENT = "event", "突发事件"
    INSTRUCTION = "instruction", "上级指示"
    HANDOVER = "handover", "交接班"
    OTHER = "other", "其他"


class DutyLogEntry(Audited):
    organisation = models.ForeignKey(
        Organisation, verbose_name="值班单位", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    occurred_at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类别", max_length=12, choices=DutyLogKind.choices)
    caller = models.CharField("来电/报告人及电话", max_length=100, blank=True)
    summary = models.TextField("内容")
    action_taken = models.TextField("处置情况", blank=True)
    recorded_by = models.ForeignKey(
        "core.User", verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "值班日志"
        verbose_name_plural = "值班日志"
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.occurred_at:%m-%d %H:%M} {self.get_kind_display()} {self.summary[:20]}"

    def get_absolute_url(self):
        return reverse("operations:dutylog_detail", args=[self.pk])
