"""Demo hazards: a few hundred across every state, with overdue, major, stop orders and 挂牌督办 — all made through
the services, so numbers, history and rules are the real ones.

An overdue hazard is made in the past (core.demo.clock_at): found, registered and given its plan weeks ago, with
a deadline that was still ahead then and has passed since — so its history says the deadline it shows.

Some major hazards are registered as an inspector does on the page: the description is typed, the clause
suggestion (criteria.suggest) offers clauses, the inspector takes the best one, and the suggestion record is
linked to the hazard. An old ledger is imported with major hazards lacking a clause (待补充判定依据), left for the
department to pick one on the hazard's page."""

from contextlib import nullcontext
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.core.context import acting_as
from anjian.core.demo import clock_at
from anjian.core.models import User
from anjian.core.roles import Role

from . import services
from .criteria import records
from .criteria.suggest import suggest
from .models import Hazard, MajorHazardCriterion, Source, Status

COUNT = 300
DESCRIPTIONS = [
    ("储罐区静电接地线断开", "防雷防静电", "thing"),
    ("可燃气体检测报警器未定期校验", "安全设施", "thing"),
    ("消防通道被货物堵塞", "消防安全", "thing"),
    ("特种作业人员证书过期仍上岗", "人员资质", "act"),
    ("有限空间作业未执行先通风、再检测、后作业", "有限空间", "act"),
    ("临时用电线路私拉乱接", "用电安全", "thing"),
    ("安全生产责任制未覆盖全部岗位", "安全管理", "management"),
    ("应急预案未按规定演练", "应急管理", "management"),
    ("脚手架连墙件缺失", "高处作业", "thing"),
    ("危险化学品仓库超量储存", "危化品储存", "thing"),
    ("员工未佩戴安全帽进入作业区", "劳动防护", "act"),
    ("隐患排查台账记录不全", "安全管理", "management"),
]
# (final state, weight)
PLAN = [
    ("registered", 12),
    ("plan_set", 10),
    ("rectifying", 25),
    ("reported", 10),
    ("rejected", 5),
    ("accepted", 6),
    ("closed", 45),
    ("on_spot", 20),
    ("voided", 2),
]


def _photo(after: bool = False):
    """A small drawn picture standing in for a site photo: grey (found) or green (rectified), so the
    before/after viewer has something real to show."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), (200, 228, 205) if after else (226, 222, 214))
    draw = ImageDraw.Draw(image)
    colour = (40, 140, 70) if after else (190, 60, 40)
    draw.rectangle((180, 120, 460, 360), outline=colour, width=12)
    if after:
        draw.line((230, 250, 300, 320, 420, 170), fill=colour, width=18)
    else:
        draw.line((240, 180, 400, 300), fill=colour, width=18)
        draw.line((400, 180, 240, 300), fill=colour, width=18)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    name = "整改后照片.jpg" if after else "现场照片.jpg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def build(ctx) -> None:
    from anjian.core.models import Sector
    from anjian.registry.models import Enterprise

    from .data import seed_criteria

    # `demo_data --reset` flushes the tables, the catalogue's seeded clauses included: seed them again.
    seed_criteria(Sector, MajorHazardCriterion)

    rng = ctx.rng
    enterprises = list(getattr(ctx, "enterprise_list", None) or Enterprise.objects.order_by("pk"))
    if not enterprises:
        ctx.log.append("隐患：没有企业，跳过")
        return
    users = ctx.users
    office = users["anweiban"]
    inspectors = [u for u in users.values() if u.role == Role.INSPECTOR]
    towns = [u for u in users.values() if u.role == Role.TOWN]
    criteria = {}
    for c in MajorHazardCriterion.objects.filter(is_active=True):
        criteria.setdefault(c.sector_id, []).append(c)
    enterprise_users = {u.enterprise_id: u for u in User.objects.filter(role=Role.ENTERPRISE, is_active=True)}
    states = [s for s, w in PLAN for _ in range(w)]

    made = 0
    open_made = 0
    for index in range(COUNT):
        enterprise = (
            enterprises[0]
            if index % 10 == 0
            else (enterprises[1] if index % 10 == 1 else rng.choice(enterprises))
        )
        sectors = list(enterprise.sectors.all())
        sector = rng.choice(sectors) if sectors else None
        registrar = _registrar(enterprise, sector, inspectors, towns, office)
        # Who rectifies and reports: the unit's own safety manager, else its town staff or the registering
        # inspector (entering a paper report); the county office re-inspects, so it never reports.
        reporter = enterprise_users.get(enterprise.pk) or _town_of(enterprise, towns)
        if reporter is None and registrar != office:
            reporter = registrar
        state = rng.choice(states)
        major = sector is not None and sector.pk in criteria and rng.random() < 0.12 and state != "on_spot"
        text, category, nature = rng.choice(DESCRIPTIONS)
        found_on = ctx.today - timedelta(days=rng.randint(0, 200))
        deadline = None
        if state in ("plan_set", "rectifying") and reporter is not None:
            open_made += 1
            if open_made % 3 == 1:  # one open hazard in three is overdue
                deadline = ctx.today - timedelta(days=rng.randint(1, 40))
                found_on = deadline - timedelta(days=rng.randint(5, 60))
        # Registered at 9:00 on the day it was found (today's finds: now); an overdue one lives in the past.
        registered = _at(found_on, 9) if deadline else None
        with _clock(registered), acting_as(user=registrar, label=registrar.get_full_name()):
            hazard = services.register_hazard(
                actor=registrar,
                enterprise=enterprise,
                description=text,
                grade="major" if major else "general",
                sector=sector,
                location=rng.choice(["一号车间", "罐区", "仓库", "配电房", "施工现场", "办公楼"]),
                category=category,
                nature=nature,
                source=Source.DEPARTMENT if registrar.role == Role.INSPECTOR else Source.TOWN_PATROL,
                major_criterion=rng.choice(criteria[sector.pk]) if major else None,
                found_on=found_on,
                rectified_on_spot=state == "on_spot",
                stop_order="partial" if major and rng.random() < 0.4 else "none",
                photos=[_photo()],
            )
        with _clock(registered and registered + timedelta(hours=2)):
            _walk(ctx, hazard, state, registrar, reporter, office, major, deadline)
        made += 1

    suggested = _suggested_majors(ctx, enterprises, inspectors, towns, office)
    pending = _pending_basis_ledger(ctx, enterprises, office)
    # The daily scan flags the open hazards whose deadline has passed.
    services.refresh_overdue(ctx.today)
    _list_some(ctx, office, towns)
    direct = _direct_reports(ctx, inspectors)
    ctx.log.append(
        f"隐患 {made + suggested + pending} 条（逾期 {Hazard.objects.filter(is_overdue=True).count()} 条，"
        f"重大 {Hazard.objects.filter(grade='major').count()} 条，"
        f"挂牌督办 {Hazard.objects.exclude(supervision_level=0).count()} 条；"
        f"按推荐条款判定 {suggested} 条，历史台账导入待补充判定依据 {pending} 条；"
        f"安全生产管理人员直接报告 {direct} 件）"
    )


def _direct_reports(ctx, inspectors) -> int:
    """HZ-20 (安全生产法 第四十六条第二款): enterprise A's safety manager reports two major hazards the unit left
    alone — one the department has dealt with, one waiting on its to-do list."""
    from . import direct_reports
    from .models import DirectReport

    manager = ctx.users.get("qiye_a")
    if manager is None or manager.enterprise_id is None:
        return 0
    with acting_as(user=manager):
        handled = direct_reports.submit(
            DirectReport(
                description="液氨储罐区可燃气体报警仪已停用两周，生产照常进行",
                location="液氨储罐区",
                reported_to_unit_on=ctx.today - timedelta(days=10),
                unit_response="已书面报告分管副总，答复“等检修期再说”，未采取措施",
            ),
            manager,
        )
        waiting = direct_reports.submit(
            DirectReport(
                description="氯化釜紧急冷却系统旁路运行，联锁未投用",
                location="一号车间",
                reported_to_unit_on=ctx.today - timedelta(days=4),
                unit_response="已口头报告总经理两次，未安排整改",
            ),
            manager,
        )
    department = [u for u in inspectors if u.organisation_id == handled.supervising_org_id]
    handler = department[0] if department else ctx.users["anweiban"]
    with acting_as(user=handler):
        direct_reports.handle(
            handled,
            handler,
            outcome="not_major",
            note="现场核查：报警仪已恢复运行并校验合格，不构成重大事故隐患；已责令单位加强报警仪日常维护",
        )
    return 2 if waiting else 1


# (sector code, description as an inspector types it, location)
SUGGESTED_MAJORS = [
    ("hazchem", "2#罐区为二级重大危险源，进出料管线未设紧急切断阀", "罐区"),
    ("hazchem", "氯化釜温度压力未与进料切断阀联锁，DCS未投用", "一号车间"),
    ("construction", "高支模工程施工方案未按规定组织专家论证", "施工现场"),
    ("dust", "布袋除尘器未设置泄爆装置", "除尘间"),
    ("gas", "燃气调压站未设置可燃气体检测报警", "调压站"),
]


def _suggested_majors(ctx, enterprises, inspectors, towns, office) -> int:
    """Register major hazards the way the page does: suggestion shown (recorded), best clause taken (采用),
    hazard registered citing it, suggestion record linked to the hazard."""
    made = 0
    for code, text, location in SUGGESTED_MAJORS:
        sector = ctx.sectors.get(code)
        unit = next((e for e in enterprises if any(s.code == code for s in e.sectors.all())), None)
        if sector is None or unit is None:
            continue
        registrar = _registrar(unit, sector, inspectors, towns, office)
        found = suggest(text, sector)
        log = records.record_shown(registrar, text, sector, found)
        if log is None:
            continue
        clause = MajorHazardCriterion.objects.get(pk=found[0]["id"])
        # 采用 (views_criteria.SuggestChooseView): the record notes the clause taken.
        log.chosen, log.chosen_at = clause, timezone.now()
        log.save(update_fields=["chosen", "chosen_at"])
        with acting_as(user=registrar, label=registrar.get_full_name()):
            hazard = services.register_hazard(
                actor=registrar,
                enterprise=unit,
                description=text,
                grade="major",
                sector=sector,
                location=location,
                category="重大事故隐患",
                nature="thing",
                source=Source.DEPARTMENT if registrar.role == Role.INSPECTOR else Source.TOWN_PATROL,
                major_criterion=clause,
                found_on=ctx.today,
                photos=[_photo()],
            )
        records.link_to_hazard(registrar, log.pk, hazard)
        made += 1
    return made


def _pending_basis_ledger(ctx, enterprises, office) -> int:
    """The office imports last year's paper ledger (hazards import, core.importing): two rows graded 重大 name no
    clause, so they arrive flagged 待补充判定依据 for the department to pick the clause."""
    import io

    from openpyxl import Workbook

    from anjian.core.importing import get_importer

    # Units of the one sector: the imported rows then carry it, and its department sees them on its to-do list.
    units = [e for e in enterprises if [s.code for s in e.sectors.all()] == ["hazchem"]][:3]
    if not units:
        return 0
    year = ctx.today.year - 1
    rows = [
        [units[-1].name, "储罐区未设置防火堤，物料泄漏无法围堵", "重大隐患", f"{year}.11.20", "整改中"],
        [units[0].name, "反应釜紧急停车系统未投用，靠人工操作", "重大隐患", f"{year}.12.03", "未整改"],
        [units[0].name, "配电房门口堆放杂物", "一般隐患", f"{year}.12.03", "已整改"],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([f"{year}年隐患排查治理台账"])
    sheet.append(["单位", "存在问题", "级别", "检查时间", "整改情况"])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = f"{year}年隐患台账.xlsx"
    with acting_as(user=office, label=office.get_full_name()):
        result = get_importer("hazards")(office).commit(data)
    if result["errors"]:
        ctx.log.append(f"隐患：历史台账导入失败 {result}")
        return 0
    return Hazard.objects.filter(major_basis_pending=True).count()


def _registrar(enterprise, sector, inspectors, towns, office):
    for inspector in inspectors:
        if sector is not None and inspector.organisation.sectors.filter(pk=sector.pk).exists():
            return inspector
    return _town_of(enterprise, towns) or office


def _town_of(enterprise, towns):
    return next((t for t in towns if enterprise.territory_path.startswith(t.territory_path)), None)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _clock(moment):
    """The past moment to run the services at, or the real clock (None)."""
    return clock_at(moment) if moment is not None else nullcontext()


def _walk(ctx, hazard, state, registrar, reporter, office, major, deadline=None):
    if state in ("registered", "on_spot") or reporter is None:
        return
    if state == "voided":
        with acting_as(user=office):
            services.void_hazard(hazard, actor=office, reason="与已登记隐患重复")
        return
    deadline = deadline or ctx.today + timedelta(days=ctx.rng.randint(5, 60))
    with acting_as(user=reporter):
        services.set_plan(
            hazard,
            actor=reporter,
            measures="按规范整改并组织复查",
            responsible_person="安全负责人",
            deadline=deadline,
            funds="20000" if major else "2000",
            emergency_plan="整改期间设置警戒区，限产并专人值守" if major else "",
        )
        if state == "plan_set":
            return
        services.start_rectification(hazard, actor=reporter)
        if state == "rectifying":
            return
        services.report_rectification(
            hazard, actor=reporter, note="已按方案整改完毕", money_spent="1800", photos=[_photo(after=True)]
        )
    if state == "reported":
        return
    with acting_as(user=office):
        if state == "rejected":
            services.reject_rectification(hazard, actor=office, reason="整改不彻底，请补充检测报告")
            return
        services.accept_rectification(hazard, actor=office, opinion="经复查，整改到位")
        if state == "accepted":
            return
        hazard.refresh_from_db()
        if hazard.stop_order != "none":
            services.approve_resumption(hazard, actor=office, note="经现场审查，同意恢复生产")
        services.close_hazard(hazard, actor=office)


def _list_some(ctx, office, towns):
    """挂牌督办: the county office lists open major hazards; towns list some of their overdue general hazards."""
    majors = Hazard.objects.filter(
        grade="major", status__in=[Status.REGISTERED, Status.PLAN_SET, Status.RECTIFYING]
    )
    for hazard in majors.order_by("pk")[:6]:
        with acting_as(user=office):
            services.list_supervision(
                hazard, actor=office, deadline=ctx.today + timedelta(days=90), reason="重大事故隐患"
            )
    for town in towns:
        overdue = Hazard.objects.filter(
            is_overdue=True,
            grade="general",
            supervision_level=0,
            territory_path__startswith=town.territory_path,
        )
        for hazard in overdue.order_by("pk")[:2]:
            with acting_as(user=town):
                services.list_supervision(
                    hazard, actor=town, deadline=ctx.today + timedelta(days=30), reason="逾期未整改"
                )
