"""Demo inspections: a quarterly arrangement (季安排), a holiday campaign, a 双随机 draw and ~100 inspection records
with filled checklists, signatures and, for some failed items, hazards registered in one step; then a 重点 plan whose
units are taken from the risk ranking (targeting), each with the reasons it was chosen.

Everything goes through the services (numbers, audit entries, scope checks), deterministic with ctx.rng.
"""

import base64
import io
from datetime import timedelta

from anjian.core.models import Sector
from anjian.core.roles import Role
from anjian.hazards.models import Hazard

from . import services, targeting
from .data import seed_checklists
from .data.targeting import seed_targeting_rules
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    FollowUp,
    Inspection,
    InspectionPlan,
    ItemResult,
    Kind,
    Level,
    PlanKind,
    TargetingRule,
)

INSPECTIONS = 100


def _png() -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(20, 60), (80, 20), (140, 60), (220, 25)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def build(ctx) -> None:
    seed_checklists(ChecklistTemplate, ChecklistItem, Sector)
    # `demo_data --reset` flushes the tables, the seeded scoring rules included: seed them again.
    seed_targeting_rules(TargetingRule)
    office = ctx.users["anweiban"]
    yingji, zhujian, town = ctx.users["yingji"], ctx.users["zhujian"], ctx.users["qingshi"]
    # The department's second officer (core.demo adds them for the enforcement cases; added here otherwise).
    yingji2 = ctx.users.get("yingji2") or ctx.add_user(
        "yingji2",
        "钱执法",
        Role.INSPECTOR,
        yingji.territory,
        yingji.organisation,
        certificate_no="99010220003",
        phone="13900000007",
    )
    # 行政处罚法 第四十二条 (EN-31): county inspections go out in pairs of certified officers — the housing
    # department's second officer, so that its construction-site tasks get two as well.
    zhujian2 = ctx.users.get("zhujian2") or ctx.add_user(
        "zhujian2",
        "孙监督",
        Role.INSPECTOR,
        zhujian.territory,
        zhujian.organisation,
        certificate_no="99010220004",
        phone="13900000008",
    )
    district, today = ctx.district, ctx.today
    quarter = (today.month - 1) // 3 + 1
    quarter_start = today.replace(month=3 * (quarter - 1) + 1, day=1)
    quarter_end = (quarter_start.replace(month=quarter_start.month + 2, day=28) + timedelta(days=4)).replace(
        day=1
    )
    quarter_end -= timedelta(days=1)

    def plan(**values):
        sectors = values.pop("sectors", [])
        inspectors = values.pop("inspectors", [])
        p = InspectionPlan(number=services.new_plan_number(values["year"]), **values)
        p.save()
        p.sectors.set([ctx.sectors[c] for c in sectors])
        p.inspectors.set(inspectors)
        return p

    quarterly = plan(
        name=f"{today.year}年第{quarter}季度危险化学品和建筑施工重点单位检查安排",
        kind=PlanKind.QUARTERLY,
        level=Level.COUNTY,
        year=today.year,
        quarter=quarter,
        start_date=quarter_start,
        end_date=quarter_end,
        territory=district,
        organisation=office.organisation,
        risk_levels=["major", "high"],
        sectors=["hazchem", "construction"],
        inspectors=[yingji, yingji2, zhujian, zhujian2],
        description="红色、橙色风险单位每季度全覆盖检查一次（分级分类监管）。",
        created_by=office,
    )
    services.generate_tasks(actor=office, plan=quarterly)
    services.change_plan_status(actor=office, plan=quarterly, action="publish")

    qingshi = ctx.territories["990102101"]
    holiday = plan(
        name=f"{today.year + 1}年元旦春节节前人员密集场所安全检查",
        kind=PlanKind.HOLIDAY,
        level=Level.TOWN,
        year=today.year,
        start_date=today,
        end_date=today + timedelta(days=30),
        territory=qingshi,
        organisation=town.organisation,
        sectors=["crowded", "gas"],
        inspectors=[town],
        checklist_template=ChecklistTemplate.objects.get(code="crowded-fire"),
        description="节前对辖区商场、餐饮、三合一场所开展全覆盖检查，重点查疏散通道和燃气使用。",
        created_by=town,
    )
    services.generate_tasks(actor=town, plan=holiday)
    services.change_plan_status(actor=town, plan=holiday, action="publish")

    random_plan = plan(
        name=f"{today.year}年危险化学品经营单位“双随机、一公开”抽查",
        kind=PlanKind.RANDOM,
        level=Level.COUNTY,
        year=today.year,
        start_date=today - timedelta(days=20),
        end_date=today + timedelta(days=25),
        territory=district,
        organisation=yingji.organisation,
        sectors=["hazchem"],
        inspectors=[yingji, yingji2],
        random_count=12,
        inspectors_per_task=2,
        created_by=yingji,
    )
    services.draw_random(actor=yingji, plan=random_plan, seed=f"{ctx.rng.getrandbits(48):012x}")
    services.change_plan_status(actor=yingji, plan=random_plan, action="publish")
    random_plan.refresh_from_db()

    signature = _png()
    count = hazards = 0
    # Tasks of the three plans first (as their inspectors), then ad-hoc and self checks.
    tasks = list(quarterly.tasks.select_related("enterprise", "sector", "inspector")[:45])
    tasks += list(random_plan.tasks.select_related("enterprise", "sector", "inspector")[:8])
    tasks += list(holiday.tasks.select_related("enterprise", "sector", "inspector")[:20])
    for task in tasks:
        if task.inspector is None:
            continue
        inspection = services.start_from_task(actor=task.inspector, task=task)
        hazards += _fill(ctx, inspection, task.inspector, signature)
        count += 1
    hazchem_units = [e for e in ctx.enterprise_list if any(s.code == "hazchem" for s in e.sectors.all())]
    while count < INSPECTIONS - 5 and hazchem_units:
        unit = ctx.rng.choice(hazchem_units)
        inspection = services.create_inspection(
            actor=yingji,
            inspection=Inspection(
                level=Level.COUNTY,
                kind=ctx.rng.choice([Kind.ROUTINE, Kind.ROUTINE, Kind.COMPLAINT]),
                complaint_reference=f"JB{today.year}{count:04d}",
                enterprise=unit,
                sector=ctx.sectors["hazchem"],
                checklist_template=ChecklistTemplate.objects.get(code="hazchem-general"),
                inspected_on=today - timedelta(days=ctx.rng.randint(1, 80)),
                location=unit.address,
            ),
            inspectors=[yingji, yingji2],
        )
        hazards += _fill(ctx, inspection, yingji, signature)
        count += 1
    unit_a = ctx.enterprises["a"]
    for weeks in range(5):  # 企业自查 by enterprise A, weekly
        inspection = services.create_inspection(
            actor=ctx.users["qiye_a"],
            inspection=Inspection(
                level=Level.SELF,
                kind=Kind.ROUTINE,
                enterprise=unit_a,
                checklist_template=ChecklistTemplate.objects.get(code="hazchem-general"),
                inspected_on=today - timedelta(days=7 * weeks + 1),
                location="全厂",
            ),
            inspectors=[ctx.users["qiye_a"]],
        )
        hazards += _fill(ctx, inspection, ctx.users["qiye_a"], signature)
        count += 1
    # 分级分类监管: next quarter's plan takes its 重点 units from the risk ranking (colour, major hazard sources,
    # the dishonesty list, open hazards, time since the last inspection against the frequency owed).
    priority_plan = plan(
        name=f"{today.year}年重点单位执法检查（按风险排序选取）",
        kind=PlanKind.SPECIAL,
        level=Level.COUNTY,
        year=today.year,
        start_date=today,
        end_date=today + timedelta(days=45),
        territory=district,
        organisation=office.organisation,
        inspectors=[yingji, yingji2, zhujian, zhujian2],
        description="按重点检查对象排序选取得分最高的单位，逐家检查；排序理由记录在任务上。",
        created_by=office,
    )
    chosen = targeting.select_priority_units(actor=office, plan=priority_plan, count=10)
    ctx.log.append(
        f"检查计划 4 个（季安排、节前检查、双随机 种子 {random_plan.random_seed}、风险排序重点单位 {len(chosen)} 家），"
        f"检查记录 {count} 条，由不符合项登记隐患 {hazards} 条"
    )


def _fill(ctx, inspection, actor, signature) -> int:
    """Answer every item (mostly pass), sign, complete most records, register hazards for some. Returns hazards."""
    rng = ctx.rng
    items = list(inspection.items.all())
    failed = 0
    for item in items:
        roll = rng.random()
        if roll < 0.1:
            item.result = ItemResult.FAIL
            item.note = f"现场发现：{item.text[:20]}不到位"
            failed += 1
            if rng.random() < 0.4:
                item.rectified_on_spot = True
            else:
                item.follow_up = rng.choice([FollowUp.DEADLINE, FollowUp.DEADLINE, FollowUp.INTERIM])
                item.interim_measures = (
                    "设置警戒区域，暂停相关作业" if item.follow_up == FollowUp.INTERIM else ""
                )
                item.rectify_deadline = inspection.inspected_on + timedelta(days=rng.choice([7, 15, 30]))
        elif roll < 0.15:
            item.result = ItemResult.NA
        else:
            item.result = ItemResult.PASS
        item.save()
    if rng.random() < 0.12:  # some records are still being filled in
        return 0
    services.sign(actor=actor, inspection=inspection, who="inspector", data_url=signature)
    if inspection.level != Level.SELF:
        services.sign(
            actor=actor, inspection=inspection, who="unit", data_url=signature, signer_name="单位负责人"
        )
    services.complete(actor=actor, inspection=inspection)
    if failed and rng.random() < 0.7:
        before = Hazard.objects.count()
        services.create_hazards_from_items(actor=actor, inspection=inspection)
        return Hazard.objects.count() - before
    return 0
