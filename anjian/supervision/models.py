"""督办/交办 tasks (督办单、交办单) issued by the 安委会, its office or a 专委会 to member units and towns.

A task has one assignment row per unit (承办 or 协办), each with its own status; units report progress (进展报告)
with attachments, the issuing side accepts (验收办结) or sends back (退回重办). The task is completed when every
承办 assignment is accepted. Statuses change only through anjian/supervision/services.py, which checks the
transitions table in anjian/supervision/workflow.py.

The committee office coordinates and follows up the work of member units and lower governments (安全生产法 第九条
第一款 ❓ wording not checked in the domain notes); 督查督办 is one of the ways the safety responsibility of local
leaders is assessed (《地方党政领导干部安全生产责任制规定》 2018, rules.md KH-04 🟡).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.scope import ScopeSpec


class TaskKind(models.TextChoices):
    # 督办: the issuer follows the matter to its end (a deadline, acceptance); 交办: a matter handed to a unit
    # to handle within its duties, reported back. Both run the same workflow here.
    SUPERVISE = "supervise", "督办"
    ASSIGN = "assign", "交办"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    EXTRA_URGENT = "extra_urgent", "特急"


class TaskStatus(models.TextChoices):
    OPEN = "open", "办理中"
    COMPLETED = "completed", "已办结"


class SourceKind(models.TextChoices):
    NONE = "none", "无"
    MEETING = "meeting", "会议议定事项"
    BULLETIN = "bulletin", "考核通报"
    NOTICE = "notice", "上级文件/通知"
    OVERSIGHT = "oversight", "督查发现问题"
    OTHER = "other", "其他"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "承办"
    ASSIST = "assist", "协办"


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "待办理"
    IN_PROGRESS = "in_progress", "办理中"
    REPORTED = "reported", "已报送（待验收）"
    ACCEPTED = "accepted", "已办结"
    RETURNED = "returned", "退回重办"


# The unit still owes work (a deadline runs): reminders and escalation apply.
WORKING_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.IN_PROGRESS, AssignmentStatus.RETURNED)
OPEN_ASSIGNMENT_STATUSES = (*WORKING_STATUSES, AssignmentStatus.REPORTED)


class Task(Audited):
    """One 督办单/交办单."""

    number = models.CharField("文号", max_length=40, unique=True, editable=False)
    kind = models.CharField("类别", max_length=12, choices=TaskKind.choices, default=TaskKind.SUPERVISE)
    urgency = models.CharField("紧急程度", max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("督办内容")
    basis = models.TextField("督办依据", blank=True)
    materials = models.TextField("要求报送的材料", blank=True)
    issuer = models.ForeignKey(
        "core.Organisation", verbose_name="督办单位", on_delete=models.PROTECT, related_name="issued_tasks"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField("签发日期")
    deadline = models.DateField("办理时限", db_index=True)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # Where it came from: any record (a meeting decision, a bulletin, a 督查 problem), kept generically with a
    # frozen label and link so the task still reads right if the source is later renamed; or a higher-level
    # notice typed in by hand (文件名称/文号).
    source_kind = models.CharField("来源", max_length=12, choices=SourceKind.choices, default=SourceKind.NONE)
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name="来源记录类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.CharField("来源记录编号", max_length=64, blank=True)
    source_label = models.CharField("来源说明", max_length=300, blank=True)
    source_url = models.CharField("来源链接", max_length=300, blank=True)
    notice_title = models.CharField("上级文件名称", max_length=200, blank=True)
    notice_number = models.CharField("上级文件文号", max_length=80, blank=True)
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    # The issuer's government sees its tasks; departments and towns see the tasks addressed to them
    # (services.visible_tasks), never a whole territory's tasks.
    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_task_open_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:task_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def source_text(self) -> str:
        if self.source_kind == SourceKind.NOTICE:
            number = f"（{self.notice_number}）" if self.notice_number else ""
            return f"{self.notice_title}{number}"
        return self.source_label


class Assignment(Audited):
    """One unit's part in a task (承办 or 协办), with its own status and deadline (which an approved extension
    moves)."""

    task = models.ForeignKey(
        Task, verbose_name="督办事项", on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "core.Organisation",
        verbose_name="办理单位",
        on_delete=models.PROTECT,
        related_name="task_assignments",
    )
    role = models.CharField("承办/协办", max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        "办理状态", max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    deadline = models.DateField("办理时限")
    reported_at = models.DateTimeField("报送时间", null=True, blank=True)
    # 逾期报送: set when the completion report arrives after the deadline; never cleared (it counts in 过程考核).
    reported_late = models.BooleanField("逾期报送", default=False)
    accepted_at = models.DateTimeField("办结时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="验收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_count = models.PositiveSmallIntegerField("退回次数", default=0)
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    # A unit's part is seen within the unit's territory; a department inspector sees the parts of units that
    # supervise one of the department's sectors, i.e. their own department's (uploads follow this rule).
    scope = ScopeSpec(territory="territory_path", sectors="unit__sectors")

    class Meta:
        verbose_name = "督办事项办理单位"
        verbose_name_plural = "督办事项办理单位"
        ordering = ["task", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="supervision_assignment_unique_unit")
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="supervision_assign_due_idx")]

    def __str__(self):
        return f"{self.task.number} {self.unit}（{self.get_role_display()}）"

    def get_absolute_url(self):
        return f"{self.task.get_absolute_url()}#assignment-{self.pk}"

    @property
    def is_working(self) -> bool:
        return self.status in WORKING_STATUSES

    def is_overdue(self, today=None) -> bool:
        """Past its deadline with work still owed. Once the task is completed (every 承办 accepted) a 协办 part
        left open is no longer chased."""
        today = today or timezone.localdate()
        return self.is_working and self.deadline < today and self.task.status == TaskStatus.OPEN


class ProgressReport(Audited):
    """进展报告: what the unit has done; `is_final` marks the report that asks for acceptance (报送办结)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="办理单位", on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField("办理情况")
    is_final = models.BooleanField("申请验收", default=False)
    late = models.BooleanField("逾期报送", default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("报送时间", default=timezone.now)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["reported_at", "id"]

    def __str__(self):
        return f"{self.assignment.unit} {timezone.localtime(self.reported_at):%Y-%m-%d %H:%M} 进展报告"


def attachment_path(instance, filename):
    # A generated name: the uploader's file name is kept in `name`, never on the file system.
    extension = os.path.splitext(filename)[1].lower()
    return f"supervision/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ReportAttachment(Audited):
    report = models.ForeignKey(
        ProgressReport, verbose_name="进展报告", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("附件", upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)

    class Meta:
        verbose_name = "进展报告附件"
        verbose_name_plural = "进展报告附件"
        ordering = ["id"]

    def __str__(self):
        return self.name


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "验收通过（办结）"
    RETURN = "return", "退回重办"


class Review(Audited):
    """The issuing side's decision on a completion report (验收办结 or 退回重办, with the reason)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="办理单位", on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.CharField("结论", max_length=8, choices=ReviewDecision.choices)
    opinion = models.TextField("验收意见/退回理由", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="验收人", on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "验收意见"
        verbose_name_plural = "验收意见"
        ordering = ["reviewed_at", "id"]

    def __str__(self):
        return f"{self.assignment.unit} {self.get_decision_display()}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REJECTED = "rejected", "未同意"


class ExtensionRequest(Audited):
    """申请延期: a unit asks for a later deadline; the issuing side approves (the assignment's deadline moves) or
    refuses."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="办理单位", on_delete=models.CASCADE, related_name="extensions"
    )
    requested_deadline = models.DateField("申请延期至")
    reason = models.TextField("延期理由")
    status = models.CharField(
        "审批状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
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
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.assignment.unit} 申请延期至 {self.requested_deadline}"
