"""Inspection services: the only functions that create tasks, draw 双随机 samples, start, sign and complete
inspections, and turn failed checklist items into hazards. Views and API call these; each writes its audit entry.

State changes go through the transitions tables below (state, action) -> (new state, permission, guard).
A refusal is a `ValidationError` with a Chinese reason.
"""

import base64
import binascii
import random
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.documents import format_document_number, next_document_number
from anjian.core.models import TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import ensure_in_scope, restrict, scope_for
from anjian.enforcement import rules as enforcement_rules

from .models import (
    FollowUp,
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    ItemResult,
    Kind,
    Level,
    PlanKind,
    PlanStatus,
    TaskStatus,
)

# --- transitions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    permission: str
    label: str


PLAN_TRANSITIONS = {
    (t.source, t.action): t
    for t in (
        Transition(
            PlanStatus.DRAFT, "publish", PlanStatus.ACTIVE, "inspections.change_inspectionplan", "发布"
        ),
        Transition(
            PlanStatus.ACTIVE, "close", PlanStatus.CLOSED, "inspections.change_inspectionplan", "结束"
        ),
    )
}

INSPECTION_TRANSITIONS = {
    (t.source, t.action): t
    for t in (
        Transition(
            InspectionStatus.DRAFT,
            "complete",
            InspectionStatus.COMPLETED,
            "inspections.change_inspection",
            "完成",
        ),
    )
}


def _transition(table, obj, action, actor) -> Transition:
    transition = table.get((obj.status, action))
    if transition is None:
        raise ValidationError(f"当前状态（{obj.get_status_display()}）不能执行此操作。")
    if not has_perm(actor, transition.permission):
        raise PermissionDenied("您的角色无权执行此操作。")
    return transition


# --- plans ---------------------------------------------------------------------------------------------


def change_plan_status(*, actor, plan: InspectionPlan, action: str) -> InspectionPlan:
    with transaction.atomic():
        plan = restrict(InspectionPlan.objects.select_for_update(), actor).get(pk=plan.pk)
        transition = _transition(PLAN_TRANSITIONS, plan, action, actor)
        if action == "publish" and not plan.tasks.exists():
            raise ValidationError("计划尚未生成检查任务，不能发布。")
        old = plan.status
        plan.status = transition.target
        plan.save(update_fields=["status"])
        record_action(
            plan, f"inspections.plan_{action}", f"检查计划{transition.label}", {"status": [old, plan.status]}
        )
    return plan


def new_plan_number(year: int) -> str:
    # GB/T 9704-2012 §7.2.3 bracket style, one gap-free series per year.
    return format_document_number("检计", year, next_document_number("inspections.plan", year))


def candidate_enterprises(plan: InspectionPlan):
    """The units the plan's scope rule selects, ordered by id (the order matters for reproducible draws).

    An explicit enterprise list wins; otherwise: operating units in the plan's territory subtree, of the plan's
    sectors (any, when none is set), of the plan's risk levels (any, when none is set).
    """
    from anjian.registry.models import Enterprise, EnterpriseStatus

    explicit = plan.enterprises.all()
    if explicit.exists():
        return explicit.order_by("id")
    qs = Enterprise.objects.filter(territory_path__startswith=plan.territory.path).exclude(
        status__in=[EnterpriseStatus.BANNED, EnterpriseStatus.DEREGISTERED]
    )
    sector_ids = list(plan.sectors.values_list("pk", flat=True))
    if sector_ids:
        through = Enterprise.sectors.through
        qs = qs.filter(Exists(through.objects.filter(enterprise=OuterRef("pk"), sector__in=sector_ids)))
    if plan.risk_levels:
        qs = qs.filter(risk_level__in=plan.risk_levels)
    return qs.order_by("id")


def _task_sector(enterprise, plan_sector_ids: set[int]):
    sectors = sorted(enterprise.sectors.all(), key=lambda s: s.pk)
    for sector in sectors:
        if not plan_sector_ids or sector.pk in plan_sector_ids:
            return sector
    return sectors[0] if sectors else None


def _eligible(inspector, sector) -> bool:
    """An inspector may be sent to a unit of a sector their department supervises (管行业必须管安全)."""
    scope = scope_for(inspector)
    if scope.sector_ids is None:
        return True
    return sector is not None and sector.pk in scope.sector_ids


def _ensure_can_plan(actor, plan):
    if not has_perm(actor, "inspections.generate_tasks"):
        raise PermissionDenied("您的角色无权生成检查任务。")
    if not restrict(InspectionPlan.objects.filter(pk=plan.pk), actor).exists():
        raise PermissionDenied("该计划不在您的数据范围内。")
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError("计划已结束，不能再生成任务。")


def build_tasks(plan: InspectionPlan, enterprises) -> list[InspectionTask]:
    """Unsaved tasks of the plan for these units (sectors and territory loaded). Inspectors are assigned
    round-robin from the plan's pool among those eligible for the unit's sector, counting the tasks they have."""
    plan_sector_ids = set(plan.sectors.values_list("pk", flat=True))
    pool = list(plan.inspectors.select_related("organisation", "territory").order_by("id"))
    load = {u.pk: plan.tasks.filter(inspector=u).count() for u in pool}
    # 行政处罚法 第四十二条 (EN-31): a task of an enforcement plan (county/city level) goes to two officers when the
    # pool has two eligible ones; `save_tasks` stores the second as the task's co-inspector.
    officers = 2 if is_enforcement_inspection(plan.level) else 1
    tasks = []
    for enterprise in enterprises:
        sector = _task_sector(enterprise, plan_sector_ids)
        eligible = sorted((u for u in pool if _eligible(u, sector)), key=lambda u: (load[u.pk], u.pk))
        chosen = eligible[:officers]
        for user in chosen:
            load[user.pk] += 1
        task = InspectionTask(
            plan=plan,
            enterprise=enterprise,
            territory=enterprise.territory,
            territory_path=enterprise.territory.path,
            sector=sector,
            inspector=chosen[0] if chosen else None,
            due_date=plan.end_date,
        )
        task.assigned_co_inspectors = chosen[1:]
        tasks.append(task)
    return tasks


def save_tasks(tasks: list[InspectionTask]) -> None:
    """Insert tasks made by build_tasks, with their co-inspectors (two statements)."""
    InspectionTask.objects.bulk_create(tasks)
    through = InspectionTask.co_inspectors.through
    through.objects.bulk_create(
        through(inspectiontask_id=task.pk, user_id=user.pk)
        for task in tasks
        for user in getattr(task, "assigned_co_inspectors", ())
    )


def generate_tasks(*, actor, plan: InspectionPlan) -> int:
    """One task per selected unit; units that already have a task are skipped (idempotent). Returns the number
    of new tasks. Inspectors are assigned round-robin from the plan's pool among those eligible for the sector."""
    if plan.kind == PlanKind.RANDOM:
        raise ValidationError("双随机抽查计划请使用“随机抽取”生成任务。")
    _ensure_can_plan(actor, plan)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        existing = set(plan.tasks.values_list("enterprise_id", flat=True))
        candidates = candidate_enterprises(plan).prefetch_related("sectors").select_related("territory")
        new_tasks = build_tasks(plan, [e for e in candidates if e.pk not in existing])
        save_tasks(new_tasks)
        if new_tasks:
            record_action(plan, "inspections.tasks_generated", f"按检查范围生成任务 {len(new_tasks)} 项")
    return len(new_tasks)


def compute_draw(
    seed: str, candidate_ids: list[int], inspector_ids: list[int], count: int, per_task: int
) -> list[tuple[int, list[int]]]:
    """双随机: draw `count` units and `per_task` inspectors for each, from a seeded RNG.

    Pure function of its arguments: the same seed and candidate lists always give the same draw, so anyone can
    re-run it to audit the result (国办发〔2015〕58号 随机抽取检查对象、随机选派执法检查人员).
    """
    rng = random.Random(f"anjian-shuangsuiji:{seed}")
    units = rng.sample(sorted(candidate_ids), min(count, len(candidate_ids)))
    inspectors = sorted(inspector_ids)
    return [(unit, rng.sample(inspectors, min(per_task, len(inspectors)))) for unit in units]


def draw_random(*, actor, plan: InspectionPlan, seed: str | None = None) -> int:
    """Run the 双随机 draw once for a random plan; records seed, candidates and result on the plan."""
    if plan.kind != PlanKind.RANDOM:
        raise ValidationError("只有双随机抽查计划可以随机抽取。")
    _ensure_can_plan(actor, plan)
    with transaction.atomic():
        plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.drawn_at:
            raise ValidationError("本计划已完成随机抽取，抽取结果不能重抽。")
        if not plan.random_count:
            raise ValidationError("请先填写抽取单位数。")
        inspector_ids = list(plan.inspectors.order_by("id").values_list("pk", flat=True))
        if not inspector_ids:
            raise ValidationError("请先选择检查人员库，再随机抽取。")
        # Units already in the plan (its 重点 list, targeting.select_priority_units) are not drawn again.
        enterprises = {
            e.pk: e
            for e in candidate_enterprises(plan)
            .exclude(pk__in=plan.tasks.values("enterprise_id"))
            .prefetch_related("sectors")
            .select_related("territory")
        }
        if not enterprises:
            raise ValidationError("按检查范围没有符合条件的单位。")
        seed = seed or secrets.token_hex(8)
        draw = compute_draw(
            seed, list(enterprises), inspector_ids, plan.random_count, plan.inspectors_per_task
        )
        plan_sector_ids = set(plan.sectors.values_list("pk", flat=True))
        tasks = []
        for unit_id, drawn in draw:
            enterprise = enterprises[unit_id]
            tasks.append(
                InspectionTask(
                    plan=plan,
                    enterprise=enterprise,
                    territory=enterprise.territory,
                    territory_path=enterprise.territory.path,
                    sector=_task_sector(enterprise, plan_sector_ids),
                    inspector_id=drawn[0] if drawn else None,
                    due_date=plan.end_date,
                )
            )
        InspectionTask.objects.bulk_create(tasks)
        for task, (_, drawn) in zip(tasks, draw, strict=True):
            if len(drawn) > 1:
                task.co_inspectors.set(drawn[1:])
        plan.random_seed = seed
        plan.drawn_at = timezone.now()
        plan.drawn_by = actor
        plan.draw_log = {
            "seed": seed,
            "candidates": sorted(enterprises),
            "inspectors": inspector_ids,
            "count": plan.random_count,
            "per_task": plan.inspectors_per_task,
            "result": [[unit, drawn] for unit, drawn in draw],
        }
        plan.save(update_fields=["random_seed", "drawn_at", "drawn_by", "draw_log"])
        record_action(plan, "inspections.random_drawn", f"双随机抽取：种子 {seed}，抽中 {len(tasks)} 家单位")
    return len(tasks)


def verify_draw(plan: InspectionPlan) -> bool:
    """Re-run the recorded draw from its seed and candidate lists; True when it gives the recorded result."""
    log = plan.draw_log or {}
    if not log.get("seed"):
        return False
    again = compute_draw(log["seed"], log["candidates"], log["inspectors"], log["count"], log["per_task"])
    return [[u, list(i)] for u, i in again] == log["result"]


# --- inspections ---------------------------------------------------------------------------------------


def default_level(user) -> str:
    """The level follows who inspects: enterprise staff 企业自查, town/grid staff 镇办巡查, county/city staff."""
    if user.role == Role.ENTERPRISE:
        return Level.SELF
    if user.role in (Role.TOWN, Role.GRID):
        return Level.TOWN
    territory = user.territory
    if territory is not None and territory.kind in (TerritoryKind.CITY, TerritoryKind.PROVINCE):
        return Level.CITY
    return Level.COUNTY


def new_inspection_number(year: int) -> str:
    return format_document_number("现检", year, next_document_number("inspections.record", year))


def _copy_template_items(inspection: Inspection) -> None:
    template = inspection.checklist_template
    if template is None:
        return
    InspectionItem.objects.bulk_create(
        InspectionItem(
            inspection=inspection,
            template_item=item,
            order=item.order,
            text=item.text,
            basis=item.basis,
            major_clause=item.major_clause,
        )
        for item in template.items.order_by("order")
    )


# --- two law-enforcement officers (rules.md EN-31) --------------------------------------------------------

# Which records are law-enforcement inspections (执法检查): the county- and city-level records, made by
# departments with supervisory duty (安全生产法 第六十五条, 第六十八条: 现场检查记录 signed by the inspectors).
# 企业自查 is the unit's own duty (第四十一条); 镇办巡查 is a town government's patrol (乡镇 are not
# 安全生产监督管理部门 unless a province delegates enforcement to them); 督查组反馈 records what a higher
# government's supervision team found about local work. None of those is an administrative enforcement act, so the
# two-officer rule applies to them only when they record an on-site stop measure (below).
ENFORCEMENT_LEVELS = frozenset({Level.COUNTY, Level.CITY})
# On-site measures (现场处理措施, 安全生产法 第六十五条第一款第(三)项): 责令暂时停产停业 at any government level;
# 临时管控措施 ordered in an enforcement inspection.
STOP_FOLLOW_UPS = frozenset({FollowUp.PARTIAL_STOP, FollowUp.TOTAL_STOP})
ONSITE_MEASURE_FOLLOW_UPS = STOP_FOLLOW_UPS | {FollowUp.INTERIM}


def is_enforcement_inspection(level) -> bool:
    return level in ENFORCEMENT_LEVELS


def needs_two_officers(level, follow_ups=()) -> bool:
    """Whether the record must name two certified officers: an enforcement inspection, or an on-site stop
    measure recorded by a government inspector (a unit's self-check records its own measures)."""
    if level == Level.SELF:
        return False
    return is_enforcement_inspection(level) or any(f in STOP_FOLLOW_UPS for f in follow_ups)


def officers_problem(level, inspectors, follow_ups=()) -> str | None:
    """行政处罚法 第四十二条 (EN-31; 安全生产执法程序规定): an enforcement inspection, and any on-site measure, is
    made by at least two distinct officers holding enforcement certificates. None when the record may stand."""
    if not needs_two_officers(level, follow_ups):
        return None
    what = "现场处理措施" if not is_enforcement_inspection(level) else "执法检查（县级、市级检查）"
    return enforcement_rules.officers_problem(
        inspectors,
        shortfall_hint=f"{what}须由两名以上持有执法证的执法人员实施，请在“检查人员”中增加一名持证执法人员。",
    )


def check_inspection_rules(inspection: Inspection, actor) -> None:
    """Who may record which level (raises ValidationError)."""
    if actor.role == Role.ENTERPRISE:
        if inspection.enterprise_id != actor.enterprise_id:
            raise ValidationError("企业用户只能记录本单位的自查。")
        if inspection.level != Level.SELF:
            raise ValidationError("企业用户只能记录“企业自查”。")
    elif inspection.level == Level.SELF:
        raise ValidationError("“企业自查”由企业自行记录。")
    if inspection.level == Level.SUPERVISION and not inspection.supervising_body:
        raise ValidationError("督查组反馈须填写督查组或上级机关。")
    if inspection.kind == Kind.COMPLAINT and not inspection.complaint_reference:
        raise ValidationError("举报投诉核查须填写举报投诉编号。")


def create_inspection(*, actor, inspection: Inspection, inspectors=(), require_officers=True) -> Inspection:
    """Save a new inspection (built by a form or serializer, not yet saved): number, items from the template.
    An enforcement inspection names two certified officers from the start (EN-31); a draft opened from a plan's
    task (`require_officers=False`) may start with the task's inspector and is completed only with two."""
    if not has_perm(actor, "inspections.add_inspection"):
        raise PermissionDenied("您的角色无权新建检查记录。")
    check_inspection_rules(inspection, actor)
    why = officers_problem(inspection.level, list(inspectors) or [actor]) if require_officers else None
    if why:
        raise ValidationError({"inspectors": why})
    with transaction.atomic():
        inspection.territory = inspection.enterprise.territory
        inspection.number = new_inspection_number((inspection.inspected_on or timezone.localdate()).year)
        inspection.created_by = actor
        if inspection.organisation_id is None and actor.role != Role.ENTERPRISE:
            inspection.organisation = actor.organisation
        if inspection.lead_inspector_id is None:
            inspection.lead_inspector = actor
        inspection.save()
        people = list(inspectors) or [actor]
        inspection.inspectors.set(people)
        _copy_template_items(inspection)
        ensure_in_scope(actor, inspection)
        record_action(inspection, "inspections.started", "开始检查")
    return inspection


def start_from_task(*, actor, task: InspectionTask) -> Inspection:
    """Open the inspection of a task (once: a second call returns the same inspection)."""
    existing = Inspection.objects.filter(task=task).first()
    if existing is not None:
        return existing
    if task.status != TaskStatus.PENDING:
        raise ValidationError("该任务已完成或已取消。")
    if (
        actor.role == Role.INSPECTOR
        and actor.pk != task.inspector_id
        and not task.co_inspectors.filter(pk=actor.pk).exists()
    ):
        raise PermissionDenied("该任务未分配给您。")
    plan = task.plan
    inspection = Inspection(
        level=plan.level if plan.level != Level.SELF else default_level(actor),
        kind=plan.default_inspection_kind,
        plan=plan,
        task=task,
        enterprise=task.enterprise,
        sector=task.sector,
        checklist_template=plan.checklist_template or _template_for(task.sector),
        inspected_on=timezone.localdate(),
        location=task.enterprise.address,
        lead_inspector=task.inspector or actor,
    )
    people = [u for u in [task.inspector, *task.co_inspectors.all()] if u is not None] or [actor]
    if actor not in people:
        people.append(actor)
    # A plan may assign one inspector per task: the draft opens, and the record cannot be completed until a
    # second certified officer is named on it (completion_problems, EN-31).
    return create_inspection(actor=actor, inspection=inspection, inspectors=people, require_officers=False)


def _template_for(sector):
    from .models import ChecklistTemplate

    if sector is None:
        return None
    return ChecklistTemplate.objects.filter(sector=sector, is_active=True).order_by("code").first()


def _editable(inspection, actor):
    if not has_perm(actor, "inspections.change_inspection"):
        raise PermissionDenied("您的角色无权修改检查记录。")
    if not restrict(Inspection.objects.filter(pk=inspection.pk), actor).exists():
        raise PermissionDenied("该检查记录不在您的数据范围内。")
    if inspection.status != InspectionStatus.DRAFT:
        raise ValidationError("检查记录已完成，不能再修改。")


MAX_SIGNATURE_BYTES = 300_000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def decode_signature(data_url: str) -> bytes:
    """A canvas `toDataURL('image/png')` value -> PNG bytes (checked: PNG header, size)."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise ValidationError("签名格式不正确，请重新签名。")
    try:
        content = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("签名数据损坏，请重新签名。") from exc
    if not content.startswith(PNG_MAGIC):
        raise ValidationError("签名不是 PNG 图片，请重新签名。")
    if len(content) > MAX_SIGNATURE_BYTES:
        raise ValidationError("签名图片过大。")
    return content


def sign(*, actor, inspection: Inspection, who: str, data_url: str = "", signer_name: str = "") -> Inspection:
    """Store a drawn signature: who = "inspector" (the inspecting staff) or "unit" (the unit's representative)."""
    _editable(inspection, actor)
    content = decode_signature(data_url)
    now = timezone.now()
    with transaction.atomic():
        if who == "inspector":
            inspection.inspector_signature.save(
                f"{inspection.pk}-inspector.png", ContentFile(content), save=False
            )
            inspection.inspector_signed_at = now
            inspection.save(update_fields=["inspector_signature", "inspector_signed_at"])
            record_action(inspection, "inspections.signed", "检查人员签名")
        elif who == "unit":
            if not signer_name.strip():
                raise ValidationError("请填写被检查单位签字人姓名。")
            inspection.unit_signature.save(f"{inspection.pk}-unit.png", ContentFile(content), save=False)
            inspection.unit_signer_name = signer_name.strip()
            inspection.unit_signed_at = now
            inspection.save(update_fields=["unit_signature", "unit_signer_name", "unit_signed_at"])
            record_action(inspection, "inspections.signed", f"被检查单位签字：{inspection.unit_signer_name}")
        else:
            raise ValidationError("未知的签名人。")
    return inspection


def acknowledge(*, actor, inspection: Inspection) -> Inspection:
    """The unit confirms the record in the system (a confirmed acknowledgement instead of a drawn signature)."""
    if not has_perm(actor, "inspections.acknowledge_inspection"):
        raise PermissionDenied("您的角色无权确认检查记录。")
    if actor.enterprise_id != inspection.enterprise_id:
        raise PermissionDenied("只能确认本单位的检查记录。")
    if inspection.unit_signed_at:
        raise ValidationError("被检查单位已签字或确认。")
    with transaction.atomic():
        inspection.unit_acknowledged_by = actor
        inspection.unit_signer_name = actor.get_full_name()
        inspection.unit_signed_at = timezone.now()
        inspection.save(update_fields=["unit_acknowledged_by", "unit_signer_name", "unit_signed_at"])
        record_action(
            inspection, "inspections.acknowledged", f"被检查单位确认：{inspection.unit_signer_name}"
        )
    return inspection


def completion_problems(inspection: Inspection) -> list[str]:
    """Why the record cannot be completed yet (empty: it can)."""
    problems = []
    items = list(inspection.items.all())
    if not items:
        problems.append("检查表没有任何检查项。")
    unanswered = [i.order for i in items if not i.result]
    if unanswered:
        problems.append(f"第 {'、'.join(map(str, unanswered))} 项尚未填写检查结果。")
    for item in items:
        if item.result != ItemResult.FAIL or item.rectified_on_spot:
            continue
        # 安全生产法 第六十五条第一款第三项: what cannot be removed at once is ordered removed, with withdrawal
        # and a temporary stop when safety cannot be guaranteed — the record must say which.
        if not item.follow_up:
            problems.append(f"第 {item.order} 项不符合且未当场整改，须选择处理方式。")
        elif item.follow_up == FollowUp.INTERIM and not item.interim_measures.strip():
            problems.append(f"第 {item.order} 项须填写临时管控措施。")
        elif item.follow_up in (FollowUp.PARTIAL_STOP, FollowUp.TOTAL_STOP) and not item.is_major:
            # 第六十五条第一款第三项: the temporary stop is for a 重大事故隐患 that cannot be removed safely.
            problems.append(f"第 {item.order} 项：责令停产停业只适用于重大事故隐患。")
        if item.is_major and not item.major_clause:
            problems.append(f"第 {item.order} 项判定为重大事故隐患，须注明判定标准条款。")
    inspectors = list(inspection.inspectors.all())
    if not inspectors:
        problems.append("请填写检查人员。")
    if inspection.level in ENFORCEMENT_LEVELS:
        # 行政处罚法 第五十五条: 执法人员应当主动出示执法证件 — the record carries each inspector's certificate.
        missing = [u.get_full_name() for u in inspectors if not u.certificate_no]
        if missing:
            problems.append(f"检查人员 {'、'.join(missing)} 没有执法证号，不能作为县级、市级检查人员。")
    if inspectors:
        why = officers_problem(inspection.level, inspectors, [i.follow_up for i in items])
        # (for an enforcement inspection a missing certificate is reported just above)
        already_said = inspection.level in ENFORCEMENT_LEVELS and why and "执法证件" in why
        if why and not already_said:
            problems.append(why)
    if not inspection.inspector_signature:
        problems.append("检查人员尚未签名。")
    if inspection.level != Level.SELF and not inspection.unit_signed_at:
        problems.append("被检查单位尚未签字或确认。")
    return problems


def complete(*, actor, inspection: Inspection) -> Inspection:
    with transaction.atomic():
        inspection = restrict(Inspection.objects.select_for_update(), actor).get(pk=inspection.pk)
        transition = _transition(INSPECTION_TRANSITIONS, inspection, "complete", actor)
        problems = completion_problems(inspection)
        if problems:
            raise ValidationError(problems)
        inspection.status = transition.target
        inspection.completed_at = timezone.now()
        inspection.save(update_fields=["status", "completed_at"])
        if inspection.task_id:
            InspectionTask.objects.filter(pk=inspection.task_id).update(status=TaskStatus.DONE)
        record_action(inspection, "inspections.completed", "检查完成")
    return inspection


# --- failed items -> hazards ---------------------------------------------------------------------------


def hazard_source(inspection: Inspection, actor) -> str:
    from anjian.hazards.models import Source

    if inspection.level == Level.SELF:
        return Source.SELF_CHECK
    if inspection.level == Level.SUPERVISION:
        return Source.SUPERVISION
    if inspection.kind == Kind.COMPLAINT:
        return Source.PUBLIC_TIP
    if actor.role == Role.GRID:
        return Source.GRID_PATROL
    if inspection.level == Level.TOWN or actor.role == Role.TOWN:
        return Source.TOWN_PATROL
    return Source.DEPARTMENT


def pending_hazard_items(inspection: Inspection):
    return inspection.items.filter(result=ItemResult.FAIL, hazard__isnull=True).order_by("order")


def create_hazards_from_items(*, actor, inspection: Inspection) -> list:
    """One step: every failed item without a hazard becomes a hazard (anjian.hazards.services.register_hazard),
    linked to this inspection and to the item. All or nothing (one transaction)."""
    from .hazard_bridge import register_for_item

    if not has_perm(actor, "inspections.create_hazards"):
        raise PermissionDenied("您的角色无权从检查记录登记隐患。")
    if not restrict(Inspection.objects.filter(pk=inspection.pk), actor).exists():
        raise PermissionDenied("该检查记录不在您的数据范围内。")
    created = []
    with transaction.atomic():
        items = list(pending_hazard_items(inspection).select_for_update())
        if not items:
            raise ValidationError("没有待登记为隐患的不符合项。")
        source = hazard_source(inspection, actor)
        for item in items:
            hazard = register_for_item(actor=actor, inspection=inspection, item=item, source=source)
            item.hazard = hazard
            item.save(update_fields=["hazard"])
            created.append(hazard)
        record_action(inspection, "inspections.hazards_created", f"不符合项登记为隐患 {len(created)} 条")
    return created


def today() -> date:
    return timezone.localdate()
