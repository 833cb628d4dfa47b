"""Enforcement (执法): the provision library, cases with their measures and documents, 约谈/黄牌警告, and the
violation findings that must end in a case or a reviewed reason why not (行政处罚法 第二十八条, rules.md EN-32).

Stage changes, approvals and document numbers happen only in services.py.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Sector, Territory
from anjian.core.scope import ScopeSpec

from . import rules

MEASURE_CHOICES = [(m.value, m.label) for m in rules.EnforcementMeasure]
STAGE_CHOICES = [(s.value, s.label) for s in rules.CaseStage]
# Measures that are fines (validated against the provision's band) and stop orders (need 复产验收).
FINE_MEASURES = {rules.EnforcementMeasure.FINE.value, rules.EnforcementMeasure.DAILY_CONTINUOUS_FINE.value}
STOP_MEASURES = {rules.EnforcementMeasure.SUSPEND_FOR_RECTIFICATION.value}
OPEN_STAGES = [
    s.value
    for s in rules.CaseStage
    if s not in (rules.CaseStage.CLOSED, rules.CaseStage.TRANSFERRED, rules.CaseStage.COURT_ENFORCEMENT)
]


class PartyKind(models.TextChoices):
    UNIT = "unit", "单位"
    PERSON = "person", "个人"


class Provision(Audited):
    """One entry of the legal-provision library (法律依据): who is punished for what, and within which band.

    Data, not code (rules.md EN-20: 裁量基准 are data); seeded from rules.md §1.6, §3.5, §5, §6 by migration 0002.
    A bound of None means "no bound on that side" (e.g. "五万元以下" has no minimum).
    """

    code = models.CharField(
        "编号", max_length=20, unique=True, help_text="如 L1-102（安全生产法第一百零二条）"
    )
    law = models.CharField("法律法规", max_length=100)
    article = models.CharField("条款", max_length=60)
    violation = models.TextField("违法行为")
    penalty_text = models.TextField("处罚规定（原文摘要）")
    party_kind = models.CharField("处罚对象", max_length=8, choices=PartyKind.choices, default=PartyKind.UNIT)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    # Fines set as a share of the person's previous-year income (安全生产法 第九十五条、第九十六条、第一百一十条).
    income_share_min = models.PositiveSmallIntegerField(
        "罚款下限（上一年年收入的百分比）", null=True, blank=True
    )
    income_share_max = models.PositiveSmallIntegerField(
        "罚款上限（上一年年收入的百分比）", null=True, blank=True
    )
    measures_allowed = models.JSONField("可采取的措施", default=list, blank=True)
    source_ref = models.CharField("规则出处", max_length=40, blank=True, help_text="rules.md 条目，如 HZ-63")
    is_active = models.BooleanField("启用", default=True)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "法律依据"
        verbose_name_plural = "法律依据库"
        ordering = ["code"]

    def __str__(self):
        return f"{self.law}{self.article}"

    def get_absolute_url(self):
        return reverse("enforcement:provision_detail", args=[self.pk])

    @property
    def fine_range_text(self) -> str:
        if self.income_share_min is not None or self.income_share_max is not None:
            return rules.income_share_text(self.income_share_min, self.income_share_max)
        if self.fine_min is None and self.fine_max is None:
            return "—"
        low = f"{self.fine_min:,.0f}元以上" if self.fine_min is not None else ""
        high = f"{self.fine_max:,.0f}元以下" if self.fine_max is not None else ""
        return low + high

    @property
    def measures_labels(self) -> str:
        labels = dict(MEASURE_CHOICES)
        return "、".join(labels.get(m, m) for m in self.measures_allowed)

    def clean(self):
        if self.fine_min is not None and self.fine_max is not None and self.fine_min > self.fine_max:
            raise ValidationError({"fine_max": "罚款上限不能低于下限。"})
        shares = (self.income_share_min, self.income_share_max)
        if any(v is not None for v in shares):
            if None in shares:
                raise ValidationError({"income_share_max": "按年收入比例罚款须同时填写下限和上限百分比。"})
            if self.income_share_min > self.income_share_max or self.income_share_max > 100:
                raise ValidationError({"income_share_max": "百分比应在0–100之间，且上限不低于下限。"})
            if self.fine_min is not None or self.fine_max is not None:
                raise ValidationError({"fine_min": "按年收入比例罚款的依据不再填写金额幅度。"})
        unknown = [m for m in self.measures_allowed or [] if m not in dict(MEASURE_CHOICES)]
        if unknown:
            raise ValidationError({"measures_allowed": f"未知的措施：{'、'.join(unknown)}"})


class SourceKind(models.TextChoices):
    INSPECTION = "inspection", "执法检查"
    HAZARD = "hazard", "隐患排查"
    TIP = "tip", "举报投诉"
    ACCIDENT = "accident", "事故调查"
    TRANSFER = "transfer", "移送"
    OTHER = "other", "其他"


class Case(Audited):
    """An administrative-penalty case (行政处罚案件) against a unit and/or responsible persons."""

    number = models.CharField("立案编号", max_length=60, unique=True, editable=False)
    title = models.CharField("案由", max_length=200)
    party_kind = models.CharField(
        "当事人类型", max_length=8, choices=PartyKind.choices, default=PartyKind.UNIT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="当事单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    party_name = models.CharField("当事人名称/姓名", max_length=200, blank=True)
    responsible_persons = models.TextField(
        "责任人员", blank=True, help_text="每行一人：姓名、职务、身份证号或联系方式"
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, verbose_name="行业领域", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name="办案机关", on_delete=models.PROTECT, related_name="enforcement_cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", on_delete=models.PROTECT, related_name="+"
    )
    co_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="协办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="行政处罚法 第四十二条：执法人员不得少于两人",
    )
    source_kind = models.CharField("案件来源", max_length=16, choices=SourceKind.choices)
    source_description = models.CharField(
        "来源说明", max_length=300, blank=True, help_text="如举报编号、检查记录编号、移送函"
    )
    accident = models.ForeignKey(
        "accidents.Accident",
        verbose_name="关联事故",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name="关联隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name="关联执法检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_cases",
    )
    facts = models.TextField("违法事实")
    provisions = models.ManyToManyField(Provision, verbose_name="法律依据", blank=True, related_name="cases")
    stage = models.CharField(
        "阶段", max_length=20, choices=STAGE_CHOICES, default=rules.CaseStage.FILED.value, editable=False
    )
    filed_on = models.DateField("立案日期", default=date.today)
    decision_due = models.DateField("办案期限", editable=False, null=True, db_index=True)
    notified_on = models.DateField("告知日期", null=True, blank=True, editable=False)
    hearing_offered = models.BooleanField("告知听证权利", default=False, editable=False)
    hearing_deadline = models.DateField("听证申请期限", null=True, blank=True, editable=False, db_index=True)
    hearing_requested = models.BooleanField("当事人申请听证", default=False, editable=False)
    hearing_waived = models.BooleanField("当事人放弃陈述申辩/听证", default=False, editable=False)
    hearing_held_on = models.DateField("听证日期", null=True, blank=True, editable=False)
    decided_on = models.DateField("决定日期", null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批负责人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    served_on = models.DateField("送达日期", null=True, blank=True, editable=False)
    payment_due = models.DateField("缴款期限", null=True, blank=True, editable=False, db_index=True)
    closed_on = models.DateField("结案日期", null=True, blank=True, editable=False)
    transfer_to = models.CharField("移送机关", max_length=200, blank=True, editable=False)
    outcome_note = models.TextField("处理说明", blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        indexes = [
            models.Index(fields=["stage", "id"], name="enf_case_stage_id"),
            models.Index(fields=["territory_path", "filed_on"], name="enf_case_path_filed"),
            models.Index(fields=["enterprise", "filed_on"], name="enf_case_ent_filed"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("enforcement:case_detail", args=[self.pk])

    @property
    def stage_enum(self) -> rules.CaseStage:
        return rules.CaseStage(self.stage)

    @property
    def party_display(self) -> str:
        return self.party_name or (self.enterprise.name if self.enterprise_id else "")

    def clean(self):
        if not self.enterprise_id and not self.party_name.strip():
            raise ValidationError({"party_name": "请选择当事单位或填写当事人名称/姓名。"})
        if self.party_kind == PartyKind.UNIT and not self.enterprise_id and not self.party_name:
            raise ValidationError({"enterprise": "单位案件须选择当事单位。"})
        if self.co_handler_id and self.co_handler_id == self.handler_id:
            raise ValidationError({"co_handler": "协办人不能与承办人为同一人。"})


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", "拟作出"
    DECIDED = "decided", "已决定"
    EXECUTED = "executed", "已执行"
    CANCELLED = "cancelled", "已撤销"


class Measure(Audited):
    """A measure or penalty of a case (责令限期整改, 罚款, 停产停业整顿 …). Penalties and non-penalty measures are
    both rows here; `kind` tells them apart (rules.md EN-03 keeps 现场处理措施 separate from 行政处罚)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="measures")
    # Copied from the case so scope never joins (docs/architecture.md).
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", editable=False, null=True)
    measure = models.CharField("措施", max_length=32, choices=MEASURE_CHOICES)
    provision = models.ForeignKey(
        Provision, verbose_name="法律依据", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    income_base = models.DecimalField(
        "上一年年收入（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="按上一年年收入比例处罚个人时填写（安全生产法第九十五条等）",
    )
    is_upper_limit = models.BooleanField("上限处罚", default=False, editable=False)
    ordered_on = models.DateField("责令/决定日期", null=True, blank=True)
    deadline = models.DateField(
        "期限", null=True, blank=True, db_index=True, help_text="整改期限、停产整顿期限等"
    )
    daily_until = models.DateField(
        "按日计罚截止日", null=True, blank=True, help_text="按日连续处罚：核查仍拒不改正的最后一日"
    )
    details = models.TextField("内容", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED, editable=False
    )
    executed_on = models.DateField("执行日期", null=True, blank=True, editable=False)
    blacklist_ref = models.CharField("黑名单记录", max_length=100, blank=True, editable=False)
    resumption_accepted_on = models.DateField("复产验收日期", null=True, blank=True, editable=False)
    resumption_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resumption_opinion = models.TextField("复产验收意见", blank=True, editable=False)

    class Meta:
        verbose_name = "措施与处罚"
        verbose_name_plural = "措施与处罚"
        ordering = ["case_id", "id"]

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="case__enterprise")

    def __str__(self):
        text = self.get_measure_display()
        if self.amount is not None:
            text += f" {self.amount:,.2f}元"
        return text

    def save(self, *args, **kwargs):
        self.territory_path = self.case.territory_path
        self.sector_id = self.case.sector_id
        self.is_upper_limit = bool(
            self.measure in FINE_MEASURES
            and self.amount is not None
            and self.provision_id
            and rules.is_upper_limit_penalty(self.amount, self.provision.fine_max)
        )
        super().save(*args, **kwargs)

    @property
    def is_fine(self) -> bool:
        return self.measure in FINE_MEASURES

    @property
    def is_stop_order(self) -> bool:
        return self.measure in STOP_MEASURES

    @property
    def daily_total(self) -> Decimal | None:
        """按日连续处罚 total (安全生产法 第一百一十二条), from the day after the order up to `daily_until`."""
        if self.measure != rules.EnforcementMeasure.DAILY_CONTINUOUS_FINE.value:
            return None
        if self.amount is None or not self.ordered_on or not self.daily_until:
            return None
        return rules.daily_continuous_fine(self.amount, self.ordered_on, self.daily_until)

    def income_share_band(self) -> tuple[Decimal | None, Decimal | None]:
        """The yuan band of an income-share fine. 第九十五条 fixes the share by the accident's grade: when the case
        is linked to its accident, the band narrows to that share."""
        share_min, share_max = self.provision.income_share_min, self.provision.income_share_max
        accident = self.case.accident if self.case_id and self.case.accident_id else None
        exact = (
            rules.SECTION_95_SHARES.get(accident.grade)
            if accident and self.provision.code == "L1-95"
            else None
        )
        if exact is not None:
            share_min = share_max = exact
        return rules.income_share_band(self.income_base, share_min, share_max)

    def clean(self):
        errors = {}
        if self.is_fine:
            if self.amount is None:
                errors["amount"] = "罚款须填写金额。"
            elif self.provision_id is None:
                errors["provision"] = "罚款须选择法律依据。"
            elif self.provision.income_share_min is not None:
                low, high = self.income_share_band()
                if self.income_base is None or self.income_base <= 0:
                    errors["income_base"] = "按年收入比例罚款，须填写被处罚人上一年年收入。"
                else:
                    problems = rules.validate_fine(self.amount, low, high)
                    if problems:
                        errors["amount"] = [
                            f"{p}（{self.provision.fine_range_text}，上一年年收入{self.income_base:,.2f}元）"
                            for p in problems
                        ]
            else:
                problems = rules.validate_fine(self.amount, self.provision.fine_min, self.provision.fine_max)
                if problems:
                    errors["amount"] = problems
            if self.measure == rules.EnforcementMeasure.DAILY_CONTINUOUS_FINE.value:
                # 安全生产法 第一百一十二条: only after an order to correct, counted from the next day
                if not self.ordered_on:
                    errors["ordered_on"] = "按日连续处罚须填写责令改正日期。"
                elif self.daily_until and self.daily_until <= self.ordered_on:
                    errors["daily_until"] = "按日计罚截止日须晚于责令改正日期。"
        elif self.amount is not None:
            errors["amount"] = "只有罚款类措施可以填写金额。"
        if (
            self.provision_id
            and self.provision.measures_allowed
            and self.measure not in self.provision.measures_allowed
        ):
            errors.setdefault(
                "provision",
                f"所选法律依据不包含「{self.get_measure_display()}」，可采取：{self.provision.measures_labels}",
            )
        if errors:
            raise ValidationError(errors)


class DocumentKind(models.TextChoices):
    """The 执法文书 of a case (《安全生产执法文书样式》; rules.md §6.3). The order here is the order of the procedure,
    which is also the order of the case file (卷宗, documents.CASE_FILE_ORDER)."""

    FILING_APPROVAL = "filing_approval", "立案审批表"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    SURVEY_RECORD = "survey_record", "勘验笔录"
    SAMPLING_VOUCHER = "sampling_voucher", "抽样取证凭证"
    EVIDENCE_HOLD = "evidence_hold", "先行登记保存证据通知书"
    EVIDENCE_DISPOSAL = "evidence_disposal", "先行登记保存证据处理决定书"
    ONSITE_MEASURES = "onsite_measures", "现场处理措施决定书"
    SEIZURE = "seizure", "查封扣押决定书"
    SEIZURE_DISPOSAL = "seizure_disposal", "查封扣押处理决定书"
    COERCIVE_MEASURES = "coercive_measures", "强制措施决定书"
    REVIEW_OPINION = "review_opinion", "整改复查意见书"
    PENALTY_NOTICE = "penalty_notice", "行政处罚告知书"
    HEARING_NOTICE = "hearing_notice", "听证告知书"
    HEARING_RECORD = "hearing_record", "听证笔录"
    DECISION_UNIT = "decision_unit", "行政处罚决定书（单位）"
    DECISION_PERSON = "decision_person", "行政处罚决定书（个人）"
    SERVICE_RECEIPT = "service_receipt", "送达回执"
    PAYMENT_REMINDER = "payment_reminder", "罚款催告书"
    LATE_SURCHARGE = "late_surcharge", "加处罚款决定书"
    TRANSFER_LETTER = "transfer_letter", "案件移送书"
    CLOSING_APPROVAL = "closing_approval", "结案审批表"


# 类别码 in 文号 (rules.md EN-30; the codes are conventional and vary by province ❓). Forms kept inside the case
# file (审批表、笔录、回执) are numbered too so the 卷宗目录 can cite each one.
DOCUMENT_CODES = {
    DocumentKind.FILING_APPROVAL: "立审",  # ❓
    DocumentKind.INQUIRY_RECORD: "询",  # ❓
    DocumentKind.SURVEY_RECORD: "勘",  # ❓
    DocumentKind.SAMPLING_VOUCHER: "抽",  # ❓
    DocumentKind.EVIDENCE_HOLD: "先保",  # ❓
    DocumentKind.EVIDENCE_DISPOSAL: "先处",  # ❓
    DocumentKind.ONSITE_MEASURES: "现决",
    DocumentKind.SEIZURE: "查扣",  # ❓
    DocumentKind.SEIZURE_DISPOSAL: "查扣处",  # ❓
    DocumentKind.COERCIVE_MEASURES: "强措",  # ❓
    DocumentKind.REVIEW_OPINION: "复查",
    DocumentKind.PENALTY_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听告",  # ❓
    DocumentKind.HEARING_RECORD: "听笔",  # ❓
    DocumentKind.DECISION_UNIT: "罚",
    DocumentKind.DECISION_PERSON: "罚个",
    DocumentKind.SERVICE_RECEIPT: "送",  # ❓
    DocumentKind.PAYMENT_REMINDER: "催",  # ❓
    DocumentKind.LATE_SURCHARGE: "加罚",  # ❓
    DocumentKind.TRANSFER_LETTER: "移",  # ❓
    DocumentKind.CLOSING_APPROVAL: "结审",  # ❓
}


class CaseDocument(Audited):
    """An issued document with its 文号; the number is allocated gap-free (core.documents.next_document_number)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="documents")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", editable=False, null=True)
    kind = models.CharField("文书类型", max_length=24, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=80, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    issued_on = models.DateField("日期", default=date.today)
    issuer = models.ForeignKey(
        Organisation, verbose_name="制作机关", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField("正文补充", blank=True)
    # What a record (笔录, 凭证, 回执) says, per kind: validated by document_details.validate_details.
    details = models.JSONField("文书内容", default=dict, blank=True)
    # The measure's own deadline, for the reminder scan (an indexed column, set by services.issue_document):
    # 查封扣押决定书 → the 处理决定 is due within 15 days (HZ-46, 安全生产违法行为行政处罚办法 第十五条);
    # 现场处理措施决定书 with a temporary stop → the end of the stop period (HZ-45, 同办法 第十四条, ≤ 6 months).
    due_on = models.DateField("处理/解除期限", null=True, blank=True, editable=False, db_index=True)
    settled_on = models.DateField("已处理/解除日期", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="case__enterprise")

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["case_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "sequence"], name="enf_document_seq_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class FindingSource(models.TextChoices):
    HAZARD = "hazard", "隐患"
    INSPECTION = "inspection", "执法检查"
    OTHER = "other", "其他"


class ViolationFinding(Audited):
    """A hazard or inspection finding that is a violation the law punishes. It must be linked to a case or carry
    an approved NoPenaltyReason: rectification never replaces a penalty (行政处罚法 第二十八条; rules.md EN-32)."""

    source = models.CharField("来源", max_length=16, choices=FindingSource.choices)
    source_reference = models.CharField("来源编号/说明", max_length=200, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name="隐患",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violation_findings",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name="执法检查",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violation_findings",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="单位",
        on_delete=models.PROTECT,
        related_name="violation_findings",
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, verbose_name="行业领域", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("违法行为描述")
    provision = models.ForeignKey(
        Provision, verbose_name="涉嫌违反", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_major_hazard = models.BooleanField("重大事故隐患", default=False)
    rectified = models.BooleanField("已整改", default=False)
    found_on = models.DateField("发现日期", default=date.today)
    case = models.ForeignKey(
        Case,
        verbose_name="关联案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="enterprise")

    class Meta:
        verbose_name = "违法行为线索"
        verbose_name_plural = "违法行为线索"
        indexes = [
            models.Index(fields=["territory_path", "case"], name="enf_finding_path_case"),
            models.Index(fields=["enterprise", "found_on"], name="enf_finding_ent_found"),
        ]

    def __str__(self):
        return f"{self.enterprise} {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("enforcement:finding_detail", args=[self.pk])


class ReasonCategory(models.TextChoices):
    # 行政处罚法 第三十三条第一款 (LAW-31)
    MINOR_CORRECTED = "minor_corrected", "违法行为轻微并及时改正，没有造成危害后果"
    FIRST_MINOR = "first_minor", "初次违法且危害后果轻微并及时改正"
    NO_FAULT = "no_fault", "当事人有证据足以证明没有主观过错"
    # rules.md LAW-30 🟡: hazards the unit found, reported and rectified itself
    SELF_REPORTED = "self_reported", "企业自查自报并已整改的隐患"
    FACTS_UNPROVEN = "facts_unproven", "违法事实不能成立"
    TIME_BARRED = "time_barred", "超过追责时效（行政处罚法 第三十六条）"
    OTHER = "other", "其他"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核不通过"


class NoPenaltyReason(Audited):
    """Why a punishable finding is not (yet) a case: recorded by one person, reviewed by another."""

    finding = models.ForeignKey(
        ViolationFinding, verbose_name="违法行为线索", on_delete=models.CASCADE, related_name="reasons"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", editable=False, null=True)
    category = models.CharField("理由类别", max_length=20, choices=ReasonCategory.choices)
    explanation = models.TextField("具体说明")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    status = models.CharField(
        "审核状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True, editable=False)
    review_comment = models.TextField("审核意见", blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="finding__enterprise")

    class Meta:
        verbose_name = "不予立案理由"
        verbose_name_plural = "不予立案理由"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.get_category_display()}（{self.get_status_display()}）"


class TalkKind(models.TextChoices):
    TALK = "talk", "约谈"
    YELLOW_CARD = "yellow_card", "黄牌警告"


class TalkTarget(models.TextChoices):
    UNIT = "unit", "生产经营单位"
    GOVERNMENT = "government", "下级人民政府"
    DEPARTMENT = "department", "有关部门"


class Talk(Audited):
    """约谈 / 黄牌警告 (安委〔2018〕2号; rules.md §7.2): reasons, attendees, commitments, follow-up."""

    kind = models.CharField("类型", max_length=12, choices=TalkKind.choices, default=TalkKind.TALK)
    target_kind = models.CharField("约谈对象类型", max_length=12, choices=TalkTarget.choices)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="被约谈单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enforcement_talks",
    )
    target_organisation = models.ForeignKey(
        Organisation,
        verbose_name="被约谈政府/部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    convened_by = models.ForeignKey(
        Organisation, verbose_name="约谈机关", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("约谈日期")
    reasons = models.TextField("约谈事由")
    trigger_ref = models.CharField("触发条件", max_length=60, blank=True, help_text="如 YT-05、YT-06")
    attendees = models.TextField("参加人员", help_text="被约谈方、约谈方及列席人员（专家、媒体、公众代表）")
    commitments = models.TextField("整改承诺/措施", blank=True)
    follow_up_due = models.DateField("整改报告期限", null=True, blank=True, db_index=True)
    follow_up = models.TextField("跟踪落实情况", blank=True)
    follow_up_done_on = models.DateField("落实核查日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    scope = ScopeSpec(territory="territory_path", enterprise="enterprise")

    class Meta:
        verbose_name = "约谈/黄牌警告"
        verbose_name_plural = "约谈/黄牌警告"
        indexes = [models.Index(fields=["territory_path", "held_on"], name="enf_talk_path_held")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.target_display}（{self.held_on}）"

    def get_absolute_url(self):
        return reverse("enforcement:talk_detail", args=[self.pk])

    @property
    def target_display(self) -> str:
        if self.enterprise_id:
            return self.enterprise.name
        if self.target_organisation_id:
            return self.target_organisation.name
        return ""

    def clean(self):
        if self.target_kind == TalkTarget.UNIT and not self.enterprise_id:
            raise ValidationError({"enterprise": "约谈生产经营单位时须选择单位。"})
        if self.target_kind != TalkTarget.UNIT and not self.target_organisation_id:
            raise ValidationError({"target_organisation": "约谈政府或部门时须选择被约谈机关。"})
        if self.follow_up_due and self.held_on and self.follow_up_due < self.held_on:
            raise ValidationError({"follow_up_due": "整改报告期限不能早于约谈日期。"})

    @property
    def trigger_basis(self) -> str:
        from .rules import talk_trigger_basis

        return talk_trigger_basis(self.trigger_ref)


class PublicationStatus(models.TextChoices):
    PENDING = "pending", "待公示"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤下"


class PenaltyPublication(Audited):
    """行政处罚信息公示 (LAW-15; 安全生产法 第七十八条第二款, 行政处罚法 第四十八条): each decided case is published
    within 7 working days of the decision. What the public sees is a redacted snapshot taken at publication
    (rules.redact), so later edits of the case never leak into the public page; a revoked or re-made decision
    is taken down with its reason (国办发〔2018〕118号)."""

    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="publication"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(
        "公示状态", max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.PENDING
    )
    due_on = models.DateField("公示期限", db_index=True)
    # The public snapshot.
    document_number = models.CharField("决定书文号", max_length=80, blank=True)
    party = models.CharField("当事人", max_length=200, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    violation = models.TextField("主要违法事实", blank=True)
    basis = models.TextField("处罚依据", blank=True)
    penalty = models.TextField("处罚内容", blank=True)
    authority = models.CharField("处罚机关", max_length=200, blank=True)
    decided_on = models.DateField("处罚决定日期")
    published_on = models.DateField("公示日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公示人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField("撤下日期", null=True, blank=True)
    withdrawn_reason = models.TextField("撤下原因", blank=True)

    scope = ScopeSpec(territory="territory_path", sectors="sector", enterprise="case__enterprise")

    class Meta:
        verbose_name = "行政处罚信息公示"
        verbose_name_plural = "行政处罚信息公示"
        indexes = [models.Index(fields=["status", "published_on", "id"], name="enf_pub_status_on")]

    def __str__(self):
        return f"{self.case.number} {self.get_status_display()}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()

    @property
    def published_late(self) -> bool:
        return bool(self.published_on and self.published_on > self.due_on)
