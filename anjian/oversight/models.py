"""督查 (oversight visits) and their problem lists (问题清单), followed through rectification to 销号.

A visit — by a higher level, by the 安委办 itself, a special campaign or an unannounced check — ends with a
feedback (反馈) listing problems. Each problem is assigned to a responsible body (整改责任单位: a department or a
town government) with a responsible person, measures and a deadline; the body reports progress with evidence and
the 督查 side (the 安委办 that follows the visit up) reviews and closes it. The discipline is the hazard loop's
(rules.md HZ-50, synthesis): no closing without evidence, and the closer is never the person who reported.

《地方党政领导干部安全生产责任制规定》 (rules.md KH-04) names 督查督办 as one of the assessment forms; the problem
rectification rate feeds the process assessment (indicators.py).
"""

import os
from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Territory
from anjian.core.scope import ScopeSpec


class VisitKind(models.TextChoices):
    HIGHER = "higher", "上级督查"
    OWN = "own", "本级督查"
    SPECIAL = "special", "专项督查"
    UNANNOUNCED = "unannounced", "暗访暗查"


class VisitStatus(models.TextChoices):
    INSPECTING = "inspecting", "督查中"
    FED_BACK = "fed_back", "已反馈"
    RECTIFYING = "rectifying", "整改中"
    DONE = "done", "已完成"


class ProblemStatus(models.TextChoices):
    PENDING = "pending", "待制定措施"
    RECTIFYING = "rectifying", "整改中"
    REPORTED = "reported", "已报告整改完成（待审核）"
    CLOSED = "closed", "已销号"


# Not yet reported done: these are the problems a passed deadline makes overdue (逾期).
OVERDUE_STATUSES = (ProblemStatus.PENDING, ProblemStatus.RECTIFYING)
OPEN_STATUSES = (ProblemStatus.PENDING, ProblemStatus.RECTIFYING, ProblemStatus.REPORTED)

CATEGORY_CHOICES = [
    ("responsibility", "责任落实"),
    ("hazard", "隐患排查治理"),
    ("enforcement", "监管执法"),
    ("emergency", "应急管理"),
    ("foundation", "基础工作"),
    ("other", "其他"),
]


class OversightVisit(Audited):
    """One 督查: who inspected whom, when, and the feedback they left."""

    number = models.CharField("督查编号", max_length=30, unique=True, editable=False)
    title = models.CharField(
        "督查名称", max_length=120, help_text="例如：市安委会2026年第三季度安全生产督查。"
    )
    kind = models.CharField("督查类型", max_length=12, choices=VisitKind.choices)
    status = models.CharField(
        "状态", max_length=12, choices=VisitStatus.choices, default=VisitStatus.INSPECTING, editable=False
    )
    inspecting_org = models.ForeignKey(
        Organisation,
        verbose_name="督查单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="oversight_visits_made",
        help_text="平台内的督查单位；上级督查单位不在平台内时，填写下面的“督查单位名称”。",
    )
    inspecting_body_name = models.CharField(
        "督查单位名称", max_length=100, blank=True, help_text="平台外的上级机关，例如：测试市安全生产委员会。"
    )
    leader = models.CharField("督查组组长", max_length=100, blank=True, help_text="姓名及职务。")
    members = models.TextField("督查组成员", blank=True, help_text="姓名及职务，用顿号或换行分隔。")
    start_on = models.DateField("督查开始日期")
    end_on = models.DateField("督查结束日期")
    territory = models.ForeignKey(
        Territory,
        verbose_name="被督查区划",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="被督查的区县或镇街。",
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    targets = models.ManyToManyField(
        Organisation, verbose_name="督查对象", blank=True, related_name="oversight_visits_received"
    )
    target_enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name="抽查企业", blank=True, related_name="+"
    )
    fed_back_on = models.DateField("反馈日期", null=True, blank=True, editable=False)
    feedback_summary = models.TextField("反馈意见概述", blank=True)
    owner_org = models.ForeignKey(
        Organisation,
        verbose_name="跟踪督办机构",
        on_delete=models.PROTECT,
        related_name="oversight_visits_followed",
        editable=False,
        help_text="在平台上跟踪整改、审核销号的安委办。",
    )
    feedback_number = models.CharField("反馈报告文号", max_length=40, blank=True, editable=False)
    report_number = models.CharField("整改情况报告文号", max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查"
        ordering = ("-start_on", "-id")
        indexes = [models.Index(fields=["status", "start_on"], name="oversight_visit_status")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("oversight:visit_detail", args=[self.pk])

    @property
    def inspecting_body(self) -> str:
        return self.inspecting_body_name or (str(self.inspecting_org) if self.inspecting_org_id else "")

    @property
    def year(self) -> int:
        return self.start_on.year


class Problem(Audited):
    """One item of a visit's problem list (问题清单)."""

    visit = models.ForeignKey(
        OversightVisit, verbose_name="督查", on_delete=models.PROTECT, related_name="problems"
    )
    sequence = models.PositiveIntegerField("序号")
    description = models.TextField("存在问题")
    category = models.CharField("问题类别", max_length=20, choices=CATEGORY_CHOICES, default="other")
    basis = models.CharField("依据", max_length=200, blank=True, help_text="法规条款或工作要求。")
    responsible_unit = models.ForeignKey(
        Organisation, verbose_name="整改责任单位", on_delete=models.PROTECT, related_name="oversight_problems"
    )
    responsible_person = models.CharField("整改责任人", max_length=50, blank=True)
    responsible_post = models.CharField("责任人职务", max_length=50, blank=True)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True, db_index=True)
    status = models.CharField(
        "状态", max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.PENDING, editable=False
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+", editable=False
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="整改完成报告人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    reported_at = models.DateTimeField("报告整改完成时间", null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="销号人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True, editable=False)
    # The 督办 task this problem was turned into (anjian.supervision); kept by id so this app does not depend on
    # that app's tables.
    task_id = models.PositiveBigIntegerField("督办事项", null=True, blank=True, editable=False)
    task_url = models.CharField("督办事项链接", max_length=200, blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "督查问题"
        verbose_name_plural = "督查问题"
        ordering = ("visit", "sequence")
        constraints = [
            models.UniqueConstraint(fields=["visit", "sequence"], name="oversight_problem_unique_sequence")
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="oversight_problem_due"),
            models.Index(fields=["responsible_unit", "status"], name="oversight_problem_unit"),
        ]

    def __str__(self):
        return f"{self.visit.number}-{self.sequence} {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("oversight:problem_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # A problem belongs to the territory of the body that rectifies it: that body's staff see it.
        if self.responsible_unit_id:
            self.territory_id = self.responsible_unit.territory_id
        super().save(*args, **kwargs)

    def overdue_now(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.status in OVERDUE_STATUSES)

    @property
    def is_open(self) -> bool:
        return self.status != ProblemStatus.CLOSED

    @property
    def responsible_display(self) -> str:
        return "　".join(p for p in (self.responsible_person, self.responsible_post) if p)


class ProgressReport(models.Model):
    """A report of the responsible body: progress, or completion (报告整改完成). Append-only."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "整改进展"
        COMPLETION = "completion", "整改完成报告"

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    note = models.TextField("整改情况")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报告人", on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("报告时间", default=timezone.now)

    scope = ScopeSpec(territory="problem__territory_path")

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ("problem", "reported_at", "id")

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.reported_at):%Y-%m-%d}"


def evidence_upload_to(instance, filename):
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"oversight/{timezone.now():%Y/%m}/{instance.problem_id}-{os.urandom(6).hex()}{ext}"


class Evidence(models.Model):
    """A photo or scan proving the rectification (佐证材料)."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="evidence"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="所属报告",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField("文件", upload_to=evidence_upload_to)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    scope = ScopeSpec(territory="problem__territory_path")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ("problem", "uploaded_at", "id")

    def __str__(self):
        return self.original_name or os.path.basename(self.file.name)


class Review(models.Model):
    """The 督查 side's verdict on a completion report: 销号 or 退回 with reasons. Append-only."""

    problem = models.ForeignKey(
        Problem, verbose_name="问题", on_delete=models.PROTECT, related_name="reviews"
    )
    accepted = models.BooleanField("同意销号")
    opinion = models.TextField("审核意见", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", default=timezone.now)

    class Meta:
        verbose_name = "销号审核"
        verbose_name_plural = "销号审核"
        ordering = ("problem", "reviewed_at", "id")

    def __str__(self):
        return f"{'同意销号' if self.accepted else '退回'} {timezone.localtime(self.reviewed_at):%Y-%m-%d}"


class ImportTarget(models.Model):
    """The visit a user's next problem-list import goes into (chosen on the visit's page): the generic import
    pages carry no context of their own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="+"
    )
    visit = models.ForeignKey(OversightVisit, verbose_name="督查", on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField("选择时间", default=timezone.now)

    class Meta:
        verbose_name = "问题清单导入目标"
        verbose_name_plural = "问题清单导入目标"

    def __str__(self):
        return f"{self.user} → {self.visit}"
