"""The safety committee (安委会) at work: its posts and who held them, its member units and their liaison
officers, the responsibility lists (责任清单) of member units and towns, and its meetings with their decisions.

Committees themselves are `core.Organisation` rows (安委会, 安委办, 专委会 with their 牵头部门); this app adds what
happens around them. Nothing here is overwritten: a post changes holder by ending one `PostHolder` row and
starting the next, a unit leaves a committee by ending its `Membership`, so "who was on it on 2026-03-01" has an
answer. Every row copies its committee's (or unit's) territory, so the one scope rule (core.scope) applies.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.models import Organisation, OrganisationKind, Territory
from anjian.core.scope import ScopeSpec

COMMITTEE_KINDS = (OrganisationKind.COMMITTEE, OrganisationKind.SPECIAL_COMMITTEE)
# Who can sit on a committee as a unit: departments, towns/parks, the office itself.
MEMBER_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.LOCAL_GOVERNMENT, OrganisationKind.OFFICE)
# Who keeps a responsibility list (安全生产法 第十七条: the departments; towns by 第九条第二款 and local practice).
LIST_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.LOCAL_GOVERNMENT)


class Committee(Organisation):
    """A 安委会 or 专委会 seen from this app: same row as core's organisation, pages of its own."""

    class Meta:
        proxy = True
        verbose_name = "安委会/专委会"
        verbose_name_plural = "安委会/专委会"

    def get_absolute_url(self):
        return reverse("committee:committee_detail", args=[self.pk])


class ResponsibleUnit(Organisation):
    """A member unit or town seen through its responsibility list."""

    class Meta:
        proxy = True
        verbose_name = "责任单位"
        verbose_name_plural = "责任单位"

    def get_absolute_url(self):
        return reverse("committee:unit_duties", args=[self.pk])


class _Territorial(Audited):
    """Rows that copy the territory of the organisation they belong to (scope: core.scope)."""

    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        abstract = True


def _open_on(day) -> Q:
    """Rows (with start/end dates) in force on `day`: started on or before it, not ended by it."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


class PostRank(models.TextChoices):
    DIRECTOR = "director", "主任"
    EXECUTIVE_DEPUTY = "executive_deputy", "常务副主任"
    DEPUTY = "deputy", "副主任"
    MEMBER = "member", "委员"


RANK_ORDER = {rank: i for i, rank in enumerate(PostRank.values)}


class CommitteePost(_Territorial):
    """A seat of the committee (e.g. 主任 — 区长). The seat stays; its holders come and go (`PostHolder`)."""

    committee = models.ForeignKey(
        Organisation, verbose_name="安委会/专委会", on_delete=models.PROTECT, related_name="committee_posts"
    )
    rank = models.CharField("职位", max_length=20, choices=PostRank.choices)
    title = models.CharField(
        "担任职务", max_length=60, help_text="由谁担任，例如：区长、分管副区长、区应急局局长"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField(
        "在设", default=True, help_text="撤销的职位保留历史，不再显示在组织架构中。"
    )

    class Meta:
        verbose_name = "安委会职位"
        verbose_name_plural = "安委会职位"
        ordering = ["committee_id", "sort_order", "id"]

    def __str__(self):
        return f"{self.committee}{self.get_rank_display()}（{self.title}）"

    def get_absolute_url(self):
        return reverse("committee:committee_detail", args=[self.committee_id]) + f"#post-{self.pk}"

    def clean(self):
        if self.committee_id and self.committee.kind not in COMMITTEE_KINDS:
            raise ValidationError({"committee": "职位只能设在安委会或专业委员会。"})

    def save(self, *args, **kwargs):
        if self.committee_id:
            self.territory_id = self.committee.territory_id
        super().save(*args, **kwargs)


class PostHolder(_Territorial):
    """Who held a post, from when to when. Never overwritten: a successor ends the previous row."""

    post = models.ForeignKey(
        CommitteePost, verbose_name="职位", on_delete=models.PROTECT, related_name="holders"
    )
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("现任职务", max_length=80, blank=True, help_text="例如：区委副书记、区长")
    start_date = models.DateField("任职日期")
    end_date = models.DateField("离任日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True, help_text="例如：依据的任免文件")

    class Meta:
        verbose_name = "职位任职记录"
        verbose_name_plural = "职位任职记录"
        ordering = ["post_id", "-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(end_date__isnull=True), name="committee_one_current_holder"
            )
        ]

    def __str__(self):
        return f"{self.post.get_rank_display()} {self.name}"

    def get_absolute_url(self):
        return self.post.get_absolute_url()

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "离任日期不能早于任职日期。"})

    def save(self, *args, **kwargs):
        self.territory_id = self.post.territory_id
        super().save(*args, **kwargs)


class Membership(_Territorial):
    """A member unit (成员单位) of a committee, with its liaison officer (联络员), joined and (maybe) left."""

    committee = models.ForeignKey(
        Organisation, verbose_name="安委会/专委会", on_delete=models.PROTECT, related_name="committee_members"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="成员单位", on_delete=models.PROTECT, related_name="committee_memberships"
    )
    start_date = models.DateField("加入日期")
    end_date = models.DateField("退出日期", null=True, blank=True)
    end_reason = models.CharField("退出原因", max_length=200, blank=True)
    liaison_name = models.CharField("联络员", max_length=50, blank=True)
    liaison_title = models.CharField("联络员职务", max_length=60, blank=True)
    liaison_phone = models.CharField("联络员电话", max_length=30, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "成员单位"
        verbose_name_plural = "成员单位"
        ordering = ["committee_id", "sort_order", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "organisation"],
                condition=Q(end_date__isnull=True),
                name="committee_one_open_membership",
            )
        ]

    def __str__(self):
        return f"{self.organisation}（{self.committee}成员单位）"

    def get_absolute_url(self):
        return reverse("committee:membership_detail", args=[self.pk])

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date > timezone.localdate()

    def clean(self):
        errors = {}
        if self.committee_id and self.committee.kind not in COMMITTEE_KINDS:
            errors["committee"] = "成员单位只能加入安委会或专业委员会。"
        if self.organisation_id and self.organisation.kind not in MEMBER_KINDS:
            errors["organisation"] = "成员单位应为行业部门、镇街/园区或安委办。"
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "退出日期不能早于加入日期。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.territory_id = self.committee.territory_id
        super().save(*args, **kwargs)


class DutyCategory(models.TextChoices):
    TERRITORIAL = "territorial", "属地管理"
    SECTOR = "sector", "行业监管"
    COMPREHENSIVE = "comprehensive", "综合监管"
    OTHER = "other", "其他"


class DutyStatus(models.TextChoices):
    DRAFT = "draft", "待确认"
    CONFIRMED = "confirmed", "已确认"


class DutyItem(_Territorial):
    """One duty of a unit's responsibility list (安全生产权力和责任清单, 安全生产法 第十七条 LAW-07).

    A unit drafts its own items; the 安委办 confirms them. Any change by the unit sends the item back to 待确认.
    Items are retired (`is_active`), never deleted, so a published list can be reproduced."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="duty_items"
    )
    category = models.CharField("类别", max_length=16, choices=DutyCategory.choices)
    text = models.TextField("职责内容")
    basis = models.CharField("依据", max_length=300, blank=True, help_text="法律法规、三定方案或文件条款")
    sort_order = models.PositiveIntegerField("排序", default=0)
    status = models.CharField("状态", max_length=12, choices=DutyStatus.choices, default=DutyStatus.DRAFT)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, editable=False)
    is_active = models.BooleanField("有效", default=True, help_text="废止的职责保留历史，不再列入清单。")

    class Meta:
        verbose_name = "责任清单事项"
        verbose_name_plural = "责任清单事项"
        ordering = ["organisation_id", "category", "sort_order", "id"]
        indexes = [models.Index(fields=["organisation", "is_active"], name="committee_duty_org_active")]

    def __str__(self):
        return f"{self.organisation}·{self.get_category_display()}：{self.text[:30]}"

    def get_absolute_url(self):
        return reverse("committee:duty_detail", args=[self.pk])

    def clean(self):
        if self.organisation_id and self.organisation.kind not in LIST_KINDS:
            raise ValidationError({"organisation": "责任清单只为成员单位（行业部门）和镇街/园区编制。"})

    def save(self, *args, **kwargs):
        self.territory_id = self.organisation.territory_id
        super().save(*args, **kwargs)


class LeaderDuty(_Territorial):
    """一岗双责: a leader of a unit answers for safety in the work they are in charge of
    (《地方党政领导干部安全生产责任制规定》, 2018 — 🟡 the domain notes cite it, its articles are not checked)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="责任单位", on_delete=models.PROTECT, related_name="leader_duties"
    )
    post = models.CharField("领导职务", max_length=60, help_text="例如：局长、分管副局长、镇长")
    name = models.CharField("姓名", max_length=50)
    duties = models.TextField("安全生产职责", help_text="每行一项")
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "领导一岗双责"
        verbose_name_plural = "领导一岗双责"
        ordering = ["organisation_id", "sort_order", "id"]

    def __str__(self):
        return f"{self.organisation}{self.post}{self.name}"

    def get_absolute_url(self):
        return reverse("committee:leader_duty_detail", args=[self.pk])

    @property
    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]

    def clean(self):
        if self.organisation_id and self.organisation.kind not in LIST_KINDS:
            raise ValidationError({"organisation": "一岗双责只为成员单位（行业部门）和镇街/园区编制。"})

    def save(self, *args, **kwargs):
        self.territory_id = self.organisation.territory_id
        super().save(*args, **kwargs)


class MeetingKind(models.TextChoices):
    PLENARY = "plenary", "安委会全体会议"
    THEMATIC = "thematic", "专题会议"
    SPECIAL_COMMITTEE = "special_committee", "专委会会议"


def minutes_upload_to(instance, filename):
    import os
    import uuid

    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"committee/minutes/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Meeting(_Territorial):
    committee = models.ForeignKey(
        Organisation,
        verbose_name="安委会/专委会",
        on_delete=models.PROTECT,
        related_name="committee_meetings",
    )
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=120)
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=120, blank=True)
    chaired_by = models.CharField(
        "主持人", max_length=80, help_text="姓名和职务，例如：李区长（区安委会主任）"
    )
    minutes = models.TextField("会议纪要", blank=True)
    minutes_file = models.FileField("纪要附件", upload_to=minutes_upload_to, blank=True)

    class Meta:
        verbose_name = "安委会会议"
        verbose_name_plural = "安委会会议"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("committee:meeting_detail", args=[self.pk])

    def clean(self):
        errors = {}
        kind = self.committee.kind if self.committee_id else None
        if kind is not None and kind not in COMMITTEE_KINDS:
            errors["committee"] = "会议应由安委会或专业委员会召开。"
        elif (
            kind is not None
            and self.kind == MeetingKind.SPECIAL_COMMITTEE
            and kind != OrganisationKind.SPECIAL_COMMITTEE
        ):
            errors["kind"] = "专委会会议应选择专业委员会。"
        elif kind is not None and self.kind == MeetingKind.PLENARY and kind != OrganisationKind.COMMITTEE:
            errors["kind"] = "全体会议应选择安委会。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.territory_id = self.committee.territory_id
        super().save(*args, **kwargs)


class Attendance(_Territorial):
    """A unit invited to a meeting: present or absent (with the reason), and who came."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="参会单位", on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField("出席", default=True)
    attendee = models.CharField("参会人员", max_length=100, blank=True)
    absence_reason = models.CharField("缺席原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "参会单位"
        verbose_name_plural = "参会单位"
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="committee_one_attendance_per_unit"
            )
        ]

    def __str__(self):
        return f"{self.organisation}（{'出席' if self.present else '缺席'}）"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()

    def save(self, *args, **kwargs):
        self.territory_id = self.meeting.territory_id
        super().save(*args, **kwargs)


class MeetingDecision(_Territorial):
    """An agreed item (议定事项) of a meeting. It may become a 督办 task once; the task's id is kept."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.PositiveIntegerField("序号")
    content = models.TextField("议定事项")
    lead_units = models.ManyToManyField(Organisation, verbose_name="牵头单位", blank=True, related_name="+")
    deadline = models.DateField("完成时限", null=True, blank=True)
    task_id = models.PositiveBigIntegerField("督办事项编号", null=True, blank=True, editable=False)
    task_url = models.CharField("督办事项链接", max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ["meeting_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="committee_decision_number")
        ]

    def __str__(self):
        return f"{self.meeting.title}议定事项{self.number}"

    def get_absolute_url(self):
        return reverse("committee:decision_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.territory_id = self.meeting.territory_id
        super().save(*args, **kwargs)
