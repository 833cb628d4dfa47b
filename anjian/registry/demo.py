"""Demo enterprises. The first two are the fixed cast used in the README (enterprise users qiye_a, qiye_b).

Then ~2,000 realistic units across sectors and towns, with risk points, sector registers, a few
serious-dishonesty listings and 关闭取缔 records. Deterministic with ctx.rng. Every row is saved one by one, as
the import saves its rows (core.importing), and status and risk changes go through the services: each record's
history (audit trail) starts with its creation and replays to its current state.
Later apps find them in `ctx.enterprises` ("a", "b") and `ctx.enterprise_list` (all, "a" and "b" first).
"""

from datetime import date, timedelta
from decimal import Decimal

from anjian.core.audit import record_action
from anjian.core.context import acting_as
from anjian.core.roles import Role

from . import rules, services
from .models import (
    BlacklistEntry,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    MajorHazardSubstance,
    RiskPoint,
    SpecialEquipment,
)

DEMO_UNITS = 2000
CENTRE = (Decimal("113.260000"), Decimal("23.130000"))  # fictional district centre

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌海燕波辉鹏玲飞云峰"
PLACES = "青山柳河白云松林东湖西岭城关青石龙井石桥上塘茶山云峰大岭河口湖滨文昌桂园新村"

# (key, weight, sector codes, GB/T 4754 code, name patterns, scale weights)
ARCHETYPES = [
    (
        "hazchem_store",
        8,
        ["hazchem", "confinedSpace"],
        "5166",
        ["{p}{w}化工贸易有限公司", "{p}{w}危险品仓储有限公司"],
    ),
    (
        "hazchem_plant",
        4,
        ["hazchem", "confinedSpace", "dust"],
        "2614",
        ["{p}{w}化工有限公司", "{p}{w}精细化工厂"],
    ),
    ("gas_station", 4, ["hazchem"], "5265", ["中石化{p}{w}加油站", "{p}{w}加油加气站"]),
    ("fireworks", 3, ["fireworks"], "5239", ["{p}{w}烟花爆竹零售点", "{p}{w}烟花爆竹经营部"]),
    ("mine", 2, ["nonCoalMine", "tailings"], "1019", ["{p}{w}石场", "{p}{w}矿业有限公司"]),
    (
        "metal",
        6,
        ["metallurgy", "dust", "confinedSpace"],
        "3311",
        ["{p}{w}五金制品有限公司", "{p}{w}铝业有限公司"],
    ),
    ("woodwork", 5, ["dust"], "2110", ["{p}{w}家具厂", "{p}{w}木业有限公司"]),
    ("cold_store", 2, ["ammonia", "confinedSpace"], "5951", ["{p}{w}冷链物流有限公司", "{p}{w}冷库"]),
    ("construction", 9, ["construction"], "4700", ["{p}{w}建筑工程有限公司", "{p}{w}建设集团有限公司"]),
    ("property", 9, ["specialEquipment"], "7020", ["{p}{w}物业服务有限公司", "{p}{w}小区物业管理处"]),
    ("transport", 4, ["roadTransport"], "5430", ["{p}{w}客运有限公司", "{p}{w}危货运输有限公司"]),
    ("supermarket", 8, ["crowded", "commerce"], "5211", ["{p}{w}超市", "{p}{w}购物广场"]),
    ("restaurant", 10, ["crowded", "gas"], "6210", ["{p}{w}酒家", "{p}{w}餐厅"]),
    ("karaoke", 3, ["crowded"], "9011", ["{p}{w}KTV", "{p}{w}娱乐城"]),
    ("hotel", 4, ["crowded"], "6110", ["{p}{w}宾馆", "{p}{w}酒店"]),
    ("three_in_one", 6, ["crowded", "fire"], "5299", ["{p}{w}综合商店（三合一）", "{p}{w}小作坊"]),
    ("school", 3, ["school", "crowded"], "8331", ["{p}{w}小学", "{p}{w}中学", "{p}{w}幼儿园"]),
    ("hospital", 2, ["hospital", "crowded"], "8411", ["{p}{w}卫生院", "{p}{w}医院"]),
    ("tourism", 2, ["tourism", "forestFire", "crowded"], "7850", ["{p}{w}风景区", "{p}{w}森林公园"]),
    ("forest_farm", 2, ["forestFire"], "0220", ["{p}{w}林场", "{p}{w}林业专业合作社"]),
    ("boat", 1, ["waterTransport"], "5520", ["{p}{w}渡口", "{p}{w}游船有限公司"]),
    ("farm", 3, ["agriculture"], "0190", ["{p}{w}农机专业合作社", "{p}{w}渔业有限公司"]),
]
WORDS = [
    "顺达",
    "宏图",
    "鑫源",
    "华兴",
    "恒通",
    "金盛",
    "永安",
    "瑞丰",
    "联发",
    "广厦",
    "兴旺",
    "嘉禾",
    "新天",
    "富康",
    "长城",
    "利民",
    "众诚",
    "天成",
    "盛世",
    "佳和",
]
SCALES = [("above", 2), ("below", 5), ("small", 8)]

CHEMICALS = [
    ("汽油", "86290-81-5", rules.HazardClass.FLAMMABLE_GAS, Decimal("200")),
    ("液氨", "7664-41-7", rules.HazardClass.TOXIC_GAS, Decimal("10")),
    ("液氯", "7782-50-5", rules.HazardClass.TOXIC_GAS, Decimal("5")),
    ("甲醇", "67-56-1", rules.HazardClass.OTHER, Decimal("500")),
    ("液化石油气", "68476-85-7", rules.HazardClass.FLAMMABLE_GAS, Decimal("50")),
    ("硫酸", "7664-93-9", rules.HazardClass.OTHER, Decimal("1000")),
    ("硫化氢", "7783-06-4", rules.HazardClass.TOXIC_GAS, Decimal("5")),
]
RISK_POINTS = {
    "hazchem_store": ["危化品仓库", "装卸作业区", "储罐区"],
    "hazchem_plant": ["反应釜区", "储罐区", "污水处理池（有限空间）", "配电房"],
    "gas_station": ["卸油作业", "加油区", "油罐区"],
    "metal": ["抛光打磨车间（粉尘）", "冲压车间", "熔炼炉"],
    "woodwork": ["砂光车间（木粉尘）", "除尘器", "喷漆房"],
    "cold_store": ["氨制冷机房", "冷库库房"],
    "construction": ["深基坑", "塔式起重机", "脚手架", "高处作业"],
    "restaurant": ["燃气厨房", "疏散通道"],
    "supermarket": ["疏散通道", "电气线路"],
    "mine": ["爆破作业", "边坡", "尾矿库坝体"],
}
# Mostly 一般/低, some 较大, few 重大 — the usual shape of a district's four-colour map.
LEC_CHOICES = [
    (1, 6, 7),
    (3, 3, 7),
    (1, 3, 3),
    (3, 6, 3),
    (1, 6, 15),
    (3, 6, 7),
    (1, 2, 7),
    (0.5, 6, 7),
    (6, 6, 7),
    (3, 6, 15),
    (6, 6, 15),
]
LEC_WEIGHTS = [14, 12, 12, 10, 10, 10, 8, 8, 6, 4, 1]


def demo_credit_code(ctx, serial: int) -> str:
    """A well-formed fictional code: 91 (工商·企业) + district code + a 9-character body + check character."""
    body = f"{serial:08d}"
    first17 = f"91{ctx.district.code}{body}{org_code_check_char(body)}"
    return first17 + credit_code_check_char(first17)


credit_code_check_char = rules.credit_code_check_char
org_code_check_char = rules.org_code_check_char


def _person(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng) -> str:
    return f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def build(ctx) -> None:
    qingshi_village = ctx.territories["990102101201"]
    liuhe_village = ctx.territories["990102102201"]
    a = Enterprise.objects.create(
        name="青山宏达化工有限公司",
        credit_code=demo_credit_code(ctx, 1),
        territory=qingshi_village,
        address="青石镇工业路8号",
        legal_representative="黄宏达",
        principal_name="黄宏达",
        principal_phone="13900000021",
        safety_manager_name="黄安全",
        safety_manager_phone="13900000011",
        economic_section="C",
        industry_code="2614",
        scale="above",
        employees=186,
        longitude=Decimal("113.301200"),
        latitude=Decimal("23.151800"),
    )
    a.sectors.set([ctx.sectors["hazchem"], ctx.sectors["confinedSpace"]])
    b = Enterprise.objects.create(
        name="柳河建工集团有限公司",
        credit_code=demo_credit_code(ctx, 2),
        territory=liuhe_village,
        address="柳河镇河口路16号",
        legal_representative="林建国",
        principal_name="林建国",
        principal_phone="13900000022",
        safety_manager_name="林安全",
        safety_manager_phone="13900000012",
        economic_section="E",
        industry_code="4700",
        scale="above",
        employees=420,
    )
    b.sectors.set([ctx.sectors["construction"]])
    ctx.add_user(
        "qiye_a", "黄安全", Role.ENTERPRISE, territory=a.territory, enterprise=a, phone="13900000011"
    )
    ctx.add_user(
        "qiye_b", "林安全", Role.ENTERPRISE, territory=b.territory, enterprise=b, phone="13900000012"
    )
    ctx.enterprises = {"a": a, "b": b}

    units, kinds = _bulk_units(ctx)
    ctx.enterprise_list = [a, b, *units]
    kinds = {a.pk: "hazchem_plant", b.pk: "construction", **kinds}
    _risk_points(ctx, ctx.enterprise_list, kinds)
    _registers(ctx, ctx.enterprise_list, kinds)
    _credit(ctx, units, kinds)
    ctx.log.append(f"生产经营单位 {len(ctx.enterprise_list)} 家")


def _bulk_units(ctx):
    rng = ctx.rng
    villages = [t for t in ctx.territories.values() if t.depth == 4]
    grids = ctx.grids
    weights = [arch[1] for arch in ARCHETYPES]
    units, kinds_by_code = [], {}
    used_names = set()
    for serial in range(3, DEMO_UNITS + 1):
        key, _w, sector_codes, industry, patterns = rng.choices(ARCHETYPES, weights)[0]
        territory = rng.choice(grids) if rng.random() < 0.3 else rng.choice(villages)
        for _attempt in range(20):
            name = rng.choice(patterns).format(p=rng.choice(PLACES) + rng.choice(PLACES), w=rng.choice(WORDS))
            if name not in used_names:
                break
        else:
            name = f"{name}（{serial}）"
        used_names.add(name)
        scale = rng.choices([s for s, _ in SCALES], [w for _, w in SCALES])[0]
        employees = {
            "above": rng.randint(100, 800),
            "below": rng.randint(20, 120),
            "small": rng.randint(2, 30),
        }
        principal = _person(rng)
        status = rng.choices(["operating", "suspended", "deregistered"], [94, 5, 1])[0]
        code = demo_credit_code(ctx, serial)
        units.append(
            Enterprise(
                name=name,
                credit_code=code,
                territory=territory,
                territory_path=territory.path,
                status=status,
                address=f"{territory.name}{rng.choice(PLACES)}路{rng.randint(1, 200)}号",
                legal_representative=principal,
                principal_name=principal,
                principal_phone=_phone(rng),
                safety_manager_name=_person(rng),
                safety_manager_phone=_phone(rng),
                longitude=CENTRE[0] + Decimal(rng.randint(-60000, 60000)) / 1000000,
                latitude=CENTRE[1] + Decimal(rng.randint(-50000, 50000)) / 1000000,
                economic_section=rules.gb4754_section(industry),
                industry_code=industry,
                scale=scale,
                employees=employees[scale],
            )
        )
        kinds_by_code[code] = (key, sector_codes)
    kinds = {}
    for unit in units:
        unit.save()
        key, sector_codes = kinds_by_code[unit.credit_code]
        kinds[unit.pk] = key
        unit.sectors.set([ctx.sectors[c] for c in sector_codes])
    return units, kinds


def _risk_points(ctx, units, kinds):
    rng = ctx.rng
    points, level_by_unit = [], {}
    for unit in units:
        names = RISK_POINTS.get(kinds[unit.pk])
        if not names or (unit.pk not in (ctx.enterprises["a"].pk,) and rng.random() < 0.25):
            continue
        for name in rng.sample(names, k=min(len(names), rng.randint(1, 3))):
            if rng.random() < 0.7:
                lec = rng.choices(LEC_CHOICES, LEC_WEIGHTS)[0]
                score = rules.lec_score(*(Decimal(str(v)) for v in lec))
                level = rules.lec_level(score)
                extra = {"method": "lec", "lec_l": Decimal(str(lec[0])), "lec_e": lec[1], "lec_c": lec[2]}
            else:
                ls = (rng.choices(range(1, 6), [30, 30, 20, 14, 6])[0], rng.randint(1, 5))
                score = Decimal(rules.ls_score(*ls))
                level = rules.ls_level(int(score))
                extra = {"method": "ls", "ls_l": ls[0], "ls_s": ls[1]}
            points.append(
                RiskPoint(
                    enterprise=unit,
                    name=name,
                    location=name[:4],
                    control_measures="落实岗位操作规程；班前检查；设置警示标志和风险告知卡。",
                    control_owner=_person(rng),
                    score=score,
                    level=level.value,
                    assessed_on=ctx.today - timedelta(days=rng.randint(10, 400)),
                    **extra,
                )
            )
            level_by_unit.setdefault(unit.pk, []).append(level)
    _save_all(points)
    for unit in units:
        if unit.pk in level_by_unit:
            services.recompute_risk_level(unit)  # the unit's colour, as after a risk point is saved


def _registers(ctx, units, kinds):
    rng = ctx.rng
    today = ctx.today
    chemicals, licences, projects, equipment, checkpoints = [], [], [], [], []
    season_year = today.year if today.month >= 10 else today.year - 1
    hazard_sources = []
    for unit in units:
        kind = kinds[unit.pk]
        if kind in ("hazchem_store", "hazchem_plant", "gas_station"):
            for name, cas, _cls, _threshold in rng.sample(CHEMICALS, k=rng.randint(1, 3)):
                chemicals.append(
                    HazardousChemical(
                        enterprise=unit,
                        name=name,
                        cas_no=cas,
                        activity=rng.choice(["storage", "business", "use", "production"]),
                        max_quantity_t=Decimal(rng.randint(1, 300)),
                        storage_place=rng.choice(["甲类仓库", "储罐区", "地下油罐"]),
                        highly_toxic=name == "液氯",
                    )
                )
            licence_kind = "hazchem_business" if kind != "hazchem_plant" else "safety"
            licences.append(_licence(rng, unit, licence_kind, today))
            if kind == "hazchem_plant" or (kind == "hazchem_store" and rng.random() < 0.2):
                hazard_sources.append(unit)
        elif kind == "fireworks":
            licences.append(_licence(rng, unit, "fireworks", today))
        elif kind == "mine":
            licences.append(_licence(rng, unit, "safety", today))
        elif kind == "construction":
            licences.append(_licence(rng, unit, "construction", today))
            for n in range(rng.randint(1, 3)):
                start = today - timedelta(days=rng.randint(30, 700))
                done = rng.random() < 0.3
                projects.append(
                    ConstructionProject(
                        enterprise=unit,
                        name=f"{rng.choice(PLACES)}{rng.choice(['花园', '学校', '安置房', '厂房', '道路'])}{n + 1}期工程",
                        builder=f"{rng.choice(PLACES)}{rng.choice(WORDS)}置业有限公司",
                        permit_no=f"440102{start:%Y%m%d}{rng.randint(100, 999)}",
                        project_manager=_person(rng),
                        project_manager_phone=_phone(rng),
                        started_on=start,
                        planned_completion_on=start + timedelta(days=rng.randint(300, 900)),
                        completed_on=start + timedelta(days=rng.randint(200, 300)) if done else None,
                        has_deep_excavation=rng.random() < 0.3,
                    )
                )
        elif kind == "property":
            # Elevators in old residential areas (老旧小区电梯): some overdue for their periodic inspection.
            for n in range(rng.randint(2, 6)):
                last = today - timedelta(days=rng.randint(200, 420))
                equipment.append(
                    SpecialEquipment(
                        enterprise=unit,
                        kind="elevator",
                        registration_no=f"梯11{unit.territory.code[-4:]}{unit.pk:05d}{n:02d}",
                        location=f"{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元",
                        maintenance_unit=f"{rng.choice(PLACES)}电梯维保有限公司",
                        installed_on=today - timedelta(days=rng.randint(3000, 9000)),
                        last_inspection_on=last,
                        next_inspection_on=last + timedelta(days=365),
                    )
                )
        elif kind in ("tourism", "forest_farm"):
            checkpoints.append(
                ForestCheckpoint(
                    name=f"{unit.name[:4]}森林防火检查卡点",
                    territory=unit.territory,
                    territory_path=unit.territory_path,
                    enterprise=unit,
                    rangers=f"{_person(rng)} {_phone(rng)}、{_person(rng)} {_phone(rng)}",
                    phone=_phone(rng),
                    season_start=date(season_year, 10, 1),  # 防火期 1 October – 30 April
                    season_end=date(season_year + 1, 4, 30),
                )
            )
        if kind in ("hazchem_plant", "mine", "construction", "metal") and rng.random() < 0.5:
            licences.append(_licence(rng, unit, "principal_cert", today, holder=unit.principal_name))
    for rows in (chemicals, licences, projects, equipment, checkpoints):
        _save_all(rows)
    forest = ctx.sectors["forestFire"]
    for checkpoint in checkpoints:
        checkpoint.sectors.set([forest])
    _major_hazards(ctx, hazard_sources)


def _save_all(objects) -> None:
    """Save rows one by one, as a user's form or an import does: the audit trail records each creation."""
    for obj in objects:
        obj.save()


def _licence(rng, unit, kind, today, holder=""):
    # A few expire soon or have expired, so the warnings have something to show.
    valid_until = today + timedelta(days=rng.choice([-20, 10, 25] + [rng.randint(60, 1000)] * 12))
    return Licence(
        enterprise=unit,
        kind=kind,
        number=f"（东）{kind[:2].upper()}安许证字〔{today.year - 2}〕{unit.pk:06d}",
        holder=holder,
        issued_by="江州市应急管理局",
        issued_on=valid_until - timedelta(days=3 * 365),
        valid_until=valid_until,
    )


def _major_hazards(ctx, units):
    rng = ctx.rng
    for index, unit in enumerate(units):
        people = rng.choice([0, 12, 35, 60, 150])
        source = MajorHazardSource(
            enterprise=unit,
            name=f"{unit.name[:6]}{rng.choice(['罐区', '仓库', '生产装置'])}",
            record_no=f"BA990102{ctx.today.year - 1}{index + 1:03d}",
            people_within_500m=people,
            assessed_on=ctx.today - timedelta(days=rng.randint(100, 1000)),
        )
        source.filed_on = source.assessed_on + timedelta(days=10)  # 40号令 第二十三条: within 15 days
        source.next_assessment_on = source.assessed_on + timedelta(days=3 * 365)
        substances = []
        for name, _cas, cls, threshold in rng.sample(CHEMICALS, k=rng.randint(1, 2)):
            quantity = (threshold * Decimal(rng.randint(60, 500)) / 100).quantize(Decimal("0.001"))
            substances.append((name, cls, quantity, threshold))
        r_value = rules.major_hazard_r(
            rules.alpha_for_population(people),
            [(rules.beta_for(n, c), q, t) for n, c, q, t in substances],
        )
        source.r_value = r_value.quantize(Decimal("0.01"))
        source.level = rules.major_hazard_level(r_value)
        source.save()
        _save_all(
            MajorHazardSubstance(source=source, name=n, hazard_class=c.value, quantity_t=q, threshold_t=t)
            for n, c, q, t in substances
        )


def _credit(ctx, units, kinds):
    rng = ctx.rng
    today = ctx.today
    yingji = ctx.organisations.get("yingji")
    candidates = [
        u for u in units if kinds[u.pk] in ("hazchem_store", "hazchem_plant", "fireworks", "mine", "metal")
    ]
    grounds = ["no_licence", "concealed", "art114", "two_serious", "no_licence", "false_report", "art114"]
    starts = [40, 200, 400, 500, 700, 1200, 1500]  # days ago: listed, repairable, expired…
    for index, (ground, days_ago) in enumerate(zip(grounds, starts, strict=True)):
        unit = candidates[index * 7 % len(candidates)]
        entry = BlacklistEntry(
            enterprise=unit,
            ground=ground,
            penalty_decision_no=f"青应急罚〔{today.year - 1}〕{index + 11}号",
            decision_no=f"青应急失信〔{today.year - 1}〕{index + 1}号",
            decided_by=yingji,
            start_date=today - timedelta(days=days_ago),
        )
        if days_ago == 500:  # 信用修复 after 12 months
            entry.removed_on = entry.start_date + timedelta(days=400)
            entry.removal_reason = "已履行行政处罚，完成整改并作出信用承诺，参加信用修复培训。"
        entry.save()
    banned = [u for u in units if kinds[u.pk] in ("fireworks", "three_in_one", "mine")][:6]
    office = ctx.users["anweiban"]
    for index, unit in enumerate(banned):
        closure = ClosureRecord.objects.create(
            enterprise=unit,
            name=unit.name,
            territory=unit.territory,
            address=unit.address,
            reason="未依法取得安全生产许可证擅自从事生产经营活动，经停产停业整顿仍不具备安全生产条件（安全生产法第一百一十三条）。",
            decision_no=f"青府关〔{today.year}〕{index + 1}号",
            decided_by="青山区人民政府",
            decided_on=today - timedelta(days=30 + index * 20),
            executed_on=today - timedelta(days=25 + index * 20),
            verified_on=today - timedelta(days=5) if index % 2 else None,
        )
        # What services.record_closure does after saving its form: the unit becomes 关闭取缔 through the
        # transitions table (a deregistered unit keeps its status: the table refuses it).
        with acting_as(user=office, label=office.get_full_name()):
            record_action(closure, "registry.closure_recorded", f"关闭取缔：{closure.decision_no}")
            if services.refusal(unit, "ban", office) is None:
                services.change_status(unit, "ban", office, f"关闭取缔决定 {closure.decision_no}")
        unit.status = "banned"  # this list is read again below
    for unit in rng.sample(
        [u for u in units if kinds[u.pk] in ("three_in_one",) and u.status == "operating"], k=3
    ):
        ClosureRecord.objects.create(
            name=f"{unit.address}无证小作坊",
            territory=unit.territory,
            address=unit.address,
            reason="无照经营，违规住人（三合一场所），存在重大火灾隐患。",
            decision_no=f"青府关〔{today.year}〕{len(banned) + 1}号",
            decided_by="青山区人民政府",
            decided_on=today - timedelta(days=rng.randint(10, 200)),
        )
