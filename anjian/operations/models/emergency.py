"""Emergency preparedness: plans (with filing and the 3-year review), drills, supplies and rescue teams."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Territory
from anjian.core.scope import ScopeSpec


class PlanOwner(models.TextChoices):
    GOVERNMENT = "government", "政府及部门"
    ENTERPRISE = "enterprise", "生产经营单位"


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合应急预案"
    SPECIAL = "special", "专项应急预案"
    ONSITE = "onsite", "现场处置方案"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    FILED = "filed", "已备案"
    RETURNED = "returned", "退回修改"
    EXPIRED = "expired", "已废止"


class EmergencyPlan(Audited):
    title = models.CharField("预案名称", max_length=200)
    owner = models.CharField("编制主体", max_length=12, choices=PlanOwner.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="编制部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="编制单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emergency_plans",
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("预案类别", max_length=16, choices=PlanKind.choices)
    level = models.CharField("预案层级", max_length=30, help_text="如：区级、镇级、企业级")
    filing_status = models.CharField(
        "备案状态", max_length=12, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    filed_on = models.DateField("备案日期", null=True, blank=True)
    filing_no = models.CharField("备案编号", max_length=60, blank=True)
    revised_on = models.DateField("最近修订日期", db_index=True)
    summary = models.TextField("主要内容", blank=True)

    scope = ScopeSpec(territory="territory_path", enterprise="enterprise")

    class Meta:
        verbose_name = "应急预案"
        verbose_name_plural = "应急预案"
        ordering = ["revised_on", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("operations:plan_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.owner == PlanOwner.ENTERPRISE and not self.enterprise_id:
            errors["enterprise"] = "企业预案必须选择编制单位。"
        if self.owner == PlanOwner.GOVERNMENT and self.enterprise_id:
            errors["enterprise"] = "政府预案不选择企业。"
        if self.filing_status == FilingStatus.FILED and not self.filed_on:
            errors["filed_on"] = "已备案的预案须填写备案日期。"
        if errors:
            raise ValidationError(errors)


class Drill(Audited):
    plan = models.ForeignKey(
        EmergencyPlan, verbose_name="演练预案", on_delete=models.PROTECT, related_name="drills"
    )
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField("演练日期", db_index=True)
    form = models.CharField(
        "演练形式", max_length=30, default="实战演练", help_text="桌面推演/实战演练/综合演练"
    )
    participants = models.PositiveIntegerField("参演人数", default=0)
    participant_units = models.TextField("参演单位", blank=True)
    evaluation = models.TextField("演练评估", blank=True)
    issues = models.TextField("发现的问题", blank=True, help_text="每行一个问题；可转为隐患")
    hazard_lines = models.JSONField("已登记为隐患的问题", default=list, blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path", enterprise="enterprise")

    class Meta:
        verbose_name = "应急演练"
        verbose_name_plural = "应急演练"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on} {self.plan}"

    def get_absolute_url(self):
        return reverse("operations:drill_detail", args=[self.pk])


class Supply(Audited):
    name = models.CharField("物资装备名称", max_length=100)
    category = models.CharField("类别", max_length=40, help_text="如：防汛、消防、危化品处置、医疗、通信")
    territory = models.ForeignKey(
        Territory, verbose_name="存放区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    location = models.CharField("存放地点", max_length=200)
    quantity = models.PositiveIntegerField("数量")
    unit = models.CharField("单位", max_length=10, default="件")
    expiry_date = models.DateField("有效期至", null=True, blank=True, db_index=True)
    keeper = models.CharField("保管人", max_length=50, blank=True)
    keeper_phone = models.CharField("联系电话", max_length=30, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "应急物资"
        verbose_name_plural = "应急物资"
        ordering = ["territory_path", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.quantity}{self.unit}）"

    def get_absolute_url(self):
        return reverse("operations:supply_detail", args=[self.pk])


class TeamTier(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合性救援队伍"
    PROFESSIONAL = "professional", "专业救援队伍"
    SOCIAL = "social", "社会救援力量"
    ENTERPRISE = "enterprise", "企业救援队伍"


class RescueTeam(Audited):
    name = models.CharField("队伍名称", max_length=100)
    tier = models.CharField("队伍类别", max_length=16, choices=TeamTier.choices)
    territory = models.ForeignKey(
        Territory, verbose_name="驻地区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    specialties = models.CharField("专业方向", max_length=200, blank=True)
    base_address = models.CharField("驻地", max_length=200, blank=True)
    leader = models.CharField("负责人", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    member_count = models.PositiveIntegerField("队员人数", default=0)

    scope = ScopeSpec(territory="territory_path", enterprise="enterprise")

    class Meta:
        verbose_name = "救援队伍"
        verbose_name_plural = "救援队伍"
        ordering = ["tier", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("operations:team_detail", args=[self.pk])


class TeamMember(Audited):
    team = models.ForeignKey(
        RescueTeam, verbose_name="队伍", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("职务", max_length=30, blank=True)
    skills = models.CharField("技能", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "救援队员"
        verbose_name_plural = "救援队员"
        ordering = ["team", "id"]

    def __str__(self):
        return self.name
