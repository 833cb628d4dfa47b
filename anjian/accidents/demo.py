"""Demo accidents over this year and last year, so that 同比 (year-on-year) means something.

Filed through the services like a user would (grade computed, chain and versions written), then partly
reported up the chain, investigated and closed. Includes a road-traffic accident with a death after the 7-day
window (recorded, not counted) and a 较大 accident that became 较大 through a 补报 (2 → 3 deaths).
Deterministic with ctx.rng.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from anjian.registry.models import Enterprise

from . import services
from .models import Accident, IndustryGroup, Level

IMT = IndustryGroup.INDUSTRY_MINING_TRADE

# (weight, group, sector code or None, category, title pattern, place, summary, (deaths, serious, minor), loss range)
KINDS = [
    (
        5,
        IMT,
        "construction",
        "1986-09",
        "{unit}“{md}”高处坠落事故",
        "在建工地",
        "作业人员在脚手架作业时坠落。",
        (1, 0, 0),
        (80, 200),
    ),
    (
        3,
        IMT,
        "construction",
        "1986-10",
        "{unit}“{md}”坍塌事故",
        "基坑",
        "基坑边坡局部坍塌，一名工人被埋压。",
        (1, 1, 1),
        (100, 400),
    ),
    (
        3,
        IMT,
        "hazchem",
        "1986-19",
        "{unit}“{md}”中毒和窒息事故",
        "储罐区",
        "清罐作业未检测气体浓度，作业人员中毒。",
        (0, 2, 1),
        (30, 120),
    ),
    (
        4,
        IMT,
        "commerce",
        "1986-03",
        "{unit}“{md}”机械伤害事故",
        "生产车间",
        "操作工清理设备时未停机，手臂被卷入。",
        (0, 1, 0),
        (5, 40),
    ),
    (
        2,
        IMT,
        "specialEquipment",
        "1986-04",
        "{unit}“{md}”起重伤害事故",
        "厂区",
        "吊装作业时吊物坠落。",
        (1, 0, 0),
        (40, 150),
    ),
    (
        2,
        IMT,
        "metallurgy",
        "1986-07",
        "{unit}“{md}”灼烫事故",
        "熔炼车间",
        "钢水外溢灼伤作业人员。",
        (0, 1, 2),
        (20, 90),
    ),
    (
        5,
        IndustryGroup.ROAD_TRAFFIC,
        "roadTransport",
        "1986-02",
        "{road}“{md}”道路交通事故",
        "{road}",
        "货车与电动自行车碰撞。",
        (1, 0, 1),
        (3, 20),
    ),
    (
        2,
        IndustryGroup.FIRE,
        "fire",
        "1986-08",
        "{town}“{md}”居民楼火灾事故",
        "居民楼",
        "电动自行车楼道充电起火。",
        (0, 0, 2),
        (10, 60),
    ),
]
ROADS = ["G105国道青石段", "S263省道柳河段", "青山大道", "白云路", "松林公路"]


def _local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


def _pick_enterprise(ctx, sector_code, cache):
    if sector_code not in cache:
        cache[sector_code] = list(
            Enterprise.objects.filter(sectors__code=sector_code)
            .order_by("id")
            .values_list("id", flat=True)[:40]
        )
    ids = cache[sector_code]
    return Enterprise.objects.get(pk=ctx.rng.choice(ids)) if ids else None


def _file(ctx, office, occurred_at, kind, figures, cache, title=None, territory=None, **extra):
    _weight, group, sector_code, category, pattern, place, summary, _base, _loss = kind
    rng = ctx.rng
    md = f"{occurred_at.month}·{occurred_at.day}"
    enterprise = None
    if group == IMT:
        enterprise = _pick_enterprise(ctx, sector_code, cache)
    town = territory or (enterprise.territory if enterprise else rng.choice(ctx.towns))
    road = rng.choice(ROADS)
    unit = enterprise.name if enterprise else ""
    accident = Accident(
        title=title or pattern.format(unit=unit, md=md, road=road, town=town.name),
        enterprise=enterprise,
        unit_name=""
        if enterprise
        else ("肇事车辆驾驶人" if group == IndustryGroup.ROAD_TRAFFIC else "居民住户"),
        territory=town,
        sector=ctx.sectors.get(sector_code),
        occurred_at=occurred_at,
        unit_received_at=occurred_at + timedelta(minutes=rng.randint(3, 15)),
        place=place.format(road=road),
        category=category,
        industry_group=group,
        summary=summary,
        measures="立即组织救援，保护现场，送医救治伤员。",
        **extra,
    )
    county_at = accident.unit_received_at + timedelta(minutes=rng.choice([20, 30, 35, 40, 45, 50, 55, 80]))
    return services.file_accident(
        office,
        accident,
        figures,
        county_received_at=county_at,
        reporter="单位负责人",
        receiver="区应急局值班室",
        reported_at=county_at,
    )


def _follow_up(ctx, office, accident, today):
    """Report up the chain, investigate and close, depending on the accident's age."""
    rng = ctx.rng
    for hop in accident.hops.filter(received_at__isnull=True).order_by("deadline"):
        if hop.level == Level.NATIONAL:
            break
        previous = accident.hops.exclude(received_at__isnull=True).order_by("-received_at").first()
        received = previous.received_at + timedelta(minutes=rng.choice([30, 45, 60, 75, 90, 110, 150]))
        if received > timezone.now():
            break
        services.record_hop(office, hop, received_at=received, reporter="区应急局", receiver="市应急局值班室")
    occurred = timezone.localdate(accident.occurred_at)
    age = (today - occurred).days
    ended = accident.occurred_at + timedelta(hours=rng.randint(3, 20))
    if ended < timezone.now():
        # The rescue is over: no more 续报 (AC-22); 补报 of casualty changes stays open for its window.
        services.end_response(office, accident, ended_at=ended, note="现场救援结束，伤员已送医。")
    if age < 5:
        return
    inv = services.open_investigation(
        office, accident, body=f"{accident.territory.name}事故调查组", started_on=occurred + timedelta(days=2)
    )
    if age < 50:
        return
    services.update_findings(
        office,
        inv,
        {
            "direct_cause": "作业人员违章作业。",
            "indirect_cause": "企业安全生产责任制不落实，安全教育培训不到位，现场管理缺失。",
            "nature": "liability",
            "findings": "经调查认定，该起事故是一起生产安全责任事故。",
            "investment_ok": rng.random() > 0.3,
            "deployment_ok": True,
            "supervision_ok": rng.random() > 0.4,
            "urging_ok": rng.random() > 0.5,
            "review_notes": "",
            "follow_up": "对事故单位依法立案处罚\n约谈事故单位主要负责人\n开展同类企业专项检查",
        },
    )
    services.add_party(
        office,
        inv,
        {"kind": "person", "name": "现场负责人", "position": "班组长", "responsibility": "direct"},
    )
    submitted = occurred + timedelta(days=rng.randint(40, 58))
    if submitted >= today:
        return
    services.submit_report(office, inv, submitted_on=submitted)
    closed = submitted + timedelta(days=rng.randint(5, 14))
    if closed < today:
        services.close_accident(office, accident, closed_on=closed)


def build(ctx) -> None:
    office = ctx.users["anweiban"]
    today = ctx.today
    rng = ctx.rng
    cache: dict = {}
    weights = [k[0] for k in KINDS]
    # Last year: a full year; this year: to yesterday. Roughly 18 and (pro rata) fewer accidents.
    periods = [(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), 18)]
    ytd_days = (today - date(today.year, 1, 1)).days
    if ytd_days > 10:
        periods.append((date(today.year, 1, 1), today - timedelta(days=2), max(3, 15 * ytd_days // 365)))
    count = 0
    for start, end, number in periods:
        span = (end - start).days
        for _ in range(number):
            kind = rng.choices(KINDS, weights)[0]
            day = start + timedelta(days=rng.randint(0, span))
            occurred = _local(day, rng.randint(6, 21), rng.choice([0, 10, 20, 30, 40, 50]))
            deaths, serious, minor = kind[7]
            figures = services.Figures(
                deaths=deaths + (1 if rng.random() < 0.2 else 0),
                serious_injuries=serious,
                minor_injuries=minor + rng.randint(0, 2),
                direct_loss=Decimal(rng.randint(*kind[8]) * 10000),
            )
            accident = _file(ctx, office, occurred, kind, figures, cache)
            _follow_up(ctx, office, accident, today)
            count += 1

    # A 较大 accident: first reported with 2 deaths, a third death within 30 days raises the grade.
    day = max(date(today.year, 1, 1), today - timedelta(days=20))
    larger = _file(
        ctx,
        office,
        _local(day, 14, 20),
        KINDS[1],
        services.Figures(deaths=2, serious_injuries=3, minor_injuries=4, direct_loss=Decimal("6800000")),
        cache,
        title="青石镇某建设项目“较大”基坑坍塌事故",
        territory=ctx.territories["990102101"],
    )
    services.supplement(
        office,
        larger,
        services.Figures(deaths=3, serious_injuries=2, minor_injuries=4, direct_loss=Decimal("7200000")),
        as_of=min(today, day + timedelta(days=6)),
        note="一名重伤人员经抢救无效死亡。",
        reported_at=min(timezone.now(), _local(min(today, day + timedelta(days=6)), 16, 5)),
    )
    larger.refresh_from_db()
    _follow_up(ctx, office, larger, today)

    # A road-traffic accident: a death on day 9 is after the 7-day window (493号令 第十三条): recorded only.
    day = max(date(today.year, 1, 1), today - timedelta(days=30))
    road = _file(
        ctx,
        office,
        _local(day, 7, 40),
        KINDS[6],
        services.Figures(deaths=1, serious_injuries=1, minor_injuries=2, direct_loss=Decimal("86000")),
        cache,
        title="G105国道青石段“两车相撞”道路交通事故",
        territory=ctx.territories["990102101"],
    )
    services.supplement(
        office,
        road,
        services.Figures(deaths=2, serious_injuries=0, minor_injuries=2, direct_loss=Decimal("86000")),
        as_of=min(today, day + timedelta(days=9)),
        note="重伤人员于事故后第9日死亡，已超过7日补报期限。",
        reported_at=min(timezone.now(), _local(min(today, day + timedelta(days=9)), 11, 30)),
    )
    _follow_up(ctx, office, road, today)

    # A 较大涉险事故 (AC-04 ❓): 3 workers trapped in a collapsed trench, all rescued unhurt — reported up to the
    # province like a 较大 accident, listed with the accidents but outside the statistics.
    day = max(date(today.year, 1, 1), today - timedelta(days=12))
    near_miss = _file(
        ctx,
        office,
        _local(day, 10, 5),
        KINDS[1],
        services.Figures(minor_injuries=0, direct_loss=Decimal("0")),
        cache,
        title="青石镇某管网工程沟槽塌方3人被困涉险事故",
        territory=ctx.territories["990102101"],
        is_near_miss=True,
        near_miss_criteria=["trapped_3"],
    )
    _follow_up(ctx, office, near_miss, today)

    # An accident filed today by enterprise A's safety manager: its chain is still open (to-do items).
    qiye_a = ctx.users.get("qiye_a")
    if qiye_a is not None:
        accident = Accident(
            title=f"{ctx.enterprises['a'].name}“{today.month}·{today.day}”机械伤害事故",
            sector=ctx.sectors["hazchem"],
            occurred_at=timezone.now() - timedelta(minutes=50),
            place="包装车间",
            category="1986-03",
            industry_group=IMT,
            summary="包装机清理时未停机，操作工右手被夹伤。",
            measures="已停机并送医。",
        )
        services.file_accident(
            qiye_a, accident, services.Figures(serious_injuries=1, direct_loss=Decimal("30000"))
        )
        count += 1
    ctx.log.append(f"事故 {count + 2} 起（含1起较大事故、1起超期补报的道路交通事故），另有较大涉险事故 1 起")
