"""Demo data: tips in every status, a rainstorm warning with acknowledgements, a duty roster with a gap in
a key period, plans, drills, supplies, teams, training and publicity. Deterministic (ctx.rng)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from anjian.core.context import acting_as

from . import data, services
from .models import (
    Drill,
    DutyLogEntry,
    DutyRoster,
    EmergencyPlan,
    PublicityActivity,
    RescueTeam,
    Supply,
    TeamMember,
    TrainingAttendee,
    TrainingSession,
    WeatherWarning,
)


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build(ctx) -> None:
    data.seed()
    office_user = ctx.users["anweiban"]
    office = ctx.organisations["office"]
    district = ctx.district
    today = ctx.today
    towns = ctx.towns
    qingshi = ctx.territories["990102101"]
    qingshi_village = ctx.territories["990102101201"]
    liuhe_village = ctx.territories["990102102201"]

    with acting_as(user=office_user, label=office_user.name):
        # --- tips ---
        texts = [
            (
                "青石村后山有人夜间非法开采石料，炸药存放在民房里。",
                qingshi_village,
                "非法采石点",
                "illegal_operation",
                True,
            ),
            (
                "柳河建工工地塔吊司机无证上岗，脚手架没有防护网。",
                liuhe_village,
                "柳河建工集团有限公司",
                "major_hazard",
                False,
            ),
            ("某饭店液化气钢瓶放在后厨走道，没有报警器。", towns[0], "", "general_hazard", False),
        ]
        tips = []
        for content, territory, unit, kind, urgent in texts:
            tip, _code = services.submit_tip(
                data={
                    "content": content,
                    "territory": territory,
                    "unit_name": unit,
                    "kind": kind,
                    "anonymous": ctx.rng.random() < 0.5,
                    "contact_phone": "13800000000",
                    "urgent": urgent,
                },
                user=office_user,
            )
            tips.append(tip)
        hotline, _ = services.submit_tip(
            data={
                "content": "12345转办：反映城关某小区电动车在楼道充电。",
                "territory": towns[0],
                "hotline_order_no": "12345-20261120-0088",
                "anonymous": True,
            },
            channel="hotline_12345",
            user=office_user,
        )
        construction = ctx.sectors["construction"]
        services.assign_tip(
            office_user,
            tips[1],
            organisation=ctx.organisations["zhujian"],
            due_date=today + timedelta(days=15),
            sector=construction,
        )
        services.assign_tip(
            office_user,
            tips[0],
            organisation=ctx.organisations["town:990102101"],
            due_date=today + timedelta(days=3),
            urgent=True,
        )
        zhujian_user = ctx.users["zhujian"]
        with acting_as(user=zhujian_user, label=zhujian_user.name):
            services.verify_tip(
                zhujian_user,
                tips[1],
                founded=True,
                verification="现场核查属实，塔吊司机无证，已责令停止作业。",
            )
        services.record_reward(office_user, tips[1], fine_amount=Decimal("50000"))

        # --- warning ---
        warning = WeatherWarning.objects.create(
            warning_type="rainstorm",
            level="orange",
            title="青山区气象台发布暴雨橙色预警",
            source="青山区气象台",
            content="预计未来12小时累计降雨量将达100毫米以上，请做好防范。",
            starts_at=_at(today, 6),
            ends_at=_at(today + timedelta(days=1), 18),
            territory=district,
            created_by=office_user,
        )
        warning.areas.set([district])
        services.issue_warning(office_user, warning)
        first = warning.notices.order_by("id").first()
        if first is not None:
            unit_user = first.enterprise.users.filter(role="enterprise").first()
            if unit_user is not None:
                with acting_as(user=unit_user, label=unit_user.name):
                    services.acknowledge_notice(
                        unit_user, first, measures="已停止高处作业，基坑已排水，值班人员到岗。"
                    )

        # --- duty ---
        roster = DutyRoster.objects.create(
            organisation=office,
            territory=district,
            title=f"{today:%Y年%m月}值班表",
            start_date=today - timedelta(days=3),
            end_date=today + timedelta(days=20),
            duty_phone="0999-12350",
        )
        leaders = [("李区长", "13900000101"), ("陈副区长", "13900000102"), ("周主任", "13900000103")]
        officers = [("王值班", "13900000201"), ("赵值班", "13900000202"), ("钱值班", "13900000203")]
        rows = []
        for offset in range(-3, 18):  # the last days are left open: a gap if a key period covers them
            day = today + timedelta(days=offset)
            leader = leaders[offset % 3]
            officer = officers[offset % 3]
            rows.append(
                {
                    "date": day,
                    "leader_name": leader[0],
                    "leader_phone": leader[1],
                    "officer_name": officer[0],
                    "officer_phone": officer[1] if offset != 5 else "",
                }
            )
        services.fill_roster(office_user, roster, rows)
        try:
            from anjian.notifications.models import KeyPeriod

            if not KeyPeriod.objects.filter(
                requires_duty=True, start_date__lte=today + timedelta(days=20), end_date__gte=today
            ).exists():
                KeyPeriod.objects.create(
                    name="冬季安全生产重点时段（演示）",
                    category="other",
                    year=today.year,
                    start_date=today,
                    end_date=today + timedelta(days=20),
                    territory=district,
                    requires_duty=True,
                )
        except ImportError:  # pragma: no cover
            pass
        for hour, kind, summary in [
            (8, "handover", "交接班：夜间无重大情况。"),
            (10, "call", "市应急局电话询问暴雨防范部署情况，已报告。"),
            (14, "event", "柳河镇报告一处边坡小规模滑塌，无人员伤亡，已设置警戒。"),
        ]:
            DutyLogEntry.objects.create(
                organisation=office,
                territory=district,
                occurred_at=_at(today, hour),
                kind=kind,
                summary=summary,
                recorded_by=office_user,
            )

        # --- emergency ---
        plan = EmergencyPlan.objects.create(
            title="青山区生产安全事故应急预案",
            owner="government",
            organisation=ctx.organisations["yingji"],
            territory=district,
            kind="comprehensive",
            level="区级",
            filing_status="filed",
            filed_on=today - timedelta(days=1000),
            revised_on=today - timedelta(days=1050),
        )
        EmergencyPlan.objects.create(
            title="青山区危险化学品事故专项应急预案",
            owner="government",
            organisation=ctx.organisations["yingji"],
            territory=district,
            kind="special",
            level="区级",
            filing_status="filed",
            filed_on=today - timedelta(days=200),
            revised_on=today - timedelta(days=210),
        )
        if getattr(ctx, "enterprises", None):
            a = ctx.enterprises["a"]
            EmergencyPlan.objects.create(
                title=f"{a.name}综合应急预案",
                owner="enterprise",
                enterprise=a,
                territory=a.territory,
                kind="comprehensive",
                level="企业级",
                filing_status="filed",
                filed_on=today - timedelta(days=400),
                revised_on=today - timedelta(days=420),
            )
        Drill.objects.create(
            plan=plan,
            territory=district,
            held_on=today - timedelta(days=120),
            participants=120,
            participant_units="区应急局、区消防大队、青石镇",
            evaluation="响应及时，通信保障需加强。",
            issues="应急广播覆盖不全\n部分队员未配备防护装备",
        )
        for index, town in enumerate(towns[:5]):
            Supply.objects.create(
                name="编织袋",
                category="防汛",
                territory=town,
                location=f"{town.name}应急物资仓库",
                quantity=2000 + index * 100,
                unit="条",
                keeper="仓库管理员",
                keeper_phone=f"139000003{index:02d}",
            )
            Supply.objects.create(
                name="救生衣",
                category="防汛",
                territory=town,
                location=f"{town.name}应急物资仓库",
                quantity=50,
                unit="件",
                expiry_date=today + timedelta(days=20 + index * 200),
            )
        tiers = ["comprehensive", "professional", "social", "enterprise"]
        for index, town in enumerate(towns[:4]):
            team = RescueTeam.objects.create(
                name=f"{town.name}应急救援队",
                tier=tiers[index],
                territory=town,
                specialties="防汛抢险、森林灭火",
                leader=f"队长{index + 1}",
                phone=f"1390000040{index}",
                member_count=20 + index,
            )
            TeamMember.objects.create(
                team=team,
                name=f"队员{index + 1}",
                role="副队长",
                skills="急救、绳索救援",
                phone=f"1390000050{index}",
            )

        # --- training and publicity ---
        session = TrainingSession.objects.create(
            topic="企业主要负责人安全生产知识培训",
            audience="principals",
            organiser=ctx.organisations["yingji"],
            territory=district,
            held_on=today - timedelta(days=30),
            hours=Decimal("16"),
            attendee_count=85,
        )
        TrainingAttendee.objects.create(
            session=session,
            name="黄安全",
            unit="青山宏达化工有限公司",
            certificate_no="QS2026-0001",
            certificate_expiry=today + timedelta(days=3 * 365),
        )
        for kind, title in [
            ("safety_month", "安全生产月咨询日活动"),
            ("into_school", "安全知识进校园"),
            ("into_community", "燃气安全进社区"),
        ]:
            PublicityActivity.objects.create(
                title=title,
                kind=kind,
                organiser=office,
                territory=qingshi if kind != "safety_month" else district,
                held_on=today - timedelta(days=ctx.rng.randint(5, 150)),
                participants=ctx.rng.randint(100, 800),
                materials=ctx.rng.randint(200, 2000),
            )
    ctx.log.append(f"举报 {len(tips) + 1} 条，预警 1 条（通知 {warning.notices.count()} 家），值班表 1 张")
    del hotline
