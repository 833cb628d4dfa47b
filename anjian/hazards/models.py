"""Hazards (事故隐患): one record per hazard, its rectification, re-inspection, closure and listed supervision.

Statuses change only through anjian/hazards/services.py, which checks the transitions table in
anjian/hazards/workflow.py. Rules cited are in the domain rules reference (rules.md) (R16 = 原国家安监总局令第16号).
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.reversing import object_url
from anjian.core.scope import ScopeSpec


class Grade(models.TextChoices):
    # R16 第三条第二款: exactly two legal grades (rules.md HZ-02).
    GENERAL = "general", "一般事故隐患"
    MAJOR = "major", "重大事故隐患"


class Nature(models.TextChoices):
    # R16 第三条 (rules.md HZ-01, §8.6 hazard nature).
    THING = "thing", "物的危险状态"
    ACT = "act", "人的不安全行为"
    MANAGEMENT = "management", "管理上的缺陷"


class Source(models.TextChoices):
    # rules.md §1.5 / §8.6 found_by: who found it must be recorded.
    SELF_CHECK = "self_check", "企业自查"
    DEPARTMENT = "department", "部门检查"
    TOWN_PATROL = "town_patrol", "镇街巡查"
    GRID_PATROL = "grid_patrol", "网格员巡查"
    PUBLIC_TIP = "public_tip", "群众举报"
    SUPERVISION = "supervision", "上级督查/暗访反馈"
    ACCIDENT = "accident", "事故调查"
    IMPORT = "import", "台账导入"


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    PLAN_SET = "plan_set", "已制定整改方案"
    RECTIFYING = "rectifying", "整改中"
    REPORTED = "reported", "整改完成待复查"
    ACCEPTED = "accepted", "复查合格待销号"
    CLOSED = "closed", "已销号"
    VOIDED = "voided", "已作废"


OPEN_STATUSES = (Status.REGISTERED, Status.PLAN_SET, Status.RECTIFYING, Status.REPORTED, Status.ACCEPTED)


class StopOrder(models.TextChoices):
    NONE = "none", "无"
    PARTIAL = "partial", "局部停产停业"
    TOTAL = "total", "全部停产停业"


class SupervisionLevel(models.IntegerChoices):
    # rules.md §8.6 督办 level; ordered: a higher number is a higher government.
    NONE = 0, "未挂牌"
    TOWN = 1, "镇街挂牌督办"
    COUNTY = 2, "县级挂牌督办"
    CITY = 3, "市级挂牌督办"
    PROVINCE = 4, "省级挂牌督办"


class Confidence(models.TextChoices):
    # How far a catalogue text was checked against the official document (the catalogue's ✅ / 🟡 / ❓ marks).
    VERIFIED = "verified", "已核对"
    PARTIAL = "partial", "部分核对"
    MEMORY = "memory", "条文待核对"


class StandardStatus(models.TextChoices):
    CURRENT = "current", "现行"
    SUPERSEDED = "superseded", "已废止"


class HazardStandard(Audited):
    """One 重大事故隐患判定标准 document (e.g. 安监总管三〔2017〕121号), with the sectors it applies to. Never deleted:
    hazards judged under a superseded standard keep citing it (rules.md §2)."""

    code = models.CharField(
        "标准代码", max_length=40, unique=True, help_text="如 HC-2017-121，一经使用不得更改"
    )
    title = models.CharField("标准名称", max_length=200)
    issuer = models.CharField("发布机关", max_length=200, blank=True)
    document_no = models.CharField("文号", max_length=120, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    effective_note = models.CharField("发布/施行说明", max_length=200, blank=True)
    status = models.CharField(
        "现状", max_length=12, choices=StandardStatus.choices, default=StandardStatus.CURRENT
    )
    status_note = models.TextField("现状说明", blank=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name="被替代为", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confidence = models.CharField(
        "核对情况", max_length=10, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    sectors = models.ManyToManyField("core.Sector", verbose_name="适用行业领域", blank=True, related_name="+")
    keywords = models.JSONField("行业关键词", default=list, blank=True)
    preamble = models.TextField("引导语", blank=True)
    note = models.TextField("说明", blank=True)
    sources = models.JSONField("来源", default=list, blank=True)
    catalogue_version = models.CharField("目录版本", max_length=20, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "重大事故隐患判定标准"
        verbose_name_plural = "重大事故隐患判定标准"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"《{self.title}》"

    @property
    def is_current(self) -> bool:
        return self.status == StandardStatus.CURRENT


class MajorHazardCriterion(Audited):
    """One version of one clause of a 重大事故隐患判定标准 (rules.md §2: a versioned catalogue, never deleted; a
    hazard graded 重大 references one clause version, HZ-03).

    `code` is the clause's stable id from the catalogue (e.g. HC-2017-121-05); revising a clause's text adds a row
    with the same code and the next `version`, so hazards keep the version they were judged under. Rows created
    before the catalogue (no code) are kept as superseded, `replaced_by` their catalogue clause where one matched.
    """

    sector = models.ForeignKey(
        "core.Sector", verbose_name="行业领域", on_delete=models.PROTECT, related_name="major_hazard_criteria"
    )
    standard_ref = models.ForeignKey(
        HazardStandard,
        verbose_name="所属标准",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clauses",
    )
    code = models.CharField("条款代码", max_length=60, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    standard = models.CharField("判定标准", max_length=200)
    document_no = models.CharField("文号", max_length=120, blank=True)
    clause = models.CharField("条款", max_length=80)
    text = models.TextField("条款内容")
    examples = models.JSONField("典型隐患描述", default=list, blank=True)
    confidence = models.CharField(
        "核对情况", max_length=10, choices=Confidence.choices, default=Confidence.VERIFIED
    )
    is_summary = models.BooleanField("概要（非原文）", default=False)
    is_active = models.BooleanField("现行有效", default=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name="已由其替代", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "重大事故隐患判定条款"
        verbose_name_plural = "重大事故隐患判定条款"
        ordering = ["sector", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=~models.Q(code=""), name="major_criterion_code_version"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(is_active=True) & ~models.Q(code=""),
                name="major_criterion_one_active_version",
            ),
        ]

    def __str__(self):
        return f"《{self.standard}》{self.clause}"

    @property
    def citation(self) -> str:
        return (
            f"《{self.standard}》{self.document_no and f'（{self.document_no}）'}{self.clause}：{self.text}"
        )

    @property
    def needs_check(self) -> bool:
        return self.confidence != Confidence.VERIFIED

    def applies_to(self, sector) -> bool:
        """The clause's own sector, or any sector its standard applies to (工贸 第三条 also judges a 粉尘涉爆
        unit: 《工贸企业重大事故隐患判定标准》 covers the sub-sectors it names)."""
        sector_id = getattr(sector, "pk", None)
        if sector_id is None:
            return False
        if self.sector_id == sector_id:
            return True
        return self.standard_ref_id is not None and self.standard_ref.sectors.filter(pk=sector_id).exists()


class ClauseSuggestion(models.Model):
    """What the registration page suggested for a description, and which clause the user took (if any). Kept to
    measure and tune the suggestion (bench/eval_suggest.py); append-only apart from the choice."""

    created_at = models.DateTimeField("时间", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("隐患描述")
    sector = models.ForeignKey(
        "core.Sector",
        verbose_name="行业领域",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested = models.JSONField("推荐条款", default=list)
    chosen = models.ForeignKey(
        MajorHazardCriterion,
        verbose_name="采用条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_at = models.DateTimeField("采用时间", null=True, blank=True)
    hazard = models.ForeignKey(
        "Hazard", verbose_name="隐患", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "判定条款推荐记录"
        verbose_name_plural = "判定条款推荐记录"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.text[:30]} → {len(self.suggested)} 条"


class Hazard(Audited):
    """One accident hazard found at one unit (16号令 第十条: register each hazard by grade)."""

    # Searched with two-character words through the pair indexes (core.filters.contains_q, hazards 0014).
    pair_search_fields = ("number", "description", "location")

    number = models.CharField("隐患编号", max_length=40, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="单位", on_delete=models.PROTECT, related_name="hazards"
    )
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        "core.Sector",
        verbose_name="行业领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField("隐患部位", max_length=200, blank=True)
    description = models.TextField("隐患描述")
    category = models.CharField(
        "隐患类别", max_length=60, blank=True, help_text="如：消防安全、用电安全、有限空间"
    )
    nature = models.CharField("隐患性质", max_length=16, choices=Nature.choices, blank=True)
    source = models.CharField("隐患来源", max_length=16, choices=Source.choices, default=Source.DEPARTMENT)
    grade = models.CharField("隐患级别", max_length=8, choices=Grade.choices, default=Grade.GENERAL)
    major_criterion = models.ForeignKey(
        MajorHazardCriterion,
        verbose_name="判定依据条款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    # The clause as it read when the hazard was graded (rules.md §2: hazards cite the text in force then).
    major_clause = models.TextField("重大隐患判定依据", blank=True)
    # Old ledgers graded hazards 重大 without citing a clause: imported as major, flagged until someone cites one.
    major_basis_pending = models.BooleanField("待补充判定依据", default=False, db_default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED)

    found_on = models.DateField("发现时间", default=timezone.localdate)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name="检查记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    inspector_names = models.CharField("排查人员", max_length=200, blank=True)
    registered_at = models.DateTimeField("登记时间", default=timezone.now)
    deadline = models.DateField("整改期限", null=True, blank=True)
    is_overdue = models.BooleanField("已逾期", default=False)

    # Rectified on the spot (short path; the confirming person is recorded).
    rectified_on_spot = models.BooleanField("现场立即整改", default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="现场整改确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Rectification plan; for major hazards the five elements 五落实 (R16 第十五条第二款, rules.md HZ-31).
    measures = models.TextField("整改措施", blank=True)
    responsible_person = models.CharField("整改责任人", max_length=100, blank=True)
    funds = models.DecimalField("整改资金（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    emergency_plan = models.TextField("应急预案及安全措施", blank=True)
    plan_set_at = models.DateTimeField("方案制定时间", null=True, blank=True)

    # Rectification report (evidence: after-photos, description, money spent).
    rectification_note = models.TextField("整改情况", blank=True)
    money_spent = models.DecimalField(
        "实际投入资金（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改报告人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField("整改完成时间", null=True, blank=True)

    # Re-inspection (复查验收): the latest one; every one is kept in HazardReview.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("复查时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)

    # Stop order for a major hazard (R16 第十六、十八条; 安全生产法 第六十五条): released only by resumption approval.
    stop_order = models.CharField("停产停业", max_length=8, choices=StopOrder.choices, default=StopOrder.NONE)
    resumption_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复产审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resumption_approved_at = models.DateTimeField("复产审批时间", null=True, blank=True)
    # HZ-45 (安全生产违法行为行政处罚办法 第十四条 ✅): a temporary stop lasts "一般不超过6个月" — the date the ordered stop
    # reaches 6 months, for the reminder scan (set by services when the stop is ordered).
    stop_review_due = models.DateField(
        "停产停业满6个月日期", null=True, blank=True, editable=False, db_index=True
    )

    # 挂牌督办 (rules.md §1.5): the current listing, copied from the active HazardSupervision row.
    supervision_level = models.PositiveSmallIntegerField(
        "挂牌督办级别", choices=SupervisionLevel.choices, default=SupervisionLevel.NONE
    )
    supervising_org = models.ForeignKey(
        "core.Organisation",
        verbose_name="督办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    void_reason = models.TextField("作废原因", blank=True)
    order_number = models.CharField("责令限期整改指令书文号", max_length=60, blank=True)
    external_ref = models.CharField(
        "原台账编号", max_length=60, blank=True, db_index=True, help_text="从原有隐患台账导入时的编号"
    )

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "隐患"
        verbose_name_plural = "隐患"
        ordering = ["-id"]
        indexes = [
            # Ledger filters: territory subtree (prefix) + status/grade/overdue/sector, newest first (keyset on id).
            # On PostgreSQL the pattern opclasses let `territory_path LIKE '1.5.%'` use the index whatever the
            # database collation (other backends ignore opclasses).
            models.Index(
                fields=["territory_path", "status", "grade"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
                name="hazard_scope_status_idx",
            ),
            # Overdue hazards are few: a partial index holds only them (the 逾期 filter of lists and ledgers).
            models.Index(
                fields=["territory_path", "status"],
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                condition=models.Q(is_overdue=True),
                name="hazard_overdue_scope_idx",
            ),
            models.Index(
                fields=["sector", "territory_path", "status"],
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
                name="hazard_sector_scope_idx",
            ),
            models.Index(fields=["enterprise", "status", "-id"], name="hazard_enterprise_idx"),
            # Deadline scan: open hazards due before a date.
            models.Index(fields=["status", "deadline"], name="hazard_due_idx"),
            models.Index(fields=["supervising_org", "status"], name="hazard_supervision_idx"),
            # The dashboard's 挂牌督办 list: open listed hazards (a tiny share) in deadline order, without walking
            # the deadlines of every hazard in the province.
            models.Index(
                fields=["deadline", "id"],
                condition=models.Q(supervision_level__gt=0, status__in=OPEN_STATUSES),
                name="hazard_listed_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.description[:30]}"

    def get_absolute_url(self):
        return object_url("hazards:hazard_detail", self.pk)

    @property
    def is_major(self) -> bool:
        return self.grade == Grade.MAJOR

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_now(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.is_open and self.deadline and self.deadline < today)

    def save(self, *args, **kwargs):
        """Every save keeps the summary counts (anjian.stats) true in the same transaction: the stored key is read
        under a row lock (not the key this instance was loaded with, which a concurrent change may have made
        stale), then the hazard moves from it to its new key."""
        from anjian.stats import counts

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not counts.HAZARD_KEY_FIELDS.intersection(update_fields):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            old = counts.locked_key(self.pk) if self.pk is not None else None
            super().save(*args, **kwargs)
            counts.hazard_saved(old, self)

    def clean(self):
        # rules.md HZ-03: a 重大 record must cite a clause of the sector's standard.
        if (
            self.grade == Grade.MAJOR
            and not self.major_basis_pending
            and not (self.major_criterion_id or self.major_clause.strip())
        ):
            raise ValidationError({"major_criterion": "重大事故隐患必须选择重大事故隐患判定标准中的条款。"})


def photo_upload_to(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return (
        f"hazards/{timezone.now():%Y/%m}/{instance.hazard_id}-{instance.kind}-{timezone.now():%H%M%S%f}{ext}"
    )


class HazardPhoto(models.Model):
    """A photo (or scanned document) attached to a hazard: before rectification, after, or a plan/report file."""

    class Kind(models.TextChoices):
        BEFORE = "before", "整改前"
        AFTER = "after", "整改后"
        DOCUMENT = "document", "附件"

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    file = models.FileField("文件", upload_to=photo_upload_to)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope = ScopeSpec(
        territory="hazard__territory_path", sectors="hazard__sector", enterprise="hazard__enterprise"
    )

    class Meta:
        verbose_name = "隐患照片"
        verbose_name_plural = "隐患照片"
        ordering = ["hazard", "kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"


class HazardReview(models.Model):
    """One re-inspection (复查验收) of a reported rectification: accepted or rejected with reasons. Append-only."""

    hazard = models.ForeignKey(Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="reviews")
    accepted = models.BooleanField("复查合格")
    opinion = models.TextField("复查意见")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复查人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("复查时间", default=timezone.now)
    number = models.CharField("复查意见书编号", max_length=40, blank=True)

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ["hazard", "-reviewed_at", "-id"]

    def __str__(self):
        return f"{self.hazard.number} {'合格' if self.accepted else '不合格'}"


class ExtensionRequest(models.Model):
    """A request to extend the rectification deadline, decided by government staff."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="extension_requests"
    )
    old_deadline = models.DateField("原整改期限", null=True, blank=True)
    new_deadline = models.DateField("申请延期至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    status = models.CharField("审批状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["hazard", "-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=models.Q(status="pending"), name="hazard_one_pending_extension"
            )
        ]

    def __str__(self):
        return f"{self.hazard.number} 延期至 {self.new_deadline}"


class HazardSupervision(models.Model):
    """挂牌督办 (rules.md §1.5): a listing of a hazard by a government level, with the supervising body and the
    deadline for 限期销号. Only the supervising body may accept and close the hazard while it is listed."""

    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="supervisions"
    )
    level = models.PositiveSmallIntegerField("督办级别", choices=SupervisionLevel.choices)
    supervising_org = models.ForeignKey(
        "core.Organisation", verbose_name="督办机构", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("限期销号日期")
    reason = models.TextField("督办事由", blank=True)
    number = models.CharField("督办编号", max_length=40, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="挂牌人", on_delete=models.PROTECT, related_name="+"
    )
    listed_at = models.DateTimeField("挂牌时间", default=timezone.now)
    is_active = models.BooleanField("督办中", default=True)
    delisted_at = models.DateTimeField("摘牌时间", null=True, blank=True)

    class Meta:
        verbose_name = "挂牌督办"
        verbose_name_plural = "挂牌督办"
        ordering = ["hazard", "-listed_at", "-id"]
        indexes = [models.Index(fields=["is_active", "deadline"], name="hazard_supervision_due_idx")]

    def __str__(self):
        return f"{self.hazard.number} {self.get_level_display()}"


# --- 市级核查: the city re-checks a random sample of the closures in its counties -------------------------------
class SampleMethod(models.TextChoices):
    PERCENT = "percent", "按比例"
    COUNT = "count", "按数量"


class Verdict(models.TextChoices):
    PENDING = "pending", "待核查"
    HOLDS = "holds", "属实"
    FAILS = "fails", "不属实"


class VerificationSample(Audited):
    """One draw of 市级核查 (the fourth step of 企业自查 → 镇办巡查 → 县级排查 → 市级核查): a random sample of the
    hazards closed (销号) in the city's counties in a period. The seed and the population are recorded, so the
    same draw can be repeated and checked (anjian/hazards/verification.py)."""

    territory = models.ForeignKey(
        "core.Territory", verbose_name="核查区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    county = models.ForeignKey(
        "core.Territory",
        verbose_name="限定县（区）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField("核查批次号", max_length=40, unique=True, editable=False)
    period_start = models.DateField("销号时间自")
    period_end = models.DateField("销号时间至")
    method = models.CharField("抽取方式", max_length=8, choices=SampleMethod.choices)
    size_value = models.PositiveIntegerField("比例（%）或数量")
    seed = models.BigIntegerField("随机种子")
    population = models.PositiveIntegerField("期内销号隐患数")
    population_digest = models.CharField("总体摘要（SHA-256）", max_length=64)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)
    note = models.TextField("说明", blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "市级核查批次"
        verbose_name_plural = "市级核查批次"
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{self.number} {self.territory.name} {self.period_start}—{self.period_end}"

    def get_absolute_url(self):
        return reverse("hazards:verification_sample", args=[self.pk])


class VerificationItem(Audited):
    """One sampled closure and its 核查 verdict (属实/不属实 with the opinion). Scoped like the hazard, so the
    county and town that closed it see the verdict."""

    sample = models.ForeignKey(
        VerificationSample, verbose_name="核查批次", on_delete=models.PROTECT, related_name="items"
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name="隐患", on_delete=models.PROTECT, related_name="verifications"
    )
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict = models.CharField("核查结论", max_length=8, choices=Verdict.choices, default=Verdict.PENDING)
    opinion = models.TextField("核查意见", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    reopened_at = models.DateTimeField("重新打开时间", null=True, blank=True)

    scope = ScopeSpec(territory="territory_path", sectors="hazard__sector")

    class Meta:
        verbose_name = "市级核查记录"
        verbose_name_plural = "市级核查记录"
        ordering = ["sample", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "hazard"], name="verification_item_once_per_sample")
        ]
        indexes = [models.Index(fields=["hazard", "-id"], name="verification_hazard_idx")]

    def __str__(self):
        return f"{self.sample.number} {self.hazard.number} {self.get_verdict_display()}"


def verification_photo_upload_to(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"hazards/verification/{timezone.now():%Y/%m}/{instance.item_id}-{timezone.now():%H%M%S%f}{ext}"


class VerificationPhoto(models.Model):
    """A photo taken at the 核查 (optional evidence of the verdict)."""

    item = models.ForeignKey(
        VerificationItem, verbose_name="核查记录", on_delete=models.PROTECT, related_name="photos"
    )
    file = models.FileField("文件", upload_to=verification_photo_upload_to)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope = ScopeSpec(territory="item__territory_path", sectors="item__hazard__sector")

    class Meta:
        verbose_name = "核查照片"
        verbose_name_plural = "核查照片"
        ordering = ["item", "id"]

    def __str__(self):
        return self.original_name or self.file.name


class DirectReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    HANDLED = "handled", "已处理"


class DirectReportOutcome(models.TextChoices):
    REGISTERED = "registered", "核实为重大事故隐患，已登记并督促整改"
    EXISTING = "existing", "核实属实，纳入该隐患整改督办"
    NOT_MAJOR = "not_major", "经核查不构成重大事故隐患"
    OTHER = "other", "其他处理"


class DirectReport(Audited):
    """直接报告 (HZ-20, 安全生产法 第四十六条第二款 ✅): a unit's safety manager who found a 重大事故隐患 and told the
    unit's responsible person, who did not deal with it in time, reports it directly to the supervising department;
    the department must deal with it. The reporter is protected (同条: 生产经营单位不得因此降低其工资、福利等待遇或者
    解除与其订立的劳动合同): in the unit only the reporter sees the report, and nothing is written on the hazard."""

    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(
        "core.Sector",
        verbose_name="行业领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hazard = models.ForeignKey(
        Hazard,
        verbose_name="报告的隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
        help_text="本单位尚未销号的重大事故隐患；未登记的，填写下面的隐患描述",
    )
    location = models.CharField("隐患部位", max_length=200, blank=True)
    description = models.TextField("隐患描述", blank=True)
    reported_to_unit_on = models.DateField("报告本单位负责人日期")
    unit_response = models.TextField("本单位负责人未及时处理的情况")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报告人",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    reporter_title = models.CharField("报告人职务", max_length=50, default="安全生产管理人员")
    submitted_at = models.DateTimeField("报告时间", default=timezone.now, editable=False)
    supervising_org = models.ForeignKey(
        "core.Organisation",
        verbose_name="接收部门",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # 第四十六条第二款 says only "依法及时处理": the number of days is a local setting (❓), kept on the row for the scan.
    due_on = models.DateField("处理期限", db_index=True, editable=False)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=DirectReportStatus.choices,
        default=DirectReportStatus.SUBMITTED,
        editable=False,
    )
    outcome = models.CharField(
        "处理结果", max_length=12, choices=DirectReportOutcome.choices, blank=True, editable=False
    )
    handling_note = models.TextField("处理情况", blank=True, editable=False)
    handled_hazard = models.ForeignKey(
        Hazard,
        verbose_name="登记/督办的隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "重大事故隐患直接报告"
        verbose_name_plural = "重大事故隐患直接报告"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="hazard_direct_report_due_idx")]

    def __str__(self):
        return f"{self.enterprise} 重大事故隐患直接报告（{timezone.localtime(self.submitted_at):%Y-%m-%d}）"

    def get_absolute_url(self):
        return reverse("hazards:direct_report_detail", args=[self.pk])

    @property
    def subject(self) -> str:
        return (
            f"{self.hazard.number} {self.hazard.description[:40]}"
            if self.hazard_id
            else self.description[:60]
        )

    def clean(self):
        if not self.hazard_id and not self.description.strip():
            raise ValidationError({"description": "请选择本单位的重大事故隐患，或填写隐患描述。"})
        if self.reported_to_unit_on and self.reported_to_unit_on > timezone.localdate():
            raise ValidationError({"reported_to_unit_on": "报告本单位负责人日期不能晚于今天。"})
