"""Accident reports (事故报告), their 补报 versions, the reporting chain, grade history and investigations.

The domain rules live in `rules.py` (pure functions); the one way figures, grades and statuses change is
`services.py`. Figures on `Accident` are a cache of the latest report version inside the 补报 window
(493号令 第十三条): never edit them directly.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Sector, Territory
from anjian.core.scope import ScopeSpec

from . import rules


class Grade(models.TextChoices):
    # 493号令 第三条
    GENERAL = rules.AccidentGrade.GENERAL.value, "一般"
    LARGER = rules.AccidentGrade.LARGER.value, "较大"
    MAJOR = rules.AccidentGrade.MAJOR.value, "重大"
    ESPECIALLY_MAJOR = rules.AccidentGrade.ESPECIALLY_MAJOR.value, "特别重大"


class Level(models.TextChoices):
    UNIT = rules.AdminLevel.UNIT.value, "事故发生单位"
    COUNTY = rules.AdminLevel.COUNTY.value, "县级"
    CITY = rules.AdminLevel.CITY.value, "设区的市级"
    PROVINCE = rules.AdminLevel.PROVINCE.value, "省级"
    NATIONAL = rules.AdminLevel.NATIONAL.value, "国家级"


class IndustryGroup(models.TextChoices):
    INDUSTRY_MINING_TRADE = rules.IndustryGroup.INDUSTRY_MINING_TRADE.value, "工矿商贸"
    ROAD_TRAFFIC = rules.IndustryGroup.ROAD_TRAFFIC.value, "道路交通"
    FIRE = rules.IndustryGroup.FIRE.value, "火灾"
    WATERWAY = rules.IndustryGroup.WATERWAY.value, "水上交通"
    RAILWAY = rules.IndustryGroup.RAILWAY.value, "铁路交通"
    CIVIL_AVIATION = rules.IndustryGroup.CIVIL_AVIATION.value, "民航飞行"
    AGRICULTURAL_MACHINERY = rules.IndustryGroup.AGRICULTURAL_MACHINERY.value, "农业机械"
    FISHING_VESSEL = rules.IndustryGroup.FISHING_VESSEL.value, "渔业船舶"


class AccidentKind(models.TextChoices):
    """The kind of accident 493号令 第十三条第二款 names for the 补报 window — not the statistical group: a road crash
    of a company's truck may be filed under 工矿商贸 and still is a 道路交通事故 (7 days)."""

    ROAD_TRAFFIC = "road_traffic", "道路交通事故"
    FIRE = "fire", "火灾事故"
    OTHER = "other", "其他生产安全事故"


ROAD_OR_FIRE_KINDS = frozenset({AccidentKind.ROAD_TRAFFIC.value, AccidentKind.FIRE.value})


class CategoryStandard(models.TextChoices):
    GB6441_1986 = "1986", "GB 6441-1986"
    GB6441_2025 = "2025", "GB 6441-2025"


CATEGORY_TABLES = {
    CategoryStandard.GB6441_1986: dict(rules.CATEGORIES_GB6441_1986),
    CategoryStandard.GB6441_2025: dict(rules.CATEGORIES_GB6441_2025),
}
# One choice list for forms and filters: "<standard>-<code>", e.g. "1986-08" (火灾).
CATEGORY_CHOICES = [
    (f"{std}-{code}", f"{label}（{std.label}）")
    for std in CategoryStandard
    for code, label in CATEGORY_TABLES[std].items()
]


def category_label(value: str) -> str:
    std, _, code = (value or "").partition("-")
    return CATEGORY_TABLES.get(std, {}).get(code, value or "")


class NearMissCriterion(models.TextChoices):
    """The 较大涉险事故 situations (AC-04 ❓, 生产安全事故信息报告和处置办法 [R21]; 条文待核对): events that are
    reported like accidents although nobody need have been killed or injured."""

    INVOLVED_10 = "involved_10", "涉险10人以上"
    TRAPPED_3 = "trapped_3", "造成3人以上被困或者下落不明"
    EVACUATED_500 = "evacuated_500", "紧急疏散人员500人以上"
    POLLUTION = "pollution", "因生产安全事故对环境（地表水、地下水、土壤和空气）造成严重污染"
    KEY_FACILITIES = (
        "key_facilities",
        (
            "危及重要场所和设施安全（电站、重要水利设施、危化品库、油气站和车站、码头、港口、机场及其他人员密集场所等）"
        ),
    )
    OTHER = "other", "其他较大涉险事故"


# The catalogue's ❓ mark, shown to users beside the near-miss criteria (like the hazard criteria catalogue does).
NEAR_MISS_CONFIDENCE = "条文待核对"
NEAR_MISS_LABEL = "较大涉险事故"


class AccidentQuerySet(models.QuerySet):
    def accidents(self):
        """Production-safety accidents only (统计、分级、考核否决 count these)."""
        return self.filter(is_near_miss=False)

    def near_misses(self):
        return self.filter(is_near_miss=True)


class CountedAccidentManager(models.Manager.from_queryset(AccidentQuerySet)):
    """`Accident.objects`: the accidents that count. 较大涉险事故 are reported like accidents (AC-04) but are not
    accidents: statistics, grades and assessment vetoes (dashboard, assessment, targeting — all read
    `Accident.objects`) leave them out at this one source."""

    def get_queryset(self):
        return super().get_queryset().filter(is_near_miss=False)


class AccidentStatus(models.TextChoices):
    REPORTED = "reported", "已报告"
    INVESTIGATING = "investigating", "调查中"
    REPORT_SUBMITTED = "report_submitted", "调查报告已提交"
    CLOSED = "closed", "已结案"


class Accident(Audited):
    """A production-safety accident as reported (事故快报) plus the figures of its latest valid 补报."""

    title = models.CharField("事故名称", max_length=200)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="事故发生单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
        help_text="道路交通等非生产经营单位事故可不选，填写单位名称",
    )
    unit_name = models.CharField("单位（当事方）名称", max_length=200, blank=True)
    territory = models.ForeignKey(
        Territory, verbose_name="事故发生地", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        Sector,
        verbose_name="行业领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
    )
    occurred_at = models.DateTimeField("发生时间", db_index=True)
    place = models.CharField("发生地点", max_length=200)
    category = models.CharField("事故类别（GB 6441）", max_length=8, choices=CATEGORY_CHOICES)
    industry_group = models.CharField(
        "统计分组", max_length=32, choices=IndustryGroup.choices, default=IndustryGroup.INDUSTRY_MINING_TRADE
    )
    kind = models.CharField(
        "事故种类",
        max_length=16,
        choices=AccidentKind.choices,
        default=AccidentKind.OTHER,
        help_text="道路交通事故、火灾事故自发生之日起7日内补报，其他事故30日内（493号令 第十三条第二款）。"
        "统计分组为道路交通或火灾的，按该种类计。",
    )
    summary = models.TextField("事故简要经过")
    measures = models.TextField("已经采取的措施", blank=True)
    # AC-04 ❓: a 较大涉险事故 follows the accident reporting chain and deadlines, but has no accident grade and stays
    # out of accident statistics (see CountedAccidentManager).
    is_near_miss = models.BooleanField(
        "较大涉险事故",
        default=False,
        db_index=True,
        help_text="未造成人员死亡、重伤但须按事故报告的较大涉险事故（生产安全事故信息报告和处置办法，条文待核对）",
    )
    near_miss_criteria = models.JSONField("涉险情形", default=list, blank=True)

    # Current figures: the latest version inside the 补报 window (services.refresh_figures).
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    missing = models.PositiveIntegerField("失踪人数", default=0)
    serious_injuries = models.PositiveIntegerField("重伤人数（含急性工业中毒）", default=0)
    minor_injuries = models.PositiveIntegerField("轻伤人数", default=0)
    direct_loss = models.DecimalField(
        "直接经济损失（元）", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    grade = models.CharField(
        "事故等级", max_length=20, choices=Grade.choices, default=Grade.GENERAL, db_index=True, editable=False
    )
    grading_rules_version = models.CharField(
        "等级划分规则版本", max_length=20, default=rules.GRADING_RULES_VERSION, editable=False
    )

    unit_received_at = models.DateTimeField(
        "单位负责人接报时间", help_text="事故现场有关人员报告单位负责人的时间（493号令 第九条计时起点）"
    )
    supplement_until = models.DateField("补报截止日期", db_index=True, editable=False)
    # 续报 (AC-22 ❓): due until the emergency response ends; kept on the row so the reminder scan reads an index.
    follow_up_due = models.DateTimeField("下次续报时限", null=True, blank=True, editable=False, db_index=True)
    response_ended_at = models.DateTimeField("应急处置结束时间", null=True, blank=True, editable=False)
    status = models.CharField(
        "状态", max_length=20, choices=AccidentStatus.choices, default=AccidentStatus.REPORTED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    external_ref = models.CharField(
        "原台账编号",
        max_length=60,
        blank=True,
        db_index=True,
        help_text="从原事故台账导入时的编号，防止重复导入",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")
    audit_exclude = ("updated_at",)

    # Every report, near misses included: the accident pages, API and deadlines read this one.
    reports = models.Manager.from_queryset(AccidentQuerySet)()
    objects = CountedAccidentManager()

    class Meta:
        verbose_name = "事故"
        verbose_name_plural = "事故"
        default_manager_name = "reports"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["territory_path", "occurred_at"], name="accident_terr_time_idx"),
            models.Index(fields=["-occurred_at", "-id"], name="accident_list_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("accidents:accident_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.category and category_label(self.category) == self.category:
            errors["category"] = "事故类别不在 GB 6441 分类表中。"
        if not self.enterprise_id and not self.unit_name.strip():
            errors["unit_name"] = "未选择生产经营单位时，请填写单位（当事方）名称。"
        if self.occurred_at and self.unit_received_at and self.unit_received_at < self.occurred_at:
            errors["unit_received_at"] = "单位负责人接报时间不能早于事故发生时间。"
        if errors:
            raise ValidationError(errors)

    @property
    def grade_enum(self) -> rules.AccidentGrade:
        return rules.AccidentGrade(self.grade)

    @property
    def road_or_fire(self) -> bool:
        """The 7-day 补报 window (493号令 第十三条第二款) follows the accident's kind, whatever its group."""
        return self.kind in ROAD_OR_FIRE_KINDS or rules.is_road_or_fire(
            rules.IndustryGroup(self.industry_group)
        )

    @property
    def category_display(self) -> str:
        return category_label(self.category)

    @property
    def unit_display(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.unit_name

    @property
    def is_larger_or_above(self) -> bool:
        return not self.is_near_miss and self.grade_enum >= rules.AccidentGrade.LARGER

    @property
    def reporting_grade(self) -> rules.AccidentGrade:
        """The grade whose chain and 续报 interval the report follows: a near miss goes as a 较大 accident does."""
        return rules.reporting_grade(self.grade_enum, self.is_near_miss)

    @property
    def grade_display(self) -> str:
        """The grade as shown: a near miss has none (AC-04)."""
        return f"—（{NEAR_MISS_LABEL}）" if self.is_near_miss else self.get_grade_display()

    @property
    def record_type_display(self) -> str:
        return f"{NEAR_MISS_LABEL}（{NEAR_MISS_CONFIDENCE}）" if self.is_near_miss else "生产安全事故"

    @property
    def near_miss_criteria_display(self) -> str:
        labels = dict(NearMissCriterion.choices)
        return "；".join(labels.get(c, c) for c in self.near_miss_criteria or [])


_ACCIDENT_SCOPE = ScopeSpec(
    territory="accident__territory_path", sectors="accident__sector", enterprise="accident__enterprise"
)


class VersionKind(models.TextChoices):
    INITIAL = "initial", "首报"
    SUPPLEMENT = "supplement", "补报"
    FOLLOW_UP = "follow_up", "续报"  # a progress report with unchanged figures (AC-22)


class ReportVersion(Audited):
    """One statement of an accident's figures: the first report or a 补报. Append-only: never updated.

    Each 补报 restates the totals known on `as_of` (493号令 第十三条); `counts` says whether it is inside the
    30/7-day window and therefore changes grade and statistics.
    """

    accident = models.ForeignKey(
        Accident, verbose_name="事故", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("版本号")
    kind = models.CharField("类型", max_length=12, choices=VersionKind.choices)
    as_of = models.DateField("情况变化日期")
    reported_at = models.DateTimeField("报告时间")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT, related_name="+"
    )
    deaths = models.PositiveIntegerField("死亡人数", default=0)
    missing = models.PositiveIntegerField("失踪人数", default=0)
    serious_injuries = models.PositiveIntegerField("重伤人数（含急性工业中毒）", default=0)
    minor_injuries = models.PositiveIntegerField("轻伤人数", default=0)
    direct_loss = models.DecimalField(
        "直接经济损失（元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    grade = models.CharField("按本版数字的等级", max_length=20, choices=Grade.choices)
    counts = models.BooleanField("在补报期限内（计入统计）", default=True)
    note = models.TextField("说明", blank=True)

    scope = _ACCIDENT_SCOPE

    class Meta:
        verbose_name = "事故报告版本"
        verbose_name_plural = "事故报告版本"
        ordering = ["accident", "number"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "number"], name="accident_version_unique_number")
        ]

    def __str__(self):
        return f"{self.accident} 第{self.number}版（{self.get_kind_display()}）"

    def get_absolute_url(self):
        return self.accident.get_absolute_url()


class ReportHop(Audited):
    """The report reaching one level of the chain (493号令 第九、十、十一条), with its deadline and 迟报 flag."""

    accident = models.ForeignKey(Accident, verbose_name="事故", on_delete=models.CASCADE, related_name="hops")
    level = models.CharField("接报层级", max_length=12, choices=Level.choices)
    deadline = models.DateTimeField("报告时限", db_index=True)
    reported_at = models.DateTimeField("上报时间", null=True, blank=True)
    received_at = models.DateTimeField("接报时间", null=True, blank=True)
    reporter = models.CharField("报告人/报告单位", max_length=100, blank=True)
    receiver = models.CharField("接报人/接报单位", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late = models.BooleanField("迟报", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    # When this level became part of the chain: the filing time, or the 补报 that raised the grade.
    required_since = models.DateTimeField("需报告起始时间", null=True, blank=True)
    # False when a later 补报 lowered the grade below the level (the row is kept, never deleted).
    required = models.BooleanField("当前等级须报至此级", default=True)

    scope = _ACCIDENT_SCOPE

    class Meta:
        verbose_name = "事故上报记录"
        verbose_name_plural = "事故上报记录"
        ordering = ["accident", "deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["accident", "level"], name="accident_hop_unique_level")
        ]

    def __str__(self):
        return f"{self.accident} 报{self.get_level_display()}"

    def get_absolute_url(self):
        return self.accident.get_absolute_url()

    @property
    def done(self) -> bool:
        return self.received_at is not None


class GradeChange(models.Model):
    """Grade history: the first grade and every change caused by a 补报 (append-only)."""

    accident = models.ForeignKey(
        Accident, verbose_name="事故", on_delete=models.CASCADE, related_name="grade_changes"
    )
    version = models.ForeignKey(
        ReportVersion, verbose_name="依据版本", on_delete=models.PROTECT, related_name="grade_changes"
    )
    old_grade = models.CharField("原等级", max_length=20, choices=Grade.choices, blank=True)
    new_grade = models.CharField("新等级", max_length=20, choices=Grade.choices)
    rules_version = models.CharField("规则版本", max_length=20)
    changed_at = models.DateTimeField("变更时间")
    takeover_possible = models.BooleanField(
        "上级政府可另行组织调查", default=False, help_text="493号令 第二十条第二款"
    )

    scope = _ACCIDENT_SCOPE

    class Meta:
        verbose_name = "事故等级变更"
        verbose_name_plural = "事故等级变更"
        ordering = ["accident", "changed_at", "id"]

    def __str__(self):
        old = self.get_old_grade_display() or "—"
        return f"{old} → {self.get_new_grade_display()}"


class ResponsibilityNature(models.TextChoices):
    LIABILITY = "liability", "责任事故"
    NON_LIABILITY = "non_liability", "非责任事故"
    UNDETERMINED = "undetermined", "待认定"


class Investigation(Audited):
    """The investigation of one accident (493号令 第四章): body by grade, deadline, findings, four checks."""

    accident = models.OneToOneField(
        Accident, verbose_name="事故", on_delete=models.CASCADE, related_name="investigation"
    )
    level = models.CharField("组织调查的政府层级", max_length=12, choices=Level.choices, editable=False)
    body = models.CharField("调查组/组织调查单位", max_length=200)
    unit_entrusted = models.BooleanField(
        "委托事故发生单位调查",
        default=False,
        help_text="493号令 第十九条第三款：仅限未造成人员伤亡的一般事故",
    )
    started_on = models.DateField("成立调查组日期")
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.CharField("延长理由", max_length=200, blank=True)
    appraisal_days = models.PositiveSmallIntegerField(
        "技术鉴定天数（不计入调查期限）", default=0, help_text="493号令 第二十七条"
    )
    deadline = models.DateField("调查报告提交期限", db_index=True, editable=False)
    submitted_on = models.DateField("调查报告提交日期", null=True, blank=True)
    direct_cause = models.TextField("直接原因", blank=True)
    indirect_cause = models.TextField("间接原因", blank=True)
    nature = models.CharField(
        "事故性质",
        max_length=16,
        choices=ResponsibilityNature.choices,
        default=ResponsibilityNature.UNDETERMINED,
    )
    findings = models.TextField("调查结论", blank=True)
    # 责任倒查 "四个是否到位" (the four checks): None = not yet reviewed.
    investment_ok = models.BooleanField("安全投入是否到位", null=True, blank=True)
    deployment_ok = models.BooleanField("安排部署是否到位", null=True, blank=True)
    supervision_ok = models.BooleanField("监督管理是否到位", null=True, blank=True)
    urging_ok = models.BooleanField("督促检查是否到位", null=True, blank=True)
    review_notes = models.TextField("责任倒查说明", blank=True)
    follow_up = models.TextField("后续处理（每行一项）", blank=True)
    closed_on = models.DateField("结案（批复）日期", null=True, blank=True)

    scope = _ACCIDENT_SCOPE

    class Meta:
        verbose_name = "事故调查"
        verbose_name_plural = "事故调查"

    def __str__(self):
        return f"{self.accident} 调查"

    def get_absolute_url(self):
        return self.accident.get_absolute_url()

    FOUR_CHECKS = (
        ("investment_ok", "安全投入"),
        ("deployment_ok", "安排部署"),
        ("supervision_ok", "监督管理"),
        ("urging_ok", "督促检查"),
    )

    @property
    def check_rows(self):
        return [(label, getattr(self, name)) for name, label in self.FOUR_CHECKS]

    @property
    def follow_up_items(self) -> list[str]:
        return [line.strip() for line in self.follow_up.splitlines() if line.strip()]

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.submitted_on is None and timezone.localdate() > self.deadline


class PartyKind(models.TextChoices):
    PERSON = "person", "责任人员"
    UNIT = "unit", "责任单位"


class Responsibility(models.TextChoices):
    DIRECT = "direct", "直接责任"
    MAIN = "main", "主要责任"
    IMPORTANT = "important", "重要责任"
    LEADERSHIP = "leadership", "领导责任"
    SUPERVISORY = "supervisory", "监管责任"


class ResponsibleParty(Audited):
    investigation = models.ForeignKey(
        Investigation, verbose_name="事故调查", on_delete=models.CASCADE, related_name="parties"
    )
    kind = models.CharField("类型", max_length=8, choices=PartyKind.choices)
    name = models.CharField("姓名/单位名称", max_length=200)
    position = models.CharField("职务/单位性质", max_length=100, blank=True)
    responsibility = models.CharField("责任", max_length=16, choices=Responsibility.choices)
    handling = models.TextField("处理建议", blank=True)

    scope = ScopeSpec(
        territory="investigation__accident__territory_path",
        sectors="investigation__accident__sector",
        enterprise="investigation__accident__enterprise",
    )

    class Meta:
        verbose_name = "责任人员/单位"
        verbose_name_plural = "责任人员/单位"
        ordering = ["investigation", "kind", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_responsibility_display()}）"

    def get_absolute_url(self):
        return self.investigation.accident.get_absolute_url()
