"""Reporting rules and state changes: generating the reports, filling, submitting, returning, confirming and
summing. Views, API, the command, the tasks and the demo all call these functions.

Statuses (a transitions table, TRANSITIONS): 未填报 → 草稿 → 已报送 → 已确认, and 已报送 → 已退回 (with a
reason) → back to editing → 已报送. Each change locks the row and writes a named audit action.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action, register_actions
from anjian.core.models import Organisation, OrganisationKind
from anjian.core.roles import Role

from . import metrics, periods
from .models import (
    DONE_STATUSES,
    NUMERIC_KINDS,
    OPEN_STATUSES,
    FieldKind,
    Frequency,
    Report,
    ReporterKind,
    ReportStatus,
    ReportTemplate,
    TemplateField,
)

register_actions(
    {
        "reporting.generated": "生成报表",
        "reporting.autofilled": "自动取数",
        "reporting.saved": "保存草稿",
        "reporting.aggregated": "汇总生成",
        "reporting.submitted": "报送",
        "reporting.submitted_late": "迟报",
        "reporting.returned": "退回",
        "reporting.confirmed": "确认",
        "reporting.template_changed": "修改报表模板",
    }
)

FILL_ROLES = (Role.OFFICE, Role.INSPECTOR, Role.TOWN, Role.ENTERPRISE)
RECEIVE_ROLES = (Role.OFFICE, Role.INSPECTOR, Role.TOWN)


# --- who: reporters and receivers -------------------------------------------------------------------------
def is_reporter(user, report: Report) -> bool:
    if user.role not in FILL_ROLES:
        return False
    if report.reporter_enterprise_id:
        return user.role == Role.ENTERPRISE and user.enterprise_id == report.reporter_enterprise_id
    return user.role != Role.ENTERPRISE and user.organisation_id == report.reporter_org_id


def is_receiver(user, report: Report) -> bool:
    if user.role not in RECEIVE_ROLES or not user.organisation_id:
        return False
    return report.receivers.filter(pk=user.organisation_id).exists()


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    who: str  # "reporter" | "receiver"


TRANSITIONS = {
    "save": Transition("save", "保存", OPEN_STATUSES, "reporter"),
    "submit": Transition("submit", "报送", OPEN_STATUSES, "reporter"),
    "return": Transition("return", "退回", (ReportStatus.SUBMITTED,), "receiver"),
    "confirm": Transition("confirm", "确认", (ReportStatus.SUBMITTED,), "receiver"),
}


def refusal(user, report: Report, action: str) -> str | None:
    """Why `user` may not do `action` on `report` now; None if they may."""
    transition = TRANSITIONS[action]
    if user.role in (Role.LEADER, Role.GRID) or user.role not in (*FILL_ROLES, *RECEIVE_ROLES):
        return "您的角色无权办理报表。"
    if transition.who == "reporter" and not is_reporter(user, report):
        return "只有填报单位本单位的人员可以填报此报表。"
    if transition.who == "receiver" and not is_receiver(user, report):
        return "只有接收单位可以退回或确认此报表。"
    if report.status not in transition.sources:
        return f"报表当前为“{report.get_status_display()}”，不能{transition.label}。"
    return None


def available_actions(user, report: Report) -> list[str]:
    return [action for action in TRANSITIONS if refusal(user, report, action) is None]


def _check(user, report, action):
    reason = refusal(user, report, action)
    if reason:
        raise PermissionDenied(reason)


def _locked(report: Report) -> Report:
    return (
        # Only the report's row is locked: its reporter is an organisation or an enterprise (outer joins), and
        # PostgreSQL cannot lock the nullable side of an outer join.
        Report.objects.select_for_update(of=("self",))
        .select_related("template", "reporter_org", "reporter_enterprise")
        .get(pk=report.pk)
    )


# --- templates ----------------------------------------------------------------------------------------------
def template_period(template: ReportTemplate, day: date) -> periods.ReportPeriod:
    if template.frequency == Frequency.ONCE:
        start, end = template.once_start, template.once_end
        label = f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
        return periods.ReportPeriod(start, end, label)
    return periods.period_containing(template.frequency, day)


def due_date_for(template: ReportTemplate, period: periods.ReportPeriod, calendar=None) -> date:
    if template.frequency == Frequency.ONCE:
        return template.once_due
    if template.due_in_working_days and calendar is None:
        from anjian.workdays.services import work_calendar

        calendar = work_calendar()
    return periods.due_date(
        period.end,
        template.due_months_after,
        template.due_day,
        calendar if template.due_in_working_days else None,
    )


def due_rule_text(template: ReportTemplate) -> str:
    if template.frequency == Frequency.ONCE:
        return f"{template.once_due:%Y-%m-%d}前" if template.once_due else ""
    month = {1: "次月" if template.frequency == Frequency.MONTHLY else "下一期第一个月"}.get(
        template.due_months_after, f"期末后第{template.due_months_after}个月"
    )
    if template.frequency == Frequency.YEARLY and template.due_months_after == 1:
        month = "次年1月"
    day = f"第{template.due_day}个工作日" if template.due_in_working_days else f"{template.due_day}日"
    return f"{month}{day}前"


def save_template(form, user) -> ReportTemplate:
    """Create or change a template. A change raises the version: reports submitted before keep their own
    copy of the fields, and open ones take the new fields at their next save."""
    with transaction.atomic():
        template = form.save(commit=False)
        changed = template.pk is not None
        if changed:
            template.version += 1
        template.save()
        form.save_m2m()
        if changed:
            record_action(
                template, "reporting.template_changed", f"模板改为第{template.version}版", actor=user
            )
    return template


def save_field(form, user) -> TemplateField:
    with transaction.atomic():
        field_row = form.save()
        template = ReportTemplate.objects.select_for_update().get(pk=field_row.template_id)
        template.version += 1
        template.save(update_fields=["version"])
        record_action(
            template,
            "reporting.template_changed",
            f"字段“{field_row.label}”已保存，模板改为第{template.version}版",
            actor=user,
        )
    return field_row


def field_definitions(template: ReportTemplate) -> list[dict]:
    return [f.definition() for f in template.fields.all()]


# --- generation -------------------------------------------------------------------------------------------
def reporters_for(template: ReportTemplate) -> list:
    path = template.territory_path
    if template.reporter_kind == ReporterKind.ENTERPRISES:
        from anjian.registry.models import Enterprise, EnterpriseStatus

        rows = Enterprise.objects.filter(
            territory_path__startswith=path, status=EnterpriseStatus.OPERATING
        ).select_related("territory")
        sector_ids = list(template.sectors.values_list("pk", flat=True))
        if sector_ids:
            rows = rows.filter(sectors__in=sector_ids).distinct()
        return list(rows.prefetch_related("sectors").order_by("territory_path", "name", "id"))
    kind = {
        ReporterKind.TOWNS: OrganisationKind.LOCAL_GOVERNMENT,
        ReporterKind.DEPARTMENTS: OrganisationKind.DEPARTMENT,
        ReporterKind.OFFICES: OrganisationKind.OFFICE,
    }[template.reporter_kind]
    rows = Organisation.objects.filter(kind=kind, is_active=True, territory_path__startswith=path).exclude(
        pk=template.owner_id
    )
    return list(
        rows.select_related("territory").prefetch_related("sectors").order_by("territory_path", "sort_order")
    )


def office_above(organisation, offices_by_territory: dict | None = None):
    """The 安委办 a government unit reports to: a department reports to its own level's office, a town or a
    lower office to the nearest office above its territory."""
    ids = organisation.territory.ancestor_ids
    if organisation.kind != OrganisationKind.DEPARTMENT:
        ids = ids[:-1]
    if offices_by_territory is None:
        offices_by_territory = {
            o.territory_id: o
            for o in Organisation.objects.filter(
                kind=OrganisationKind.OFFICE, is_active=True, territory_id__in=ids
            )
        }
    for territory_id in reversed(ids):
        if territory_id in offices_by_territory:
            return offices_by_territory[territory_id]
    return None


def enterprise_receivers(enterprise) -> list:
    """HZ-16 (第十四条): the table goes to the departments supervising the unit's sectors and to its town
    (registry's 'who must supervise': 管行业必须管安全 and 属地)."""
    from anjian.registry.services import supervisors_for

    supervisors = supervisors_for(enterprise)
    receivers = list(supervisors.departments)
    if supervisors.local_governments:
        receivers.append(supervisors.local_governments[0])
    return receivers


@dataclass
class GenerationResult:
    created: int = 0
    existing: int = 0
    templates: list = field(default_factory=list)


def generate_reports(today: date | None = None, templates=None) -> GenerationResult:
    """One report per (active template, expected reporter, ended period). Idempotent: what exists is kept."""
    today = today or timezone.localdate()
    result = GenerationResult()
    if templates is None:
        templates = ReportTemplate.objects.filter(is_active=True).select_related("owner", "owner__territory")
    offices = {
        o.territory_id: o for o in Organisation.objects.filter(kind=OrganisationKind.OFFICE, is_active=True)
    }
    calendar = None
    for template in templates:
        if template.frequency == Frequency.ONCE:
            wanted = (
                [template_period(template, today)]
                if template.once_start and template.once_start <= today
                else []
            )
        else:
            wanted = periods.ended_periods(template.frequency, template.starts_on, today)
        if not wanted:
            continue
        if template.due_in_working_days and calendar is None:
            from anjian.workdays.services import work_calendar

            calendar = work_calendar()
        existing = set(
            Report.objects.filter(template=template, period_start__in=[p.start for p in wanted]).values_list(
                "reporter_org_id", "reporter_enterprise_id", "period_start"
            )
        )
        definitions = field_definitions(template)
        receivers_cache = {}
        for reporter in reporters_for(template):
            is_enterprise = template.reporter_kind == ReporterKind.ENTERPRISES
            for period in wanted:
                key = (
                    (None, reporter.pk, period.start) if is_enterprise else (reporter.pk, None, period.start)
                )
                if key in existing:
                    result.existing += 1
                    continue
                if reporter.pk not in receivers_cache:
                    if is_enterprise:
                        receivers_cache[reporter.pk] = enterprise_receivers(reporter)
                    else:
                        above = office_above(reporter, offices)
                        receivers_cache[reporter.pk] = [above] if above else []
                _create_report(
                    template,
                    reporter,
                    is_enterprise,
                    period,
                    definitions,
                    calendar,
                    receivers_cache[reporter.pk],
                )
                result.created += 1
        result.templates.append(template)
    return result


def _create_report(template, reporter, is_enterprise, period, definitions, calendar, receivers) -> Report:
    report = Report.objects.create(
        template=template,
        reporter_org=None if is_enterprise else reporter,
        reporter_enterprise=reporter if is_enterprise else None,
        reporter_name=str(reporter.name),
        territory=reporter.territory,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        due_date=due_date_for(template, period, calendar),
        template_version=template.version,
        fields_snapshot=definitions,
    )
    if receivers:
        report.receivers.set(receivers)
    sectors = (
        list(reporter.sectors.all())
        if (is_enterprise or reporter.kind == OrganisationKind.DEPARTMENT)
        else []
    )
    if sectors:
        report.sectors.set(sectors)
    return report


# --- filling ----------------------------------------------------------------------------------------------
def definitions_of(report: Report) -> list[dict]:
    """The fields of a report: frozen with it once submitted, else the template's current fields."""
    if report.is_done and report.fields_snapshot:
        return report.fields_snapshot
    return field_definitions(report.template)


def compute_auto_values(report: Report, definitions=None) -> dict:
    unit = metrics.Unit.of_report(report)
    period = periods.ReportPeriod(report.period_start, report.period_end, report.period_label)
    values = {}
    for definition in definitions if definitions is not None else definitions_of(report):
        if definition["source"] == TemplateField.Source.AUTO and definition["metric"] in metrics.REGISTRY:
            values[definition["key"]] = _stored(
                metrics.value(definition["metric"], unit, period), definition["kind"]
            )
    return values


def _stored(value, kind):
    """A value as the report keeps it in JSON: integers as int, decimals as a string, text and dates as text."""
    if value is None or value == "":
        return None
    if kind == FieldKind.INTEGER:
        return int(value)
    if kind == FieldKind.DECIMAL:
        return str(Decimal(value).quantize(Decimal("0.01")))
    if kind == FieldKind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def parse_value(definition: dict, raw) -> object:
    """A hand-typed value checked against its field; raises ValidationError with a Chinese reason."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    label = definition["label"]
    kind = definition["kind"]
    if kind == FieldKind.INTEGER:
        try:
            number = int(text)
        except ValueError:
            raise ValidationError(f"“{label}”应填写整数。") from None
        if number < 0 or number > 10**12:
            raise ValidationError(f"“{label}”应为0至10¹²之间的整数。")
        return number
    if kind == FieldKind.DECIMAL:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"“{label}”应填写数字。") from None
        if not number.is_finite() or number < 0 or number >= Decimal(10) ** 14:
            raise ValidationError(f"“{label}”应为不小于0的数字。")
        return str(number.quantize(Decimal("0.01")))
    if kind == FieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(f"“{label}”应填写日期（YYYY-MM-DD）。") from None
    if len(text) > 2000:
        raise ValidationError(f"“{label}”不能超过2000字。")
    return text


def refresh_auto(report: Report, user) -> Report:
    """Take the platform's figures again (until the report is submitted)."""
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "save")
        definitions = field_definitions(report.template)
        report.values = {**report.values, **compute_auto_values(report, definitions)}
        report.fields_snapshot = definitions
        report.template_version = report.template.version
        report.auto_refreshed_at = timezone.now()
        if report.status == ReportStatus.PENDING:
            report.status = ReportStatus.DRAFT
        report.save()
        record_action(report, "reporting.autofilled", "已按平台数据自动取数", actor=user)
    return report


def save_draft(
    report: Report, user, values: dict, narrative: str = "", signer_name: str = "", signer_confirmed=False
):
    """Keep what the reporter typed (hand fields only: figures taken from the platform are not typed over)."""
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "save")
        definitions = field_definitions(report.template)
        report.values = {**report.values, **_hand_values(definitions, values)}
        if report.auto_refreshed_at is None:
            report.values.update(compute_auto_values(report, definitions))
            report.auto_refreshed_at = timezone.now()
        report.fields_snapshot = definitions
        report.template_version = report.template.version
        report.narrative = narrative
        report.signer_name = signer_name.strip()
        report.signer_confirmed = bool(signer_confirmed)
        if report.status == ReportStatus.PENDING:
            report.status = ReportStatus.DRAFT
        report.save()
        record_action(report, "reporting.saved", "", actor=user)
    return report


def _hand_values(definitions, values: dict) -> dict:
    errors, clean = [], {}
    for definition in definitions:
        if definition["source"] != TemplateField.Source.MANUAL or definition["key"] not in values:
            continue
        try:
            clean[definition["key"]] = parse_value(definition, values[definition["key"]])
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return clean


def principal_signature_problem(report: Report) -> str | None:
    """HZ-16 (总局令第16号 第十四条第一款): the statistics table is signed by the unit's 主要负责人. The account that
    submits is the enterprise's; the 主要负责人 is the person registered on the enterprise (registry), whose
    name the submitter enters and whose signature they confirm. T-HZ-16b: without it, nothing is submitted."""
    enterprise = report.reporter_enterprise
    principal = (enterprise.principal_name or "").strip() if enterprise else ""
    if not principal:
        return "企业信息中尚未登记主要负责人，统计表须经主要负责人签字后方可报送，请先在企业信息中登记。"
    if report.signer_name != principal:
        return f"签字人须为本单位主要负责人（{principal}）。"
    if not report.signer_confirmed:
        return "请确认本表已经主要负责人审阅签字。未经主要负责人签字的统计表不视为已报送。"
    return None


def submit(
    report: Report, user, values: dict | None = None, narrative=None, signer_name=None, signer_confirmed=None
):
    """Submit: required fields present, signed; the fields and figures are frozen with the report. A report
    submitted after its due date is marked 迟报 for good."""
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "submit")
        definitions = field_definitions(report.template)
        if values:
            report.values = {**report.values, **_hand_values(definitions, values)}
        if narrative is not None:
            report.narrative = narrative
        if signer_name is not None:
            report.signer_name = signer_name.strip()
        if signer_confirmed is not None:
            report.signer_confirmed = bool(signer_confirmed)
        if report.auto_refreshed_at is None:
            report.values.update(compute_auto_values(report, definitions))
            report.auto_refreshed_at = timezone.now()
        errors = [
            f"“{d['label']}”为必填项。"
            for d in definitions
            if d["required"] and report.values.get(d["key"]) in (None, "")
        ]
        if report.template.requires_principal_signature:
            problem = principal_signature_problem(report)
            if problem:
                errors.append(problem)
        elif not report.signer_name:
            errors.append("请填写签字人（单位负责人）。")
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        first_time = report.submitted_at is None
        report.fields_snapshot = definitions
        report.template_version = report.template.version
        report.submitted_at = now
        report.submitted_by = user
        late = timezone.localdate(now) > report.due_date
        report.is_late = report.is_late or (first_time and late)
        report.status = ReportStatus.SUBMITTED
        report.save()
        if report.is_late and first_time:
            record_action(
                report,
                "reporting.submitted_late",
                f"超过报送截止日（{report.due_date:%Y-%m-%d}）报送",
                actor=user,
            )
        else:
            record_action(report, "reporting.submitted", f"签字人：{report.signer_name}", actor=user)
    return report


def return_report(report: Report, user, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写退回原因。")
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "return")
        report.status = ReportStatus.RETURNED
        report.return_reason = reason
        report.returned_at = timezone.now()
        report.save()
        record_action(report, "reporting.returned", reason, actor=user)
    return report


def confirm_report(report: Report, user) -> Report:
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "confirm")
        report.status = ReportStatus.CONFIRMED
        report.confirmed_at = timezone.now()
        report.confirmed_by = user
        report.save()
        record_action(report, "reporting.confirmed", "", actor=user)
    return report


# --- summing upward -----------------------------------------------------------------------------------------
def numeric(definition) -> bool:
    return definition["kind"] in NUMERIC_KINDS


def sum_values(reports, definitions) -> dict:
    """Numeric fields summed over the submitted reports (each with its own frozen values)."""
    totals = {}
    for definition in definitions:
        if not numeric(definition):
            continue
        total = Decimal(0)
        for report in reports:
            raw = report.values.get(definition["key"])
            if raw not in (None, ""):
                total += Decimal(str(raw))
        totals[definition["key"]] = (
            int(total) if definition["kind"] == FieldKind.INTEGER else total.quantize(Decimal("0.01"))
        )
    return totals


@dataclass
class Summary:
    template: ReportTemplate
    period_label: str
    definitions: list
    rows: list  # (report, timeliness label)
    totals: dict
    narratives: list  # (reporter name, text)
    counts: dict


def summarise(reports, template: ReportTemplate, today: date | None = None) -> Summary:
    today = today or timezone.localdate()
    reports = list(reports)
    done = [r for r in reports if r.is_done]
    definitions = field_definitions(template)
    rows = [(r, r.timeliness(today)) for r in reports]
    counts = {
        label: sum(1 for _, t in rows if t == label) for label in ("已报", "迟报", "未报", "待报", "退回")
    }
    return Summary(
        template=template,
        period_label=reports[0].period_label if reports else "",
        definitions=definitions,
        rows=rows,
        totals=sum_values(done, definitions),
        narratives=[(r.reporter_name, r.narrative) for r in done if r.narrative.strip()],
        counts=counts,
    )


def aggregate_from_sub_reports(report: Report, user) -> Report:
    """汇总生成: fill this report from the submitted reports it receives for the same period of the template it
    aggregates (figures summed, narratives collected)."""
    template = report.template
    if not template.aggregate_from_id:
        raise ValidationError("此报表未设置汇总来源。")
    with transaction.atomic():
        report = _locked(report)
        _check(user, report, "save")
        subs = list(
            Report.objects.filter(
                template_id=template.aggregate_from_id,
                period_start=report.period_start,
                status__in=DONE_STATUSES,
                receivers=report.reporter_org_id,
            ).order_by("territory_path", "reporter_name")
        )
        definitions = field_definitions(template)
        totals = sum_values(subs, definitions)
        report.values = {**report.values, **{k: _stored(v, _kind(definitions, k)) for k, v in totals.items()}}
        report.narrative = "\n".join(
            f"【{s.reporter_name}】{s.narrative.strip()}" for s in subs if s.narrative.strip()
        )
        report.fields_snapshot = definitions
        if report.status == ReportStatus.PENDING:
            report.status = ReportStatus.DRAFT
        report.save()
        record_action(report, "reporting.aggregated", f"由{len(subs)}份下级报表汇总生成", actor=user)
    return report


def _kind(definitions, key):
    return next(d["kind"] for d in definitions if d["key"] == key)
