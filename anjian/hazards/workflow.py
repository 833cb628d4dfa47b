"""The hazard state machine: the transitions table, the one place that says who may do what, when.

Each row: the action, the states it may start from, the state it leads to (None: the status stays), the roles
allowed, and guards. A guard looks at the hazard, the acting user and the submitted data and returns a Chinese
reason when the action is refused (None when it passes). `refusal()` checks a row; services call it under a row
lock; pages and the API show `available_actions()` and the same reasons.

Loop (rules.md §1.3–1.5, R16 = 原国家安监总局令第16号):
    registered ─set_plan→ plan_set ─start_rectification→ rectifying ─report→ reported
    reported ─accept→ accepted ─close→ closed (销号)        reported ─reject→ rectifying (with reasons)
    registered ─close_on_spot→ closed (一般隐患现场立即整改, the confirming person recorded)
    any open ─void→ voided (with reason; the number is never reused)   closed ─reopen→ rectifying (with reason)
    extension requests, 挂牌督办, stop orders and resumption approval leave the status where it is.
"""

from collections.abc import Callable
from datetime import date

from django.utils import timezone

from anjian.core.models import TERRITORY_LEVEL
from anjian.core.roles import Role
from anjian.core.workflow import Transition, TransitionRefused, Workflow

__all__ = [
    "Transition",
    "TransitionRefused",
]  # kept importable from here: services and views raise and catch it

from .models import OPEN_STATUSES, ExtensionRequest, Grade, Hazard, Status, StopOrder, SupervisionLevel

R = Role
GOVERNMENT_ACTORS = frozenset({R.INSPECTOR, R.TOWN, R.OFFICE})
Guard = Callable[[Hazard, object, dict], str | None]


# --- guards ------------------------------------------------------------------------------------------------
def not_reporter(hazard, user, data):
    # Issue item 8 / 谁检查、谁签字、谁负责: the acceptance is by someone other than who reported the rectification.
    if hazard.reported_by_id and hazard.reported_by_id == user.pk:
        return "复查验收须由整改报告人以外的人员进行。"
    return None


def supervising_body_only(hazard, user, data):
    # rules.md §1.5: while listed (挂牌督办), the supervising body alone accepts and closes.
    if hazard.supervising_org_id and user.organisation_id != hazard.supervising_org_id:
        return f"该隐患已{hazard.get_supervision_level_display()}，只能由督办机构（{hazard.supervising_org}）办理。"
    return None


def major_needs_department(hazard, user, data):
    # R16 第二十三条 (rules.md HZ-43): a major hazard is reviewed and written off by the supervising department
    # (or the committee office coordinating it), not by town staff or the unit itself.
    if hazard.grade == Grade.MAJOR and user.role not in (R.INSPECTOR, R.OFFICE):
        return "重大事故隐患须由负有安全生产监督管理职责的部门或安委办办理。"
    return None


def general_only(hazard, user, data):
    # R16 第三条: only a general hazard can be removed immediately on discovery.
    if hazard.grade == Grade.MAJOR:
        return "重大事故隐患不能现场立即整改销号，须制定治理方案。"
    return None


def major_only(hazard, user, data):
    if hazard.grade != Grade.MAJOR:
        return "只有重大事故隐患适用此操作。"
    return None


def plan_complete(hazard, user, data):
    """A plan needs measures, a responsible person and a deadline; a major-hazard plan all five 五落实 elements
    (措施、责任人、资金、时限、预案 — R16 第十五条第二款, rules.md HZ-31) and a deadline in the future."""
    missing = []
    if not (data.get("measures") or "").strip():
        missing.append("整改措施")
    if not (data.get("responsible_person") or "").strip():
        missing.append("整改责任人")
    if not data.get("deadline"):
        missing.append("整改期限")
    if hazard.grade == Grade.MAJOR:
        if data.get("funds") in (None, ""):
            missing.append("整改资金")
        if not (data.get("emergency_plan") or "").strip():
            missing.append("应急预案")
    if missing:
        prefix = "重大事故隐患治理方案须五落实，缺少：" if hazard.grade == Grade.MAJOR else "整改方案缺少："
        return prefix + "、".join(missing) + "。"
    deadline = data["deadline"]
    if isinstance(deadline, date) and deadline < timezone.localdate():
        return "整改期限不能早于今天。"
    return None


def report_evidence(hazard, user, data):
    # rules.md HZ-50: closure needs evidence — what was done and photos after rectification.
    if not (data.get("note") or "").strip():
        return "请填写整改情况。"
    if data.get("photos"):
        return None
    after = hazard.photos.filter(kind="after")
    # After a rejected re-inspection, the earlier photos no longer prove anything: new evidence is needed.
    rejected = hazard.reviews.filter(accepted=False).order_by("-reviewed_at").first()
    if rejected is not None:
        after = after.filter(uploaded_at__gt=rejected.reviewed_at)
    if not after.exists():
        return "请上传整改后照片。" if rejected is None else "复查不合格后再次报告，请上传新的整改后照片。"
    return None


def reason_given(hazard, user, data):
    if not (data.get("reason") or "").strip():
        return "请填写理由。"
    return None


def no_stop_in_force(hazard, user, data):
    # R16 第十八条 (rules.md HZ-34): after a stop order, production resumes only after explicit approval.
    if hazard.stop_order != StopOrder.NONE and not hazard.resumption_approved_at:
        return "该重大隐患已责令停产停业，须先经复产审批后方可销号。"
    return None


def stop_order_pending(hazard, user, data):
    if hazard.stop_order == StopOrder.NONE:
        return "该隐患未责令停产停业，无需复产审批。"
    if hazard.resumption_approved_at:
        return "已经复产审批。"
    return None


def no_stop_yet(hazard, user, data):
    if hazard.stop_order != StopOrder.NONE:
        return "已责令停产停业。"
    return None


def no_pending_extension(hazard, user, data):
    if _pending_extension(hazard) is not None:
        return "已有待审批的延期申请。"
    return None


def extension_date(hazard, user, data):
    new = data.get("new_deadline")
    if not new:
        return "请填写申请延期至的日期。"
    if hazard.deadline and new <= hazard.deadline:
        return "延期日期必须晚于原整改期限。"
    return None


def pending_extension(hazard, user, data):
    request = _pending_extension(hazard)
    if request is None:
        return "没有待审批的延期申请。"
    if request.requested_by_id == user.pk:
        return "不能审批自己提出的延期申请。"
    return None


def _pending_extension(hazard):
    if not hasattr(hazard, "_pending_extension"):
        hazard._pending_extension = ExtensionRequest.objects.filter(
            hazard=hazard, status=ExtensionRequest.Status.PENDING
        ).first()
    return hazard._pending_extension


def supervision_level_for(user) -> int:
    """The 挂牌督办 level a user's government may list at: town staff → 镇街, county office → 县级, city office →
    市级, province office → 省级 (rules.md §1.5: 督办 level 县/市/省). The scope check of the services keeps each
    level to hazards in its own territory."""
    if not user.territory_id:
        return SupervisionLevel.NONE
    level = TERRITORY_LEVEL[user.territory.kind]
    if user.role == R.TOWN and level == 4:
        return SupervisionLevel.TOWN
    if user.role == R.OFFICE and level == 3:
        return SupervisionLevel.COUNTY
    if user.role == R.OFFICE and level == 2:
        return SupervisionLevel.CITY
    if user.role == R.OFFICE and level == 1:
        return SupervisionLevel.PROVINCE
    return SupervisionLevel.NONE


def may_list(hazard, user, data):
    # rules.md §1.5 / HZ-42: major hazards, and hazards left overdue, are listed by a government level.
    if hazard.grade != Grade.MAJOR and not hazard.overdue_now():
        return "只有重大事故隐患或逾期未整改的隐患可以挂牌督办。"
    level = supervision_level_for(user)
    if level == SupervisionLevel.NONE:
        return "只有镇街或县级以上安委办可以挂牌督办。"
    if level <= hazard.supervision_level:
        return "该隐患已由同级或上级挂牌督办。"
    if not user.organisation_id:
        return "您未设置所属机构，不能作为督办机构。"
    return None


def deadline_given(hazard, user, data):
    deadline = data.get("deadline")
    if not deadline:
        return "请填写限期销号日期。"
    if isinstance(deadline, date) and deadline < timezone.localdate():
        return "限期销号日期不能早于今天。"
    return None


# --- the table ---------------------------------------------------------------------------------------------
EXTENDABLE = frozenset({Status.REGISTERED, Status.PLAN_SET, Status.RECTIFYING})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "set_plan",
        "制定整改方案",
        frozenset({Status.REGISTERED, Status.PLAN_SET}),
        Status.PLAN_SET,
        frozenset({R.ENTERPRISE, R.INSPECTOR, R.TOWN, R.OFFICE}),
        (plan_complete,),
    ),
    Transition(
        "start_rectification",
        "开始整改",
        frozenset({Status.PLAN_SET}),
        Status.RECTIFYING,
        frozenset({R.ENTERPRISE, R.INSPECTOR, R.TOWN, R.OFFICE}),
    ),
    Transition(
        "report",
        "报告整改完成",
        frozenset({Status.RECTIFYING}),
        Status.REPORTED,
        frozenset({R.ENTERPRISE, R.INSPECTOR, R.TOWN}),
        (report_evidence,),
    ),
    Transition(
        "accept",
        "复查合格",
        frozenset({Status.REPORTED}),
        Status.ACCEPTED,
        GOVERNMENT_ACTORS,
        (not_reporter, major_needs_department, supervising_body_only),
    ),
    Transition(
        "reject",
        "复查不合格",
        frozenset({Status.REPORTED}),
        Status.RECTIFYING,
        GOVERNMENT_ACTORS,
        (not_reporter, major_needs_department, supervising_body_only, reason_given),
    ),
    Transition(
        "approve_resumption",
        "复产审批",
        frozenset({Status.ACCEPTED}),
        None,
        frozenset({R.INSPECTOR, R.OFFICE}),
        (major_only, stop_order_pending, supervising_body_only),
    ),
    Transition(
        "close",
        "销号",
        frozenset({Status.ACCEPTED}),
        Status.CLOSED,
        GOVERNMENT_ACTORS,
        (major_needs_department, supervising_body_only, no_stop_in_force),
    ),
    Transition(
        "close_on_spot",
        "现场整改确认销号",
        frozenset({Status.REGISTERED}),
        Status.CLOSED,
        frozenset({R.ENTERPRISE, R.INSPECTOR, R.TOWN, R.GRID, R.OFFICE}),
        (general_only,),
    ),
    Transition(
        "order_stop",
        "责令停产停业",
        frozenset(OPEN_STATUSES) - {Status.ACCEPTED},
        None,
        frozenset({R.INSPECTOR, R.OFFICE}),
        (major_only, no_stop_yet),
    ),
    Transition(
        "request_extension",
        "申请延期",
        EXTENDABLE,
        None,
        frozenset({R.ENTERPRISE}),
        (no_pending_extension, extension_date, reason_given),
    ),
    Transition(
        "approve_extension",
        "批准延期",
        EXTENDABLE,
        None,
        GOVERNMENT_ACTORS,
        (pending_extension, major_needs_department, supervising_body_only),
    ),
    Transition(
        "reject_extension",
        "不批准延期",
        EXTENDABLE,
        None,
        GOVERNMENT_ACTORS,
        (pending_extension, major_needs_department, supervising_body_only),
    ),
    Transition(
        "list_supervision",
        "挂牌督办",
        frozenset(OPEN_STATUSES) - {Status.ACCEPTED},
        None,
        frozenset({R.TOWN, R.OFFICE}),
        (may_list, deadline_given),
    ),
    Transition(
        "void",
        "作废",
        frozenset(OPEN_STATUSES),
        Status.VOIDED,
        GOVERNMENT_ACTORS,
        (supervising_body_only, reason_given),
    ),
    Transition(
        "reopen",
        "重新打开",
        frozenset({Status.CLOSED}),
        Status.RECTIFYING,
        GOVERNMENT_ACTORS,
        (major_needs_department, reason_given),
    ),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTIONS = tuple(BY_ACTION)


# Guards that validate the submitted form rather than the hazard's situation.
DATA_GUARDS = frozenset({plan_complete, report_evidence, reason_given, extension_date, deadline_given})
WORKFLOW = Workflow("隐患", TRANSITIONS, DATA_GUARDS)


def _own_unit(hazard, user) -> str | None:
    if user.role == R.ENTERPRISE and hazard.enterprise_id != user.enterprise_id:
        return "企业用户只能办理本单位的隐患。"
    return None


def refusal(
    hazard: Hazard, user, action: str, data: dict | None = None, check_data: bool = True
) -> str | None:
    """Why `user` may not perform `action` on `hazard` now (Chinese), or None when allowed.

    Order: the action exists, the role, the current state, the unit (enterprise staff act on their own hazards;
    the caller passes a hazard the user can see — services check that), then the guards. With check_data=False,
    guards that only validate the submitted form are skipped, so a page can show the button before the form is
    filled in.
    """
    return WORKFLOW.refusal(hazard, user, action, data, check_data, own_record=_own_unit)


def available_actions(hazard: Hazard, user) -> list[Transition]:
    """Actions `user` could take now (the form's own fields are validated when submitted)."""
    return WORKFLOW.available(hazard, user, own_record=_own_unit)


def can_register(user, enterprise, sector=None, source=None) -> str | None:
    """Why `user` may not register a hazard of `enterprise` (None when allowed). Registration has no prior state.

    Enterprise staff register their own unit's self-check findings (R16 第十条); inspectors of the regulating
    department (管行业必须管安全: the hazard's sector is one their department supervises) and territory staff register
    what they find in their jurisdiction.
    """
    from anjian.core.scope import restrict, scope_for
    from anjian.registry.models import Enterprise

    from .models import Source

    if user.role not in REGISTER_ROLES:
        return f"您的角色（{user.get_role_display() or '未授权'}）不能登记隐患。"
    if user.role == R.ENTERPRISE:
        if enterprise.pk != user.enterprise_id:
            return "企业用户只能登记本单位的隐患。"
        if source not in (None, Source.SELF_CHECK):
            return "企业用户登记的隐患来源只能是企业自查。"
        return None
    if not restrict(Enterprise.objects.filter(pk=enterprise.pk), user).exists():
        return "该单位不在您的监管范围内。"
    scope = scope_for(user)
    if scope.sector_ids is not None:
        if sector is None:
            return "行业部门登记隐患须选择行业领域。"
        if sector.pk not in scope.sector_ids:
            return f"“{sector}”不属于您所在部门监管的行业领域。"
    return None


REGISTER_ROLES = frozenset({R.ENTERPRISE, R.INSPECTOR, R.TOWN, R.GRID, R.OFFICE})
