"""The committee's business: posts and holders, member units, responsibility lists, meetings and decisions.

Views, the API and the demo call these functions; each locks what it changes, checks the rule with a Chinese
reason, writes, and records the named action on the committee's history (core.audit).

Legal anchors (see docs/committee.md):
- 安全生产法 第九条第一款: 县级以上地方各级人民政府 build a coordination mechanism for safety work (❓ the domain
  notes confirm only 第九条第二款, LAW-05, on towns and parks); 安委会 and its 专委会 are that mechanism.
- 安全生产法 第十七条 (LAW-07 ✅): governments publish the 安全生产权力和责任清单 of the departments.
- 安全生产法 第三条 (LAW-01 ✅) 管行业必须管安全: the department→sector mapping answers "who supervises".
- 《地方党政领导干部安全生产责任制规定》 (2018, KH-04 🟡): 一岗双责 of leaders.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.models import Organisation, OrganisationKind, Sector, Territory
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope, restrict

from .models import (
    COMMITTEE_KINDS,
    RANK_ORDER,
    Attendance,
    CommitteePost,
    DutyCategory,
    DutyItem,
    DutyStatus,
    LeaderDuty,
    Meeting,
    MeetingDecision,
    Membership,
    PostHolder,
    PostRank,
)

ACTIONS = {
    "committee.post_added": "设置安委会职位",
    "committee.holder_appointed": "职位任职",
    "committee.holder_left": "职位离任",
    "committee.member_added": "成员单位加入",
    "committee.member_left": "成员单位退出",
    "committee.sectors_changed": "调整监管行业领域",
    "committee.duties_confirmed": "确认责任清单",
    "committee.duty_drafted": "责任清单事项待确认",
    "committee.attendance_recorded": "登记参会情况",
    "committee.decision_added": "新增议定事项",
    "committee.decision_supervised": "议定事项转为督办",
}


# === reading: scope for a committee's readers ===========================================================
def readable(queryset, user):
    """What a committee page may show: the user's scope (core.scope) and, for town staff, the committee records
    of the levels above them (a town is a member unit of the district's committee: it reads the committee's
    structure, lists and meetings, though its data scope is its own town)."""
    scoped = restrict(queryset, user)
    if (
        getattr(user, "role", None) != Role.TOWN
        or not user.territory_id
        or not has_perm(user, "committee.view_committee")
    ):
        return scoped
    path = user.territory.path
    parts = [p for p in path.split(".") if p]
    ancestors = [".".join(parts[:i]) + "." for i in range(1, len(parts))]
    return queryset.filter(Q(pk__in=scoped.values("pk")) | Q(territory_path__in=ancestors))


def can_read(user, record) -> bool:
    """A committee record's files are served to exactly those who may open its page (core.media): town staff
    read the minutes of the district committee's meetings though the district lies above their scope."""
    return readable(type(record)._default_manager.filter(pk=record.pk), user).exists()


def today() -> date:
    return timezone.localdate()


# === structure ==========================================================================================
def _check_committee(committee: Organisation) -> None:
    if committee.kind not in COMMITTEE_KINDS:
        raise ValidationError("只能在安委会或专业委员会下操作。")


@transaction.atomic
def add_post(committee: Organisation, rank: str, title: str, sort_order: int | None = None) -> CommitteePost:
    _check_committee(committee)
    if sort_order is None:
        sort_order = RANK_ORDER.get(rank, 9) * 100 + committee.committee_posts.filter(rank=rank).count()
    post = CommitteePost(committee=committee, rank=rank, title=title, sort_order=sort_order)
    post.full_clean(exclude=["territory"])
    post.save()
    record_action(committee, "committee.post_added", f"设置职位：{post.get_rank_display()}（{title}）")
    return post


@transaction.atomic
def appoint(
    post: CommitteePost, name: str, start_date: date, position: str = "", note: str = ""
) -> PostHolder:
    """A new holder takes the post from `start_date`; the previous holder's term ends that day (kept)."""
    post = CommitteePost.objects.select_for_update().get(pk=post.pk)
    if not post.is_active:
        raise ValidationError("该职位已撤销，不能任职。")
    current = post.holders.filter(end_date__isnull=True).first()
    if current is not None:
        if start_date < current.start_date:
            raise ValidationError(
                f"任职日期不能早于现任 {current.name} 的任职日期（{current.start_date:%Y-%m-%d}）。"
            )
        current.end_date = start_date
        current.save()
        record_action(
            post.committee, "committee.holder_left", f"{post.get_rank_display()} {current.name} 离任"
        )
    holder = PostHolder(post=post, name=name, position=position, start_date=start_date, note=note)
    holder.full_clean(exclude=["territory"])
    holder.save()
    record_action(
        post.committee,
        "committee.holder_appointed",
        f"{post.get_rank_display()}（{post.title}）：{name}，自 {start_date:%Y-%m-%d} 起",
    )
    return holder


@transaction.atomic
def end_holding(holder: PostHolder, end_date: date) -> PostHolder:
    holder = PostHolder.objects.select_for_update().get(pk=holder.pk)
    if holder.end_date is not None:
        raise ValidationError("该任职记录已结束。")
    if end_date < holder.start_date:
        raise ValidationError("离任日期不能早于任职日期。")
    holder.end_date = end_date
    holder.save()
    record_action(
        holder.post.committee, "committee.holder_left", f"{holder.post.get_rank_display()} {holder.name} 离任"
    )
    return holder


@transaction.atomic
def add_member(
    committee: Organisation,
    organisation: Organisation,
    start_date: date,
    liaison_name: str = "",
    liaison_title: str = "",
    liaison_phone: str = "",
    sort_order: int | None = None,
) -> Membership:
    """A unit joins a committee (a new row: a unit that left and rejoins gets a second row)."""
    _check_committee(committee)
    Organisation.objects.select_for_update().filter(pk=committee.pk).first()
    if Membership.objects.filter(
        committee=committee, organisation=organisation, end_date__isnull=True
    ).exists():
        raise ValidationError(f"{organisation}已是{committee}的成员单位。")
    if organisation.pk == committee.pk:
        raise ValidationError("委员会不能成为自己的成员单位。")
    if sort_order is None:
        sort_order = (committee.committee_members.aggregate(m=Max("sort_order"))["m"] or 0) + 1
    membership = Membership(
        committee=committee,
        organisation=organisation,
        start_date=start_date,
        liaison_name=liaison_name,
        liaison_title=liaison_title,
        liaison_phone=liaison_phone,
        sort_order=sort_order,
    )
    membership.full_clean(exclude=["territory"], validate_constraints=False)
    membership.save()
    record_action(
        committee, "committee.member_added", f"{organisation} 自 {start_date:%Y-%m-%d} 起为成员单位"
    )
    return membership


@transaction.atomic
def end_membership(membership: Membership, end_date: date, reason: str = "") -> Membership:
    """A unit leaves: its row is ended, never removed (the history keeps it)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise ValidationError("该单位已退出。")
    if end_date < membership.start_date:
        raise ValidationError("退出日期不能早于加入日期。")
    membership.end_date = end_date
    membership.end_reason = reason
    membership.save()
    record_action(
        membership.committee,
        "committee.member_left",
        f"{membership.organisation} 于 {end_date:%Y-%m-%d} 退出" + (f"：{reason}" if reason else ""),
    )
    return membership


def members_on(committee: Organisation, day: date):
    """Member units of the committee on `day` (joined on or before, not left by then)."""
    return (
        committee.committee_members.filter(start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .select_related("organisation")
        .order_by("sort_order", "id")
    )


def holders_on(committee: Organisation, day: date) -> dict[int, PostHolder]:
    """{post id: holder} of the committee's posts on `day`."""
    rows = (
        PostHolder.objects.filter(post__committee=committee, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .order_by("start_date")
    )
    return {h.post_id: h for h in rows}


@dataclass
class SeatView:
    post: CommitteePost
    holder: PostHolder | None


@dataclass
class CommitteeView:
    """A committee as the chart draws it on one day."""

    committee: Organisation
    seats: list[SeatView] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    office: Organisation | None = None
    special_committees: list["CommitteeView"] = field(default_factory=list)

    @property
    def leaders(self) -> list[SeatView]:
        return [s for s in self.seats if s.post.rank != PostRank.MEMBER]

    @property
    def ordinary_members(self) -> list[SeatView]:
        return [s for s in self.seats if s.post.rank == PostRank.MEMBER]


def committee_view(committee: Organisation, day: date) -> CommitteeView:
    posts = list(committee.committee_posts.filter(is_active=True).order_by("sort_order", "id"))
    holders = holders_on(committee, day)
    return CommitteeView(
        committee=committee,
        seats=[SeatView(p, holders.get(p.pk)) for p in posts],
        members=list(members_on(committee, day)),
    )


def org_chart(committee: Organisation, day: date) -> CommitteeView:
    """安委会 → 主任/副主任 → 安委办 + 专委会 (with 牵头单位 and members) → 成员单位, as on `day`."""
    chart = committee_view(committee, day)
    chart.office = (
        Organisation.objects.filter(parent=committee, kind=OrganisationKind.OFFICE, is_active=True)
        .order_by("sort_order", "id")
        .first()
    )
    specials = (
        Organisation.objects.filter(parent=committee, kind=OrganisationKind.SPECIAL_COMMITTEE, is_active=True)
        .select_related("lead_department")
        .order_by("sort_order", "id")
    )
    chart.special_committees = [committee_view(s, day) for s in specials]
    return chart


def chart_committees(user):
    """The 安委会s the user may open the chart of, highest level first."""
    return readable(
        Organisation.objects.filter(kind=OrganisationKind.COMMITTEE, is_active=True), user
    ).order_by("territory_path", "sort_order", "id")


# === responsibility lists ===============================================================================
def can_edit_list(user, organisation: Organisation) -> bool:
    """The 安委办 edits every list in its territory; a unit drafts its own list (the office then confirms)."""
    if not has_perm(user, "committee.change_dutyitem"):
        return False
    if user.role == Role.OFFICE:
        return restrict(Organisation.objects.filter(pk=organisation.pk), user).exists()
    return user.organisation_id == organisation.pk


def check_can_edit_list(user, organisation: Organisation) -> None:
    if not can_edit_list(user, organisation):
        raise PermissionDenied("只有本单位或安委办可以编辑该单位的责任清单。")


@transaction.atomic
def save_duty_item(user, item: DutyItem) -> DutyItem:
    """Save an item of a unit's list. Items the office enters are confirmed; a unit's new item or edit waits for
    the office's confirmation (the office's own edits leave the status as it is)."""
    check_can_edit_list(user, item.organisation)
    item.full_clean(exclude=["territory"])
    was_confirmed = item.pk and item.status == DutyStatus.CONFIRMED
    if user.role != Role.OFFICE:
        item.status = DutyStatus.DRAFT
        item.confirmed_at = None
    elif not item.pk:
        # The office is the one who confirms: what it enters itself stands confirmed.
        item.status = DutyStatus.CONFIRMED
        item.confirmed_at = timezone.now()
    item.save()
    if was_confirmed and item.status == DutyStatus.DRAFT:
        record_action(item, "committee.duty_drafted", "单位修改后待安委办重新确认")
    ensure_in_scope(user, item)
    return item


@transaction.atomic
def save_leader_duty(user, duty: LeaderDuty) -> LeaderDuty:
    check_can_edit_list(user, duty.organisation)
    duty.full_clean(exclude=["territory"])
    duty.save()
    ensure_in_scope(user, duty)
    return duty


@transaction.atomic
def confirm_list(user, organisation: Organisation) -> int:
    """The 安委办 confirms every item of the unit's list waiting for it. Returns how many."""
    if not has_perm(user, "committee.confirm_dutyitem"):
        raise PermissionDenied("只有安委办可以确认责任清单。")
    check_can_edit_list(user, organisation)
    items = list(
        DutyItem.objects.select_for_update().filter(
            organisation=organisation, is_active=True, status=DutyStatus.DRAFT
        )
    )
    if not items:
        raise ValidationError("没有待确认的事项。")
    now = timezone.now()
    for item in items:
        item.status = DutyStatus.CONFIRMED
        item.confirmed_at = now
        item.save()
    record_action(organisation, "committee.duties_confirmed", f"确认责任清单事项 {len(items)} 项")
    return len(items)


@transaction.atomic
def set_sectors(user, organisation: Organisation, sectors) -> None:
    """Change the sectors a department supervises (管行业必须管安全, 安全生产法 第三条、第十条). The many-to-many
    change is audited on the organisation (core.audit) and named here."""
    if not has_perm(user, "committee.change_sectors"):
        raise PermissionDenied("只有安委办可以调整部门的监管行业领域。")
    check_can_edit_list(user, organisation)
    if organisation.kind != OrganisationKind.DEPARTMENT:
        raise ValidationError("只有成员单位（行业部门）有监管行业领域。")
    before = set(organisation.sectors.values_list("name", flat=True))
    organisation.sectors.set(sectors)
    after = set(organisation.sectors.values_list("name", flat=True))
    if before != after:
        record_action(
            organisation,
            "committee.sectors_changed",
            f"监管行业领域：{'、'.join(sorted(before)) or '（无）'} → {'、'.join(sorted(after)) or '（无）'}",
        )


def responsible_units(
    sector: Sector, territory: Territory, with_local_government: bool = False
) -> list[Organisation]:
    """Who answers for `sector` in `territory`: the departments supervising the sector (管行业必须管安全,
    安全生产法 第三条) at the territory's level or above, nearest level first; with `with_local_government`, the
    local governments of the territory and the towns above it too (属地管理, 第九条第二款 LAW-05)."""
    ancestor_ids = territory.ancestor_ids or [territory.pk]
    departments = list(
        Organisation.objects.filter(
            kind=OrganisationKind.DEPARTMENT, is_active=True, sectors=sector, territory_id__in=ancestor_ids
        )
        .select_related("territory")
        .order_by("-territory__depth", "sort_order", "id")
    )
    if not with_local_government:
        return departments
    local = list(
        Organisation.objects.filter(
            kind=OrganisationKind.LOCAL_GOVERNMENT, is_active=True, territory_id__in=ancestor_ids
        )
        .select_related("territory")
        .order_by("-territory__depth", "sort_order", "id")
    )
    return local + departments


@dataclass
class UnitDuties:
    organisation: Organisation
    sectors: list[Sector]
    items: dict[str, list[DutyItem]]  # category label -> items
    leaders: list[LeaderDuty]
    pending: int  # items waiting for the office's confirmation

    @property
    def item_count(self) -> int:
        return sum(len(v) for v in self.items.values())


def duties_of(organisation: Organisation) -> UnitDuties:
    """A unit's responsibility list: sectors, active items by category (in the order of DutyCategory), and its
    leaders' 一岗双责."""
    items = list(organisation.duty_items.filter(is_active=True).order_by("category", "sort_order", "id"))
    grouped = {label: [i for i in items if i.category == value] for value, label in DutyCategory.choices}
    return UnitDuties(
        organisation=organisation,
        sectors=list(organisation.sectors.all()),
        items={k: v for k, v in grouped.items() if v},
        leaders=list(organisation.leader_duties.filter(is_active=True).order_by("sort_order", "id")),
        pending=sum(1 for i in items if i.status == DutyStatus.DRAFT),
    )


# === meetings ===========================================================================================
@transaction.atomic
def record_attendance(meeting: Meeting, present, absent, absence_reason: str = "") -> None:
    """Set the units present and absent at a meeting (rows are updated in place: attendance is a fact of the
    meeting, corrected rather than versioned; each change is in the audit trail)."""
    present, absent = list(present), list(absent)
    clash = {o.pk for o in present} & {o.pk for o in absent}
    if clash:
        raise ValidationError("同一单位不能既出席又缺席。")
    existing = {a.organisation_id: a for a in meeting.attendances.all()}
    for organisation, is_present in [(o, True) for o in present] + [(o, False) for o in absent]:
        row = existing.get(organisation.pk) or Attendance(meeting=meeting, organisation=organisation)
        reason = "" if is_present else absence_reason
        if row.pk and row.present == is_present and row.absence_reason == reason:
            continue
        row.present, row.absence_reason = is_present, reason
        row.save()
    record_action(
        meeting, "committee.attendance_recorded", f"出席 {len(present)} 个单位，缺席 {len(absent)} 个单位"
    )


@transaction.atomic
def add_decision(
    meeting: Meeting, content: str, lead_units=(), deadline: date | None = None
) -> MeetingDecision:
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (meeting.decisions.aggregate(m=Max("number"))["m"] or 0) + 1
    decision = MeetingDecision(meeting=meeting, number=number, content=content, deadline=deadline)
    decision.full_clean(exclude=["meeting", "territory"])
    decision.save()
    if lead_units:
        decision.lead_units.set(lead_units)
    record_action(meeting, "committee.decision_added", f"议定事项{number}：{content[:60]}")
    return decision


def supervision_available() -> bool:
    """Whether the 督办 app offers its service (it is developed alongside this one)."""
    try:
        from anjian.supervision.services import issue_task  # noqa: F401
    except ImportError:
        return False
    return True


def decision_task_problem(decision: MeetingDecision) -> str:
    """Why the decision cannot become a 督办 task now ("" if it can)."""
    if decision.task_id:
        return "该议定事项已转为督办事项，不能重复转办。"
    if not decision.deadline:
        return "请先填写完成时限。"
    if decision.deadline < today():
        return "完成时限已过，请先修改完成时限。"
    if not decision.lead_units.exists():
        return "请先指定牵头单位。"
    if not supervision_available():
        return "督办功能尚未启用。"
    return ""


@transaction.atomic
def turn_into_task(user, decision: MeetingDecision):
    """转为督办事项: the decision becomes a 督办 task, once. Returns the task."""
    if not has_perm(user, "committee.supervise_meetingdecision"):
        raise PermissionDenied("您的角色无权将议定事项转为督办事项。")
    decision = MeetingDecision.objects.select_for_update().get(pk=decision.pk)
    problem = decision_task_problem(decision)
    if problem:
        raise ValidationError(problem)
    from anjian.supervision.services import issue_task  # lazy: the 督办 app sits beside this one

    meeting = decision.meeting
    issuer = user.organisation if user.organisation_id else meeting.committee
    task = issue_task(
        by=user,
        issuer=issuer,
        title=f"{meeting.title}议定事项{decision.number}",
        content=decision.content,
        basis=f"{meeting.committee}{meeting.held_on:%Y年%m月%d日}{meeting.title}纪要，议定事项{decision.number}",
        lead_units=list(decision.lead_units.all()),
        assisting_units=[],
        deadline=decision.deadline,
        materials="",
        source=decision,
    )
    decision.task_id = task.pk
    decision.task_url = task.get_absolute_url()
    decision.save()
    record_action(decision, "committee.decision_supervised", f"转为督办事项：{task}")
    return task
