"""Periodic reports (报表报送): templates defined as data, one report per (template, reporter, period).

A template says what is asked (its fields, some filled from the platform's own figures — see metrics.py), how
often, by when (the due rule), who reports (towns, member departments, lower offices or enterprises) and who
receives. A report keeps its own copy of the field definitions and of the figures once submitted, so that a
template changed later never changes what a unit has already reported.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.scope import ScopeSpec


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "月报"
    QUARTERLY = "quarterly", "季报"
    YEARLY = "yearly", "年报"
    ONCE = "once", "一次性"


class ReporterKind(models.TextChoices):
    TOWNS = "towns", "镇街/园区"
    DEPARTMENTS = "departments", "成员单位（行业部门）"
    OFFICES = "offices", "下级安委办"
    ENTERPRISES = "enterprises", "生产经营单位"


class ReceiverKind(models.TextChoices):
    OFFICE_ABOVE = "office_above", "上级安委办"
    SUPERVISORS = "supervisors", "负有监管职责的部门和属地镇街"


class FieldKind(models.TextChoices):
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数"
    TEXT = "text", "文字"
    DATE = "date", "日期"


NUMERIC_KINDS = (FieldKind.INTEGER, FieldKind.DECIMAL)


class ReportTemplate(Audited):
    name = models.CharField("报表名称", max_length=100)
    code = models.SlugField(
        "代码", max_length=40, unique=True, help_text="英文字母、数字、连字符，例如 monthly-work。"
    )
    description = models.TextField("填报说明", blank=True)
    basis = models.CharField(
        "依据", max_length=200, blank=True, help_text="文件或条款，例如：总局令第16号 第十四条"
    )
    frequency = models.CharField("频次", max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    # The due rule: day `due_day` of the `due_months_after`-th month after the period's last month
    # ("次月5日前" = 1, 5), or — with `due_in_working_days` — the `due_day`-th working day of that month.
    due_months_after = models.PositiveSmallIntegerField(
        "报送月份（期末后第几个月）", default=1, help_text="1 表示次月（季报为下季度第一个月）。"
    )
    due_day = models.PositiveSmallIntegerField("报送日", default=5, help_text="该月几日前（含当日）。")
    due_in_working_days = models.BooleanField(
        "按工作日计", default=False, help_text="勾选后“报送日”按该月第几个工作日计算（扣除法定节假日）。"
    )
    once_start = models.DateField("报告期起（一次性）", null=True, blank=True)
    once_end = models.DateField("报告期止（一次性）", null=True, blank=True)
    once_due = models.DateField("报送截止日（一次性）", null=True, blank=True)
    starts_on = models.DateField("起报日期", help_text="从含该日的报告期开始生成报表。")
    reporter_kind = models.CharField("报送单位", max_length=12, choices=ReporterKind.choices)
    receiver_kind = models.CharField(
        "接收单位", max_length=12, choices=ReceiverKind.choices, default=ReceiverKind.OFFICE_ABOVE
    )
    sectors = models.ManyToManyField(
        "core.Sector",
        verbose_name="适用行业领域",
        blank=True,
        related_name="+",
        help_text="报送单位为企业时，只向这些行业的企业下发；留空为全部企业。",
    )
    requires_principal_signature = models.BooleanField(
        "须主要负责人签字",
        default=False,
        help_text="总局令第16号 第十四条：隐患排查治理统计分析表须经主要负责人签字。",
    )
    aggregate_from = models.ForeignKey(
        "self",
        verbose_name="汇总来源报表",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="本级报表可由下级报送的该报表汇总生成（数字求和、情况汇集）。",
    )
    owner = models.ForeignKey(
        "core.Organisation", verbose_name="制定单位", on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "core.Territory",
        verbose_name="适用区划",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="向该区划（含下级）内的报送单位下发。",
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    is_active = models.BooleanField("启用", default=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "报表模板"
        verbose_name_plural = "报表模板"
        ordering = ("name", "id")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reporting:template_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.frequency == Frequency.ONCE:
            for name in ("once_start", "once_end", "once_due"):
                if not getattr(self, name):
                    errors[name] = "一次性报表须填写报告期和截止日。"
            if self.once_start and self.once_end and self.once_start > self.once_end:
                errors["once_end"] = "报告期止不能早于报告期起。"
        else:
            if not 1 <= (self.due_day or 0) <= (23 if self.due_in_working_days else 31):
                errors["due_day"] = "报送日应在1～31日之间（按工作日计时不超过23）。"
            if not 1 <= (self.due_months_after or 0) <= 12:
                errors["due_months_after"] = "报送月份应为期末后第1～12个月。"
        if self.reporter_kind == ReporterKind.ENTERPRISES and self.receiver_kind != ReceiverKind.SUPERVISORS:
            errors["receiver_kind"] = "企业报表由负有监管职责的部门和属地镇街接收。"
        if self.reporter_kind != ReporterKind.ENTERPRISES and self.receiver_kind == ReceiverKind.SUPERVISORS:
            errors["receiver_kind"] = "政府单位的报表由上级安委办接收。"
        if self.requires_principal_signature and self.reporter_kind != ReporterKind.ENTERPRISES:
            errors["requires_principal_signature"] = "主要负责人签字只适用于企业报送的报表。"
        if self.aggregate_from_id and self.aggregate_from_id == self.pk:
            errors["aggregate_from"] = "汇总来源不能是本报表。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.territory_id = self.territory_id or (self.owner.territory_id if self.owner_id else None)
        super().save(*args, **kwargs)


class TemplateField(Audited):
    class Source(models.TextChoices):
        AUTO = "auto", "自动生成"
        MANUAL = "manual", "手工填写"

    template = models.ForeignKey(
        ReportTemplate, verbose_name="报表", on_delete=models.CASCADE, related_name="fields"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    key = models.SlugField(
        "字段代码", max_length=40, help_text="英文字母、数字、下划线，例如 hazards_found。"
    )
    label = models.CharField("指标名称", max_length=100)
    kind = models.CharField("类型", max_length=8, choices=FieldKind.choices, default=FieldKind.INTEGER)
    unit = models.CharField("计量单位", max_length=10, blank=True)
    source = models.CharField("数据来源", max_length=8, choices=Source.choices, default=Source.MANUAL)
    metric = models.CharField(
        "平台指标", max_length=40, blank=True, help_text="自动生成的字段取数的平台指标。"
    )
    required = models.BooleanField("必填", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    section = models.CharField("栏目", max_length=40, blank=True, help_text="例如：隐患排查、行政执法。")

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "报表字段"
        verbose_name_plural = "报表字段"
        ordering = ("template", "order", "id")
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="reporting_field_unique_key")]

    def __str__(self):
        return f"{self.template}：{self.label}"

    def get_absolute_url(self):
        return self.template.get_absolute_url()

    def clean(self):
        from . import metrics

        errors = {}
        if self.source == self.Source.AUTO:
            if not self.metric:
                errors["metric"] = "自动生成的字段须选择平台指标。"
            elif self.metric not in metrics.REGISTRY:
                errors["metric"] = f"未知的平台指标“{self.metric}”。"
            elif self.kind not in NUMERIC_KINDS:
                errors["kind"] = "自动生成的字段只能是整数或小数。"
        elif self.metric:
            errors["metric"] = "手工填写的字段不选平台指标。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.territory_path = self.template.territory_path
        super().save(*args, **kwargs)

    def definition(self) -> dict:
        """The field as a report keeps it (Report.fields_snapshot)."""
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "source": self.source,
            "metric": self.metric,
            "required": self.required,
            "section": self.section,
        }


class ReportStatus(models.TextChoices):
    PENDING = "pending", "未填报"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    CONFIRMED = "confirmed", "已确认"


OPEN_STATUSES = (ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED)
DONE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.CONFIRMED)


class Report(Audited):
    template = models.ForeignKey(
        ReportTemplate, verbose_name="报表", on_delete=models.PROTECT, related_name="reports"
    )
    reporter_org = models.ForeignKey(
        "core.Organisation",
        verbose_name="填报单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reporter_enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="填报企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    reporter_name = models.CharField("填报单位名称", max_length=200, editable=False)
    receivers = models.ManyToManyField(
        "core.Organisation", verbose_name="接收单位", blank=True, related_name="received_reports"
    )
    sectors = models.ManyToManyField("core.Sector", verbose_name="行业领域", blank=True, related_name="+")
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    period_label = models.CharField("报告期", max_length=40, db_index=True)
    due_date = models.DateField("报送截止日", db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    template_version = models.PositiveIntegerField("模板版本", default=1)
    # The field definitions the report was filled against: copied from the template at each save until the
    # report is submitted, then frozen with it.
    fields_snapshot = models.JSONField("字段定义", default=list, blank=True)
    values = models.JSONField("填报数据", default=dict, blank=True)
    auto_refreshed_at = models.DateTimeField("自动取数时间", null=True, blank=True)
    narrative = models.TextField("工作情况", blank=True)
    signer_name = models.CharField("签字人", max_length=50, blank=True)
    signer_confirmed = models.BooleanField("签字确认", default=False)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 迟报 is permanent: set when a report is first submitted after its due date, never cleared.
    is_late = models.BooleanField("迟报", default=False)
    return_reason = models.TextField("退回原因", blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path", sectors="sectors", enterprise="reporter_enterprise")

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ("-period_start", "reporter_name", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "reporter_org", "period_start"],
                condition=models.Q(reporter_org__isnull=False),
                name="reporting_report_unique_org_period",
            ),
            models.UniqueConstraint(
                fields=["template", "reporter_enterprise", "period_start"],
                condition=models.Q(reporter_enterprise__isnull=False),
                name="reporting_report_unique_enterprise_period",
            ),
            models.CheckConstraint(
                condition=models.Q(reporter_org__isnull=False, reporter_enterprise__isnull=True)
                | models.Q(reporter_org__isnull=True, reporter_enterprise__isnull=False),
                name="reporting_report_one_reporter",
            ),
        ]
        indexes = [
            models.Index(fields=["template", "period_start"], name="reporting_report_period_idx"),
            models.Index(fields=["status", "due_date"], name="reporting_report_due_idx"),
        ]

    def __str__(self):
        return f"{self.reporter_name} {self.period_label}{self.template.name}"

    def get_absolute_url(self):
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def timeliness(self, today) -> str:
        """已报 / 迟报 / 未报 / 待报 / 退回, as the receiver's matrix shows it."""
        if self.is_done:
            return "迟报" if self.is_late else "已报"
        if self.status == ReportStatus.RETURNED:
            return "退回"
        return "未报" if self.due_date < today else "待报"
