"""Units (生产经营单位) with real skew: big cities and districts hold more, chemical parks concentrate 危化, mountain
counties hold the mines. Each unit gets risk points (its colour is the highest of them, rules.md RK-02) and 危化 units
their major hazard sources."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from django.apps import apps

from . import names
from .loader import CopyTable, next_id
from .tree import UserRows, person_name

# Share of units by primary sector outside parks (commerce and crowded places dominate any real register).
BASE_SECTOR_WEIGHTS = {
    "commerce": 20,
    "crowded": 15,
    "fire": 9,
    "construction": 8,
    "specialEquipment": 6,
    "metallurgy": 5,
    "confinedSpace": 5,
    "dust": 4,
    "roadTransport": 4,
    "gas": 3,
    "hazchem": 2.5,
    "school": 3,
    "hospital": 2,
    "tourism": 1.5,
    "agriculture": 2,
    "water": 1,
    "forestFire": 0.6,
    "ammonia": 1,
    "fireworks": 0.4,
    "waterTransport": 0.5,
    "explosives": 0.1,
    "coal": 0.15,
    "nonCoalMine": 0.4,
    "tailings": 0.1,
}
PARK_SECTOR_WEIGHTS = {
    "hazchem": 60,
    "dust": 8,
    "metallurgy": 8,
    "confinedSpace": 6,
    "roadTransport": 6,
    "fire": 6,
    "ammonia": 3,
    "specialEquipment": 3,
}
MINES = ("coal", "nonCoalMine", "tailings", "explosives")
# How many hazards a unit of the sector has, relative to a shop.
SECTOR_HAZARD_FACTOR = {
    "hazchem": 4,
    "coal": 6,
    "nonCoalMine": 4,
    "tailings": 3,
    "metallurgy": 3,
    "construction": 3,
    "fireworks": 3,
    "explosives": 3,
    "dust": 2,
    "gas": 2,
    "ammonia": 2,
    "crowded": 1.2,
}
# GB/T 4754-2017 class code typical of each sector (the 门类 is derived from it by registry.rules).
INDUSTRY_CODES = {
    "hazchem": "2614",
    "fireworks": "2672",
    "explosives": "2671",
    "coal": "0610",
    "nonCoalMine": "1019",
    "tailings": "0912",
    "metallurgy": "3110",
    "dust": "2021",
    "ammonia": "1351",
    "confinedSpace": "4620",
    "construction": "4790",
    "roadTransport": "5430",
    "waterTransport": "5521",
    "specialEquipment": "7020",
    "gas": "4500",
    "crowded": "6110",
    "school": "8331",
    "hospital": "8411",
    "tourism": "7852",
    "forestFire": "0211",
    "water": "7610",
    "agriculture": "0511",
    "fire": "5990",
    "commerce": "5211",
}
RISK_POINT_NAMES = ["配电室", "仓库", "生产车间", "锅炉房", "危险品库", "有限空间", "装卸区", "厨房"]


@dataclass
class Units:
    """Per-unit columns the later stages need, as parallel lists indexed by unit number (0…n-1)."""

    ids: list = field(default_factory=list)
    names: list = field(default_factory=list)
    grid: list = field(default_factory=list)  # tree.Node
    sector: list = field(default_factory=list)  # sector code
    hazard_weight: list = field(default_factory=list)
    user: dict = field(default_factory=dict)  # unit number -> enterprise account id
    major_hazard_sources: int = 0
    risk_points: int = 0


def _cumulative(weights):
    return list(itertools.accumulate(weights))


def load_units(plan, tree, sector_ids: dict, log) -> Units:
    rng = random.Random(plan.seed * 1000 + 3)
    rules = import_module("anjian.registry.rules")
    Enterprise = apps.get_model("registry", "Enterprise")
    units = Units()
    grid_cum = _cumulative(g.weight for g in tree.grids)
    codes = [c for c in BASE_SECTOR_WEIGHTS if c in sector_ids]
    base_cum = _cumulative(BASE_SECTOR_WEIGHTS[c] for c in codes)
    mountain_cum = _cumulative(BASE_SECTOR_WEIGHTS[c] * (25 if c in MINES else 1) for c in codes)
    park_codes = [c for c in PARK_SECTOR_WEIGHTS if c in sector_ids]
    park_cum = _cumulative(PARK_SECTOR_WEIGHTS[c] for c in park_codes)
    sections = {c: rules.gb4754_section(INDUSTRY_CODES[c]) for c in codes}
    risk_levels = _risk_point_grades(rules)

    grids = rng.choices(tree.grids, cum_weights=grid_cum, k=plan.units)
    first_id = next_id(Enterprise)
    sector_rows, risk_rows, source_rows = [], [], []

    def rows():
        for i, grid in enumerate(grids):
            pk = first_id + i
            if grid.park:
                code = rng.choices(park_codes, cum_weights=park_cum)[0]
            else:
                code = rng.choices(codes, cum_weights=mountain_cum if grid.mountain else base_cum)[0]
            endings, _locations, _texts = names.SECTOR_WORDS.get(code, names.DEFAULT_WORDS)
            county = grid.county
            name = (
                f"{county.name[:2]}{''.join(rng.choices(names.FIRM_WORDS, k=2))}{endings[i % len(endings)]}"
            )
            name = f"{name}（{i + 1}）" if i % 7 == 0 else name  # the register has namesakes; keep them apart
            employees = max(1, int(rng.lognormvariate(2.6, 1.2)))
            scale = "above" if employees >= 300 else ("below" if employees >= 20 else "small")
            status = rng.choices(("operating", "suspended", "banned", "deregistered"), (93, 4, 1, 2))[0]
            units.ids.append(pk)
            units.names.append(name)
            units.grid.append(grid)
            units.sector.append(code)
            units.hazard_weight.append(
                SECTOR_HAZARD_FACTOR.get(code, 1) * (employees**0.35) * (0.2 if status != "operating" else 1)
            )
            sector_rows.append((pk, sector_ids[code]))
            if rng.random() < 0.15:  # some units sit in two sectors (e.g. a plant with 有限空间)
                other = rng.choices(codes, cum_weights=base_cum)[0]
                if other != code:
                    sector_rows.append((pk, sector_ids[other]))
            level = _add_risk_points(rng, pk, code, risk_levels, risk_rows, plan)
            if code == "hazchem" and rng.random() < 0.3:
                for s in range(rng.choice((1, 1, 2, 3))):
                    source_rows.append((pk, s, plan))
            body8 = f"{pk % 10**8:08d}"
            first17 = f"91{county.code}{body8}{rules.org_code_check_char(body8)}"
            yield (
                pk,
                name,
                first17 + rules.credit_code_check_char(first17),
                grid.id,
                grid.path,
                status,
                f"{grid.county.name}{grid.parent.name}{rng.randint(1, 300)}号",
                person_name(rng),
                person_name(rng),
                f"13{rng.randrange(10**9):09d}",
                person_name(rng),
                f"13{rng.randrange(10**9):09d}",
                sections[code],
                INDUSTRY_CODES[code],
                scale,
                employees,
                level,
            )

    table = CopyTable(
        Enterprise,
        [
            "id",
            "name",
            "credit_code",
            "territory_id",
            "territory_path",
            "status",
            "address",
            "legal_representative",
            "principal_name",
            "principal_phone",
            "safety_manager_name",
            "safety_manager_phone",
            "economic_section",
            "industry_code",
            "scale",
            "employees",
            "risk_level",
        ],
    )
    table.load(rows())
    through = Enterprise.sectors.through
    link_ids = itertools.count(next_id(through))
    CopyTable(through, ["id", "enterprise_id", "sector_id"]).load(
        (next(link_ids), e, s) for e, s in sector_rows
    )
    units.risk_points = _load_risk_points(risk_rows)
    units.major_hazard_sources = _load_major_hazard_sources(rng, source_rows)
    return units


def _risk_point_grades(rules):
    """(L, E, C, score, level) for a few LEC combinations, from the lowest to the highest colour."""
    combos = [
        ("1", "3", "3"),
        ("3", "3", "3"),
        ("3", "6", "7"),
        ("6", "6", "7"),
        ("6", "6", "15"),
        ("10", "6", "15"),
    ]
    graded = []
    for lec in combos:
        score = rules.lec_score(*lec)
        graded.append((*(Decimal(x) for x in lec), score, rules.lec_level(score).value))
    return graded


def _add_risk_points(rng, pk, code, grades, risk_rows, plan) -> str:
    """Risk points of one unit; returns the unit's colour, the highest among them (rules.md RK-02)."""
    count = rng.choices((0, 1, 2, 3), (10, 45, 30, 15))[0]
    dangerous = code in (
        "hazchem",
        "coal",
        "nonCoalMine",
        "tailings",
        "fireworks",
        "explosives",
        "metallurgy",
    )
    weights = (30, 30, 22, 10, 5, 3) if dangerous else (45, 35, 15, 4, 0.7, 0.3)
    picked = rng.choices(grades, weights, k=count)
    for n, grade in enumerate(picked):
        risk_rows.append(
            (
                pk,
                RISK_POINT_NAMES[(pk + n) % len(RISK_POINT_NAMES)],
                grade,
                plan.today - timedelta(days=rng.randrange(700)),
            )
        )
    order = ["major", "high", "medium", "low"]
    levels = [g[4] for g in picked]
    return min(levels, key=order.index) if levels else ""


def _load_risk_points(risk_rows) -> int:
    RiskPoint = apps.get_model("registry", "RiskPoint")
    ids = itertools.count(next_id(RiskPoint))
    table = CopyTable(
        RiskPoint,
        ["id", "enterprise_id", "name", "method", "lec_l", "lec_e", "lec_c", "score", "level", "assessed_on"],
    )
    count = table.load(
        (next(ids), e, name, "lec", g[0], g[1], g[2], g[3], g[4], assessed)
        for e, name, g, assessed in risk_rows
    )
    risk_rows.clear()
    return count


def _load_major_hazard_sources(rng, source_rows) -> int:
    """危险化学品重大危险源 (GB 18218-2018): level 1 (most dangerous) to 4, filed with the county."""
    Source = apps.get_model("registry", "MajorHazardSource")
    ids = itertools.count(next_id(Source))
    table = CopyTable(
        Source,
        [
            "id",
            "enterprise_id",
            "name",
            "record_no",
            "people_within_500m",
            "r_value",
            "level",
            "assessed_on",
            "filed_on",
            "next_assessment_on",
        ],
    )

    def rows():
        for e, n, plan in source_rows:
            level = rng.choices((1, 2, 3, 4), (5, 15, 35, 45))[0]
            r_value = Decimal({1: 120, 2: 70, 3: 30, 4: 5}[level] + rng.randint(0, 30))
            assessed = plan.today - timedelta(days=rng.randrange(1000))
            yield (
                next(ids),
                e,
                f"{('罐区', '库区', '生产装置')[n % 3]}{n + 1}",
                f"BA{e:08d}{n}",
                rng.randrange(50, 3000),
                r_value,
                level,
                assessed,
                assessed + timedelta(days=10),
                assessed + timedelta(days=3 * 365),
            )

    count = table.load(rows())
    source_rows.clear()
    return count


def load_enterprise_users(plan, tree, units: Units) -> int:
    """One 企业安全管理人员 account for every `enterprise_user_every` units (username qiye<unit id>)."""
    rng = random.Random(plan.seed * 1000 + 4)
    from ..roles import Role

    users = UserRows(plan)
    for i in range(0, len(units.ids), plan.enterprise_user_every):
        grid = units.grid[i]
        units.user[i] = users.add(
            f"qiye{units.ids[i]}",
            person_name(rng),
            Role.ENTERPRISE,
            None,
            grid.id,
            grid.path,
            enterprise_id=units.ids[i],
            title="安全管理人员",
        )
    return users.load()
