"""Weather and disaster warnings (灾害性天气预警): the warning, the exposure rules (data), and one notice per
exposed unit that tracks its acknowledgement and the measures it reports."""

from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Sector, Territory
from anjian.core.scope import ScopeSpec


class WarningType(models.TextChoices):
    RAINSTORM = "rainstorm", "暴雨"
    TYPHOON = "typhoon", "台风"
    COLD_WAVE = "cold_wave", "寒潮"
    FREEZING = "freezing", "冰冻（道路结冰）"
    SNOWSTORM = "snowstorm", "暴雪"
    GALE = "gale", "大风"
    HEAT = "heat", "高温"
    SMOG = "smog", "雾霾"
    FOG = "fog", "大雾"
    THUNDER = "thunder", "雷电"
    FOREST_FIRE = "forest_fire", "森林火险"
    GEOHAZARD = "geohazard", "地质灾害"


class WarningLevel(models.TextChoices):
    # GB/T 27962-2011 气象灾害预警信号: blue < yellow < orange < red.
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"


LEVEL_RANK = {WarningLevel.BLUE: 1, WarningLevel.YELLOW: 2, WarningLevel.ORANGE: 3, WarningLevel.RED: 4}


class ExposureRule(Audited):
    """Which sectors a warning type exposes, from which level on. Editable by the office."""

    warning_type = models.CharField("预警类型", max_length=16, choices=WarningType.choices, unique=True)
    sectors = models.ManyToManyField(Sector, verbose_name="受影响行业领域", related_name="+")
    min_level = models.CharField(
        "起始级别", max_length=8, choices=WarningLevel.choices, default=WarningLevel.BLUE
    )
    ack_hours = models.PositiveSmallIntegerField("签收时限（小时）", default=2)
    measures_hint = models.TextField("防范措施要求", blank=True)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "预警影响规则"
        verbose_name_plural = "预警影响规则"
        ordering = ["warning_type"]

    def __str__(self):
        return f"{self.get_warning_type_display()}预警影响规则"

    def get_absolute_url(self):
        return reverse("operations:exposurerule_edit", args=[self.pk])


class WeatherWarning(Audited):
    warning_type = models.CharField("预警类型", max_length=16, choices=WarningType.choices)
    level = models.CharField("预警级别", max_length=8, choices=WarningLevel.choices)
    title = models.CharField("标题", max_length=200)
    source = models.CharField("发布单位", max_length=100, default="区气象台")
    content = models.TextField("预警内容及防范要求", blank=True)
    starts_at = models.DateTimeField("开始时间", db_index=True)
    ends_at = models.DateTimeField("结束时间", db_index=True)
    # The recording office's territory (scope); the affected area is `areas`.
    territory = models.ForeignKey(
        Territory, verbose_name="发布区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    areas = models.ManyToManyField(Territory, verbose_name="影响区域", related_name="+")
    cancelled = models.BooleanField("已解除", default=False)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "预警信息"
        verbose_name_plural = "预警信息"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="operations_warning_period"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("operations:warning_detail", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "结束时间必须晚于开始时间。"})

    @property
    def level_colour(self) -> str:
        return {"blue": "primary", "yellow": "warning", "orange": "orange", "red": "danger"}[self.level]


class WarningNotice(Audited):
    """One exposed unit's copy of a warning: sent, acknowledged (签收) with measures, or escalated."""

    warning = models.ForeignKey(
        WeatherWarning, verbose_name="预警", on_delete=models.CASCADE, related_name="notices"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="单位", on_delete=models.PROTECT, related_name="warning_notices"
    )
    sector = models.ForeignKey(
        Sector, verbose_name="因何行业受影响", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sent_at = models.DateTimeField("通知时间")
    ack_due_at = models.DateTimeField("签收期限", db_index=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "core.User", verbose_name="签收人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measures = models.TextField("已采取的防范措施", blank=True)
    escalated_at = models.DateTimeField("升级提醒时间", null=True, blank=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "预警签收"
        verbose_name_plural = "预警签收"
        ordering = ["warning", "acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["warning", "enterprise"], name="operations_notice_unique")
        ]
        indexes = [models.Index(fields=["acknowledged_at", "ack_due_at"], name="ops_notice_open_idx")]

    def __str__(self):
        return f"{self.enterprise} · {self.warning}"

    def get_absolute_url(self):
        return reverse("operations:notice_ack", args=[self.pk])
