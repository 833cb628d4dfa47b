"""Inspections (排查): plans and campaigns, generated tasks, sector checklists and the on-site record.

A plan (检查计划 / 专项整治 / 大检查 / 百日行动 / 节假日检查; a quarterly arrangement 季安排 is one plan per quarter)
declares a scope rule; `services.generate_tasks` turns the rule into one task per unit, idempotently.
An inspection (检查记录) fills a checklist; each failed item can become a hazard (anjian.hazards) in one step.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Sector, Territory
from anjian.core.reversing import object_url
from anjian.core.scope import ScopeSpec
from anjian.registry.models import RiskColour


class PlanKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度安排（季安排）"
    ANNUAL = "annual", "年度计划"
    SPECIAL = "special", "专项整治"
    GENERAL = "general", "安全生产大检查"
    HUNDRED_DAYS = "hundred_days", "百日行动"
    HOLIDAY = "holiday", "节假日检查"
    RANDOM = "random", "双随机抽查"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ACTIVE = "active", "执行中"
    CLOSED = "closed", "已结束"


class Level(models.TextChoices):
    """Who inspects (rules.md §2: 企业自查 → 镇办巡查 → 县级排查 → 市级核查; 督查组 feedback from above)."""

    SELF = "self", "企业自查"
    TOWN = "town", "镇办巡查"
    COUNTY = "county", "县级排查"
    CITY = "city", "市级核查"
    SUPERVISION = "supervision", "督查组反馈"


class Kind(models.TextChoices):
    ROUTINE = "routine", "日常检查"
    SPECIAL = "special", "专项检查"
    RANDOM = "random", "双随机抽查"
    COMPLAINT = "complaint", "举报投诉核查"
    HOLIDAY = "holiday", "节假日检查"


class TaskStatus(models.TextChoices):
    PENDING = "pending", "待检查"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", "填写中"
    COMPLETED = "completed", "已完成"


class ItemResult(models.TextChoices):
    UNCHECKED = "", "未填"
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NA = "na", "不适用"


class FollowUp(models.TextChoices):
    """What happens to a finding that cannot be rectified on the spot (安全生产法 第六十五条第一款第三项)."""

    NONE = "", "—"
    DEADLINE = "deadline", "责令限期整改"
    INTERIM = "interim", "采取临时管控措施"
    PARTIAL_STOP = "partial_stop", "局部停产停业"
    TOTAL_STOP = "total_stop", "全部停产停业"


class ChecklistTemplate(Audited):
    """A sector checklist (检查表): reference data, readable by every signed-in user."""

    code = models.SlugField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    sector = models.ForeignKey(
        Sector,
        verbose_name="行业领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_templates",
    )
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "检查表模板"
        verbose_name_plural = "检查表模板"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:template_detail", args=[self.pk])


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, verbose_name="检查表", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("序号")
    category = models.CharField("类别", max_length=40, blank=True)
    text = models.CharField("检查内容", max_length=300)
    basis = models.CharField("依据", max_length=300, blank=True)
    major_clause = models.CharField(
        "对应重大事故隐患判定条款",
        max_length=200,
        blank=True,
        help_text="不符合时可能构成重大事故隐患的判定标准条款",
    )

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="checklist_item_unique_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.text}"


class InspectionPlan(Audited):
    """A plan or special campaign with its scope rule and period."""

    number = models.CharField("计划编号", max_length=40, unique=True)
    name = models.CharField("名称", max_length=150)
    kind = models.CharField("类型", max_length=16, choices=PlanKind.choices)
    level = models.CharField("检查层级", max_length=16, choices=Level.choices, default=Level.COUNTY)
    status = models.CharField("状态", max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True, help_text="季安排：1-4")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    territory = models.ForeignKey(
        Territory, verbose_name="检查区域", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    organisation = models.ForeignKey(
        Organisation, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="inspection_plans"
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name="行业领域", blank=True, related_name="inspection_plans"
    )
    # The scope rule: explicit enterprises, or "units of these sectors / risk levels in this territory".
    enterprises = models.ManyToManyField(
        "registry.Enterprise",
        verbose_name="指定检查单位",
        blank=True,
        related_name="inspection_plans",
        help_text="指定单位时，只检查这些单位；否则按区域、行业和风险等级筛选",
    )
    risk_levels = models.JSONField(
        "风险等级", default=list, blank=True, help_text="按风险等级筛选（red/orange/yellow/blue），空表示不限"
    )
    checklist_template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="默认检查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人员库",
        blank=True,
        related_name="inspection_plans",
        help_text="生成任务时从中分配检查人员（双随机时随机抽取）",
    )
    # 双随机: draw `random_count` units and assign inspectors at random, with a recorded seed (reproducible).
    random_count = models.PositiveIntegerField("抽取单位数", null=True, blank=True)
    inspectors_per_task = models.PositiveSmallIntegerField("每户检查人员数", default=1)
    random_seed = models.CharField("随机种子", max_length=64, blank=True, editable=False)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    draw_log = models.JSONField("抽取记录", default=dict, blank=True, editable=False)
    description = models.TextField("工作要求", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path", sectors="sectors")

    class Meta:
        verbose_name = "检查计划"
        verbose_name_plural = "检查计划"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["territory_path", "status", "-start_date"], name="plan_scope_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:plan_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if self.kind == PlanKind.QUARTERLY and not self.quarter:
            errors["quarter"] = "季安排必须填写季度。"
        if self.quarter and not 1 <= self.quarter <= 4:
            errors["quarter"] = "季度只能是 1-4。"
        if self.kind == PlanKind.RANDOM and not self.random_count:
            errors["random_count"] = "双随机抽查必须填写抽取单位数。"
        if errors:
            raise ValidationError(errors)

    @property
    def risk_levels_display(self) -> str:
        from anjian.registry.models import RiskColour

        labels = dict(RiskColour.choices)
        return "、".join(labels.get(v, v) for v in self.risk_levels)

    @property
    def default_inspection_kind(self) -> str:
        return {
            PlanKind.RANDOM: Kind.RANDOM,
            PlanKind.HOLIDAY: Kind.HOLIDAY,
            PlanKind.SPECIAL: Kind.SPECIAL,
            PlanKind.HUNDRED_DAYS: Kind.SPECIAL,
            PlanKind.GENERAL: Kind.SPECIAL,
        }.get(self.kind, Kind.ROUTINE)


class InspectionTask(models.Model):
    """One unit to inspect under a plan: which unit, which inspector(s), by when."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name="检查计划", on_delete=models.CASCADE, related_name="tasks"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="检查单位",
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        Sector, verbose_name="行业领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="检查人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    co_inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="协同检查人员", blank=True, related_name="+"
    )
    due_date = models.DateField("完成期限", db_index=True)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    # Set when the unit was taken into the plan's 重点 list from the risk ranking (targeting.select_priority_units):
    # its rank, score and the reasons as they read then — the plan keeps why each unit was chosen.
    priority_rank = models.PositiveSmallIntegerField("重点排序", null=True, blank=True, editable=False)
    priority_score = models.SmallIntegerField("风险排序得分", null=True, blank=True, editable=False)
    priority_reasons = models.JSONField("选取理由", default=list, blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "enterprise"], name="task_unique_per_plan")]
        indexes = [
            models.Index(fields=["inspector", "status", "due_date"], name="task_inspector_idx"),
            models.Index(fields=["territory_path", "status", "due_date"], name="task_scope_idx"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.enterprise}"

    def get_absolute_url(self):
        return object_url("inspections:task_detail", self.pk)


class Inspection(Audited):
    """The on-site inspection record (现场检查记录): who, which unit, when, where, what was found."""

    number = models.CharField("记录编号", max_length=40, unique=True)
    level = models.CharField("检查层级", max_length=16, choices=Level.choices)
    kind = models.CharField("检查类型", max_length=16, choices=Kind.choices, default=Kind.ROUTINE)
    status = models.CharField(
        "状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name="检查计划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    task = models.OneToOneField(
        InspectionTask,
        verbose_name="检查任务",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="被检查单位", on_delete=models.PROTECT, related_name="inspections"
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        Sector, verbose_name="行业领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="检查单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    supervising_body = models.CharField(
        "督查组/上级机关", max_length=100, blank=True, help_text="督查组反馈时填写反馈的上级政府或督查组"
    )
    complaint_reference = models.CharField("举报投诉编号", max_length=60, blank=True)
    checklist_template = models.ForeignKey(
        ChecklistTemplate,
        verbose_name="检查表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_on = models.DateField("检查日期", db_index=True)
    started_at = models.TimeField("开始时间", null=True, blank=True)
    ended_at = models.TimeField("结束时间", null=True, blank=True)
    location = models.CharField("检查地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主检查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections_led",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="检查人员", blank=True, related_name="inspections"
    )
    unit_contact = models.CharField("被检查单位现场负责人", max_length=50, blank=True)
    unit_contact_title = models.CharField("职务", max_length=50, blank=True)
    summary = models.TextField("检查情况", blank=True)
    # Signatures: a drawn image (PNG from a canvas) or a confirmed acknowledgement with name and time.
    inspector_signature = models.FileField(
        "检查人员签名", upload_to="inspections/signatures/%Y/%m/", blank=True, editable=False
    )
    inspector_signed_at = models.DateTimeField("检查人员签名时间", null=True, blank=True, editable=False)
    unit_signature = models.FileField(
        "被检查单位签名", upload_to="inspections/signatures/%Y/%m/", blank=True, editable=False
    )
    unit_signer_name = models.CharField("被检查单位签字人", max_length=50, blank=True, editable=False)
    unit_signed_at = models.DateTimeField("被检查单位签字时间", null=True, blank=True, editable=False)
    unit_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="系统内确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")
    # Signing is recorded as a named action (inspections.signed); the file fields themselves are not diffed.
    audit_exclude = ("inspector_signature", "unit_signature")

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"
        ordering = ["-inspected_on", "-id"]
        indexes = [
            models.Index(fields=["territory_path", "-inspected_on", "-id"], name="inspection_scope_idx"),
            models.Index(fields=["enterprise", "-inspected_on"], name="inspection_enterprise_idx"),
            models.Index(fields=["sector", "-inspected_on"], name="inspection_sector_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.enterprise}" if self.enterprise_id else self.number

    def get_absolute_url(self):
        return reverse("inspections:inspection_detail", args=[self.pk])


class InspectionItem(models.Model):
    """One line of the filled checklist, or an ad-hoc finding (no template item)."""

    inspection = models.ForeignKey(
        Inspection, verbose_name="检查记录", on_delete=models.CASCADE, related_name="items"
    )
    template_item = models.ForeignKey(
        ChecklistItem,
        verbose_name="检查项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField("序号")
    # Snapshot of the template item, so a later template edit never changes a signed record.
    text = models.CharField("检查内容", max_length=300)
    basis = models.CharField("依据", max_length=300, blank=True)
    major_clause = models.CharField("重大事故隐患判定条款", max_length=200, blank=True)
    result = models.CharField("结果", max_length=8, choices=ItemResult.choices, blank=True, default="")
    note = models.CharField("问题描述/备注", max_length=500, blank=True)
    photo = models.FileField("照片", upload_to="inspections/photos/%Y/%m/", blank=True)
    is_major = models.BooleanField("判定为重大事故隐患", default=False)
    rectified_on_spot = models.BooleanField("已当场整改", default=False)
    follow_up = models.CharField(
        "不能当场整改的处理", max_length=16, choices=FollowUp.choices, blank=True, default=""
    )
    interim_measures = models.CharField("临时管控措施", max_length=300, blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True)
    # The hazard this failed item became (anjian.hazards); set only by services.create_hazards_from_items.
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name="登记的隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_item",
        editable=False,
    )

    class Meta:
        verbose_name = "检查项结果"
        verbose_name_plural = "检查项结果"
        ordering = ["inspection", "order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "order"], name="inspection_item_unique_order")
        ]

    def __str__(self):
        return f"{self.order}. {self.text}"

    @property
    def failed(self) -> bool:
        return self.result == ItemResult.FAIL


# --- risk-based targeting (分级分类、差异化监管) ------------------------------------------------------------


class TargetingFactor(models.TextChoices):
    """What a targeting rule looks at, per unit (targeting.unit_facts computes each one in bulk)."""

    RISK_COLOUR = "risk_colour", "风险等级"
    OPEN_HAZARDS = "open_hazards", "未销号隐患数"
    OVERDUE_HAZARDS = "overdue_hazards", "逾期未整改隐患数"
    MAJOR_HAZARDS = "major_hazards", "未销号重大事故隐患数"
    HAZARD_SOURCES = "hazard_sources", "危险化学品重大危险源数"
    ACCIDENTS = "accidents", "近期生产安全事故数"
    BLACKLISTED = "blacklisted", "列入严重失信主体名单"
    INSPECTION_GAP = "inspection_gap", "距上次检查超过应检间隔（%）"
    UNACKED_WARNINGS = "unacked_warnings", "预警逾期未签收数"


class TargetingRule(Audited):
    """One line of the targeting score table: when `factor` reaches `threshold` (or equals `risk_level` for the
    colour factor), the unit gets `points`. Data, maintained by the 安委办 (every change is in the history);
    the score of a unit is the sum of the points of the active rules it matches — nothing else."""

    factor = models.CharField("因素", max_length=20, choices=TargetingFactor.choices)
    risk_level = models.CharField(
        "风险等级",
        max_length=8,
        blank=True,
        choices=RiskColour.choices,
        help_text="只用于“风险等级”因素：等于该等级时计分",
    )
    threshold = models.PositiveIntegerField(
        "阈值",
        default=1,
        help_text="数量类因素：达到（≥）该数时计分；“距上次检查”因素：超过应检间隔的百分比，100 即到期未检",
    )
    window_days = models.PositiveSmallIntegerField(
        "统计天数", null=True, blank=True, help_text="事故、预警：只计最近多少天内的；空表示不限"
    )
    points = models.SmallIntegerField("分值")
    note = models.CharField("依据/说明", max_length=300, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "重点检查排序规则"
        verbose_name_plural = "重点检查排序规则"
        ordering = ["sort_order", "id"]

    def __str__(self):
        return f"{self.condition_display} +{self.points}"

    def get_absolute_url(self):
        return reverse("inspections:targeting_rule_detail", args=[self.pk])

    @property
    def condition_display(self) -> str:
        factor = TargetingFactor(self.factor)
        if factor == TargetingFactor.RISK_COLOUR:
            return f"风险等级为{dict(RiskColour.choices).get(self.risk_level, '—')}"
        if factor == TargetingFactor.BLACKLISTED:
            return factor.label
        if factor == TargetingFactor.INSPECTION_GAP:
            return f"距上次检查超过应检间隔的 {self.threshold}%（从未检查也计）"
        window = f"（近{self.window_days}天）" if self.window_days else ""
        return f"{factor.label}{window} ≥ {self.threshold}"

    def clean(self):
        if self.factor == TargetingFactor.RISK_COLOUR:
            if self.risk_level not in RiskColour.values:
                raise ValidationError({"risk_level": "“风险等级”因素须选择一个风险等级。"})
        elif self.risk_level:
            raise ValidationError({"risk_level": "只有“风险等级”因素填写风险等级。"})
        if self.factor in (TargetingFactor.ACCIDENTS, TargetingFactor.UNACKED_WARNINGS):
            if not self.window_days:
                raise ValidationError({"window_days": "事故、预警规则须填写统计天数。"})
        elif self.window_days:
            raise ValidationError({"window_days": "只有事故、预警规则填写统计天数。"})
        if self.factor == TargetingFactor.INSPECTION_GAP and self.threshold < 1:
            raise ValidationError({"threshold": "百分比至少为 1。"})
