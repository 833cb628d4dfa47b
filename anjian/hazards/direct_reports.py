"""直接报告 (HZ-20, 安全生产法 第四十六条第二款 ✅): the bypass channel of a unit's safety manager to the supervising
department, and the department's handling record. The only functions that create or handle a DirectReport.

"生产经营单位的安全生产管理人员…发现重大事故隐患，依法向本单位有关负责人报告，有关负责人不及时处理的，安全生产管理人员
可以向主管的负有安全生产监督管理职责的部门报告，接到报告的部门应当依法及时处理。"
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.models import Organisation, OrganisationKind
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope, restrict
from anjian.notifications.recipients import sector_regulator

from .models import OPEN_STATUSES, DirectReport, DirectReportOutcome, DirectReportStatus, Grade, Hazard

ACTION_LABELS = {
    "hazard.direct_report_submitted": "直接报告重大事故隐患",
    "hazard.direct_report_handled": "处理直接报告",
}


def handling_days() -> int:
    """第四十六条第二款 only says "及时处理": how many days the department has is local practice (❓), a setting."""
    return int(getattr(settings, "ANJIAN_DIRECT_REPORT_HANDLING_DAYS", 5))


def visible(user, queryset=None):
    """Direct reports a user may see: the scope rule, and in the unit only the reporter's own (the reporter is
    protected from the unit, 第四十六条第二款)."""
    queryset = restrict(DirectReport.objects.all() if queryset is None else queryset, user)
    if getattr(user, "role", None) == Role.ENTERPRISE:
        queryset = queryset.filter(reporter=user)
    return queryset


def reportable_hazards(user):
    """The unit's open 重大事故隐患 a safety manager may report directly."""
    return Hazard.objects.filter(
        enterprise_id=user.enterprise_id, grade=Grade.MAJOR, status__in=OPEN_STATUSES
    ).order_by("-found_on", "-id")


def receiving_department(enterprise, sector):
    """主管的负有安全生产监督管理职责的部门: the department supervising the unit's sector nearest to it; without one,
    the 安委办 of the unit's county (which passes it on)."""
    department = sector_regulator(sector.pk if sector else None, enterprise.territory.path)
    if department is not None:
        return department
    # Ancestors' paths are prefixes of one another, so the deepest sorts last: the nearest office first.
    ancestors = list(enterprise.territory.ancestors(include_self=True))
    office = (
        Organisation.objects.filter(kind=OrganisationKind.OFFICE, is_active=True, territory__in=ancestors)
        .order_by("-territory__path")
        .first()
    )
    if office is None:
        raise ValidationError("未找到主管该单位的负有安全生产监督管理职责的部门，请联系安委办。")
    return office


@transaction.atomic
def submit(report: DirectReport, actor) -> DirectReport:
    """The safety manager's report (an unsaved DirectReport with hazard or description, the date the unit's
    responsible person was told and why it was not dealt with). Goes to the supervising department's to-do list."""
    if not has_perm(actor, "hazards.add_directreport") or actor.role != Role.ENTERPRISE:
        raise PermissionDenied("只有生产经营单位的安全生产管理人员可以直接报告重大事故隐患。")
    report.enterprise = actor.enterprise
    if report.hazard_id:
        if not reportable_hazards(actor).filter(pk=report.hazard_id).exists():
            raise ValidationError({"hazard": "只能报告本单位尚未销号的重大事故隐患。"})
        report.sector = report.hazard.sector
        report.location = report.location or report.hazard.location
    elif report.sector is None:
        report.sector = actor.enterprise.sectors.order_by("id").first()
    report.territory_path = actor.enterprise.territory.path
    report.reporter = actor
    report.submitted_at = timezone.now()
    report.supervising_org = receiving_department(actor.enterprise, report.sector)
    report.due_on = timezone.localdate() + timedelta(days=handling_days())
    report.full_clean()
    report.save()
    ensure_in_scope(actor, report)
    record_action(report, "hazard.direct_report_submitted", f"报送{report.supervising_org}：{report.subject}")
    return report


def can_handle(user, report: DirectReport) -> bool:
    """The receiving department's staff (or the office above it) deal with the report."""
    return (
        has_perm(user, "hazards.handle_directreport")
        and report.status == DirectReportStatus.SUBMITTED
        and (user.organisation_id == report.supervising_org_id or user.role == Role.OFFICE)
    )


@transaction.atomic
def handle(
    report: DirectReport, actor, *, outcome: str, note: str, hazard: Hazard | None = None
) -> DirectReport:
    """The department's handling record (第四十六条第二款: 接到报告的部门应当依法及时处理)."""
    locked = restrict(DirectReport.objects.select_for_update(), actor).filter(pk=report.pk).first()
    if locked is None:
        raise PermissionDenied("该直接报告不在您的数据范围内。")
    if not has_perm(actor, "hazards.handle_directreport"):
        raise PermissionDenied("您的角色无权处理直接报告。")
    if locked.status != DirectReportStatus.SUBMITTED:
        raise ValidationError("该报告已处理。")
    if not can_handle(actor, locked):
        raise PermissionDenied(f"该报告由{locked.supervising_org}处理。")
    errors = {}
    if outcome not in DirectReportOutcome.values:
        errors["outcome"] = "请选择处理结果。"
    if len((note or "").strip()) < 4:
        errors["note"] = "请填写处理情况（核查经过、采取的措施）。"
    needs_hazard = outcome in (DirectReportOutcome.REGISTERED, DirectReportOutcome.EXISTING)
    if needs_hazard and hazard is None:
        errors["hazard"] = "请选择已登记或督办的隐患。"
    if hazard is not None and hazard.enterprise_id != locked.enterprise_id:
        errors["hazard"] = "所选隐患不属于该单位。"
    if errors:
        raise ValidationError(errors)
    locked.status = DirectReportStatus.HANDLED
    locked.outcome = outcome
    locked.handling_note = note.strip()
    locked.handled_hazard = hazard if needs_hazard else None
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.save()
    late = "（逾期）" if timezone.localdate() > locked.due_on else ""
    record_action(
        locked,
        "hazard.direct_report_handled",
        f"{locked.get_outcome_display()}{late}：{locked.handling_note}",
    )
    return locked
