"""Demo data for the core app: a fictional district with its towns, villages, grids, committee, departments
and one user per role. Deterministic: the same run gives the same data. Other apps add their own step in
`<app>/demo.py` (a `build(ctx)` function), run in INSTALLED_APPS order after this one.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.hashers import make_password

from .models import Organisation, OrganisationKind, Sector, Territory, TerritoryKind, User
from .roles import Role

DEMO_PASSWORD = "Anjian@2026"
SEED = 20261123

PROVINCE = ("990000", "东江省")
CITY = ("990100", "江州市")
DISTRICT = ("990102", "青山区")
# (township code, name, kind, [village names])
TOWNS = [
    ("001", "城关街道", TerritoryKind.STREET, ["解放路社区", "人民路社区", "文昌社区", "南门社区"]),
    ("002", "东湖街道", TerritoryKind.STREET, ["东湖社区", "湖滨社区", "新村社区"]),
    ("003", "西岭街道", TerritoryKind.STREET, ["西岭社区", "矿山社区", "桂园社区"]),
    ("101", "青石镇", TerritoryKind.TOWN, ["青石村", "石桥村", "上塘村", "龙井村"]),
    ("102", "柳河镇", TerritoryKind.TOWN, ["柳河村", "下湾村", "河口村"]),
    ("103", "白云镇", TerritoryKind.TOWN, ["白云村", "云峰村", "茶山村"]),
    ("104", "松林镇", TerritoryKind.TOWN, ["松林村", "林场村", "坳头村", "大岭村"]),
    ("401", "青山经济开发区", TerritoryKind.PARK, ["创业社区", "化工园社区"]),
]
GRIDS_PER_VILLAGE = 2

# (key, name, short name, sector codes) — 管行业必须管安全
DEPARTMENTS = [
    (
        "yingji",
        "青山区应急管理局",
        "区应急局",
        ["hazchem", "fireworks", "nonCoalMine", "tailings", "metallurgy", "dust", "ammonia", "confinedSpace"],
    ),
    ("zhujian", "青山区住房和城乡建设局", "区住建局", ["construction", "gas"]),
    ("jiaotong", "青山区交通运输局", "区交通局", ["roadTransport", "waterTransport"]),
    ("gongan", "江州市公安局青山分局", "青山公安分局", ["roadTransport", "fireworks"]),
    ("shichang", "青山区市场监督管理局", "区市场监管局", ["specialEquipment"]),
    ("xiaofang", "青山区消防救援大队", "区消防大队", ["crowded", "fire"]),
    ("jiaoti", "青山区教育体育局", "区教体局", ["school"]),
    ("weijian", "青山区卫生健康局", "区卫健局", ["hospital"]),
    ("wenlv", "青山区文化和旅游局", "区文旅局", ["tourism"]),
    ("linye", "青山区林业局", "区林业局", ["forestFire"]),
    ("shuili", "青山区水利局", "区水利局", ["water"]),
    ("ziran", "青山区自然资源局", "区自然资源局", ["nonCoalMine"]),
    ("nongye", "青山区农业农村局", "区农业农村局", ["agriculture"]),
    ("shangwu", "青山区商务局", "区商务局", ["commerce"]),
]
# (name, lead department key)
SPECIAL_COMMITTEES = [
    ("危险化学品安全专业委员会", "yingji"),
    ("矿山安全专业委员会", "yingji"),
    ("建设工程安全专业委员会", "zhujian"),
    ("道路交通安全专业委员会", "gongan"),
    ("消防安全专业委员会", "xiaofang"),
    ("特种设备安全专业委员会", "shichang"),
    ("森林防火专业委员会", "linye"),
    ("校园安全专业委员会", "jiaoti"),
]


@dataclass
class DemoContext:
    rng: random.Random
    today: date
    territories: dict[str, Territory] = field(default_factory=dict)  # by code
    towns: list[Territory] = field(default_factory=list)
    grids: list[Territory] = field(default_factory=list)
    organisations: dict[str, Organisation] = field(default_factory=dict)  # by key
    sectors: dict[str, Sector] = field(default_factory=dict)  # by code
    users: dict[str, User] = field(default_factory=dict)  # by username
    password_hash: str = ""
    log: list[str] = field(default_factory=list)

    @property
    def district(self) -> Territory:
        return self.territories[DISTRICT[0]]

    def add_user(
        self, username, name, role, territory=None, organisation=None, enterprise=None, **extra
    ) -> User:
        user = User.objects.create(
            username=username,
            name=name,
            role=role,
            territory=territory,
            organisation=organisation,
            enterprise=enterprise,
            password=self.password_hash,
            **extra,
        )
        self.users[username] = user
        return user


@contextmanager
def clock_at(moment: datetime):
    """Run the real services as if it were `moment` (an aware datetime in the past): the demo's time machine.

    Demo data is made only through the services users go through, so that its history (the audit trail) and
    its state agree. Some of it must have happened in the past — e.g. a hazard whose rectification deadline has
    passed: its plan was set back then, with a deadline that was in the future at the time. Inside this block
    `django.utils.timezone.now()` (and so `localdate()`, field defaults, `auto_now` and the audit trail's
    timestamps) reads `moment`, advancing with the real clock so that successive entries keep their order.

    Only for the demo command (one thread, nothing else running): it swaps the `datetime` class that
    `django.utils.timezone` reads the clock from, and restores it on the way out.
    """
    from django.utils import timezone as clock

    real = clock.datetime
    offset = moment - real.now(tz=moment.tzinfo)

    class Travelled(real):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + offset

    clock.datetime = Travelled
    try:
        yield
    finally:
        clock.datetime = real


def _territory(ctx, code, name, kind, parent, order=0) -> Territory:
    territory = Territory.objects.create(code=code, name=name, kind=kind, parent=parent, sort_order=order)
    ctx.territories[code] = territory
    return territory


def build(ctx: DemoContext) -> None:
    ctx.password_hash = make_password(DEMO_PASSWORD)
    ctx.sectors = {s.code: s for s in Sector.objects.all()}
    province = _territory(ctx, *PROVINCE, TerritoryKind.PROVINCE, None)
    city = _territory(ctx, *CITY, TerritoryKind.CITY, province)
    district = _territory(ctx, *DISTRICT, TerritoryKind.COUNTY, city)
    for order, (town_code, town_name, kind, villages) in enumerate(TOWNS):
        town = _territory(ctx, DISTRICT[0] + town_code, town_name, kind, district, order)
        ctx.towns.append(town)
        village_kind = TerritoryKind.VILLAGE if kind == TerritoryKind.TOWN else TerritoryKind.COMMUNITY
        first = 201 if village_kind == TerritoryKind.VILLAGE else 1
        for index, village_name in enumerate(villages):
            village = _territory(
                ctx, f"{town.code}{first + index:03d}", village_name, village_kind, town, index
            )
            for grid_no in range(1, GRIDS_PER_VILLAGE + 1):
                grid = _territory(
                    ctx,
                    f"{village.code}{grid_no:03d}",
                    f"{village_name}第{grid_no}网格",
                    TerritoryKind.GRID,
                    village,
                    grid_no,
                )
                ctx.grids.append(grid)

    committee = Organisation.objects.create(
        name="青山区安全生产委员会",
        short_name="区安委会",
        kind=OrganisationKind.COMMITTEE,
        territory=district,
    )
    office = Organisation.objects.create(
        name="青山区安全生产委员会办公室",
        short_name="区安委办",
        kind=OrganisationKind.OFFICE,
        territory=district,
        parent=committee,
        duty_phone="0999-12350",
    )
    ctx.organisations.update(committee=committee, office=office)
    for order, (key, name, short, sector_codes) in enumerate(DEPARTMENTS):
        department = Organisation.objects.create(
            name=name,
            short_name=short,
            kind=OrganisationKind.DEPARTMENT,
            territory=district,
            parent=committee,
            sort_order=order,
        )
        department.sectors.set([ctx.sectors[c] for c in sector_codes])
        ctx.organisations[key] = department
    for order, (name, lead) in enumerate(SPECIAL_COMMITTEES):
        ctx.organisations[name] = Organisation.objects.create(
            name=f"青山区{name}",
            short_name=name.replace("安全专业委员会", "专委会"),
            kind=OrganisationKind.SPECIAL_COMMITTEE,
            territory=district,
            parent=committee,
            lead_department=ctx.organisations[lead],
            sort_order=order,
        )
    for order, town in enumerate(ctx.towns):
        suffix = {"street": "办事处", "town": "人民政府", "park": "管理委员会"}[town.kind]
        ctx.organisations[f"town:{town.code}"] = Organisation.objects.create(
            name=f"{town.name}{suffix}",
            short_name=town.name,
            kind=OrganisationKind.LOCAL_GOVERNMENT,
            territory=town,
            sort_order=order,
        )

    qingshi = ctx.territories["990102101"]
    liuhe = ctx.territories["990102102"]
    qingshi_grid = next(g for g in ctx.grids if g.path.startswith(qingshi.path))
    ctx.add_user("sysadmin", "周系统", Role.SYS_ADMIN, district, office)
    ctx.add_user("secadmin", "吴安全", Role.SEC_ADMIN, district, office)
    ctx.add_user("auditor", "郑审计", Role.AUDIT_ADMIN, district, office)
    ctx.add_user(
        "anweiban", "王安委", Role.OFFICE, district, office, title="安委办副主任", phone="13900000001"
    )
    ctx.add_user("leader", "李区长", Role.LEADER, district, committee, title="副区长")
    ctx.add_user(
        "yingji",
        "张执法",
        Role.INSPECTOR,
        district,
        ctx.organisations["yingji"],
        certificate_no="99010220001",
        phone="13900000002",
    )
    # 行政处罚法 第四十二条: at least two certified officers handle a case — the department's second one.
    ctx.add_user(
        "yingji2",
        "钱执法",
        Role.INSPECTOR,
        district,
        ctx.organisations["yingji"],
        certificate_no="99010220003",
        phone="13900000007",
    )
    ctx.add_user(
        "zhujian",
        "赵质安",
        Role.INSPECTOR,
        district,
        ctx.organisations["zhujian"],
        certificate_no="99010220002",
        phone="13900000003",
    )
    ctx.add_user(
        "qingshi", "刘镇安", Role.TOWN, qingshi, ctx.organisations["town:990102101"], phone="13900000004"
    )
    ctx.add_user(
        "liuhe", "陈镇安", Role.TOWN, liuhe, ctx.organisations["town:990102102"], phone="13900000005"
    )
    ctx.add_user(
        "wangge", "孙网格", Role.GRID, qingshi_grid, ctx.organisations["town:990102101"], phone="13900000006"
    )
    ctx.log.append(
        f"行政区划 {len(ctx.territories)} 个，机构 {len(ctx.organisations)} 个，用户 {len(ctx.users)} 个"
    )
