"""Training sessions (with attendees and certificates) and publicity activities; counted for assessment."""

from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Territory
from anjian.core.scope import ScopeSpec


class Audience(models.TextChoices):
    OFFICIALS = "officials", "领导干部和监管人员"
    PRINCIPALS = "principals", "企业主要负责人"
    SAFETY_MANAGERS = "safety_managers", "安全生产管理人员"
    WORKERS = "workers", "一线从业人员"
    SPECIAL_OPERATORS = "special_operators", "特种作业人员"


class TrainingSession(Audited):
    topic = models.CharField("培训主题", max_length=200)
    audience = models.CharField("培训对象", max_length=20, choices=Audience.choices)
    organiser = models.ForeignKey(
        Organisation, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    held_on = models.DateField("培训日期", db_index=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    attendee_count = models.PositiveIntegerField("参训人数", default=0)
    location = models.CharField("地点", max_length=200, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "安全培训"
        verbose_name_plural = "安全培训"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.topic}"

    def get_absolute_url(self):
        return reverse("operations:training_detail", args=[self.pk])


class TrainingAttendee(Audited):
    session = models.ForeignKey(
        TrainingSession, verbose_name="培训", on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField("姓名", max_length=50)
    unit = models.CharField("单位", max_length=200, blank=True)
    passed = models.BooleanField("考核合格", default=True)
    certificate_no = models.CharField("证书编号", max_length=60, blank=True)
    certificate_expiry = models.DateField("证书有效期至", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "参训人员"
        verbose_name_plural = "参训人员"
        ordering = ["session", "id"]

    def __str__(self):
        return self.name


class PublicityKind(models.TextChoices):
    SAFETY_MONTH = "safety_month", "安全生产月"
    INTO_ENTERPRISE = "into_enterprise", "进企业"
    INTO_SCHOOL = "into_school", "进学校"
    INTO_COMMUNITY = "into_community", "进社区"
    INTO_COUNTRYSIDE = "into_countryside", "进农村"
    INTO_FAMILY = "into_family", "进家庭"
    INTO_PUBLIC_PLACES = "into_public_places", "进公共场所"
    CONSULTATION_DAY = "consultation_day", "安全宣传咨询日"
    OTHER = "other", "其他"


class PublicityActivity(Audited):
    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=20, choices=PublicityKind.choices)
    organiser = models.ForeignKey(
        Organisation, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    held_on = models.DateField("活动日期", db_index=True)
    participants = models.PositiveIntegerField("参与人数", default=0)
    materials = models.PositiveIntegerField("发放资料（份）", default=0)
    description = models.TextField("活动情况", blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "宣传活动"
        verbose_name_plural = "宣传活动"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self):
        return reverse("operations:publicity_detail", args=[self.pk])
