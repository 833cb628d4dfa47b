"""Demo step: the 青山区安委会 with its leaders, member units, 专委会 members, responsibility lists and two meetings.

Made only through the services (the audit trail replays to the current state). Runs after core's step, which
created the committee, the office, the departments, the 专委会 and the towns.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from anjian.core.demo import DEPARTMENTS, SPECIAL_COMMITTEES, DemoContext

from . import services
from .models import DutyCategory, DutyItem, LeaderDuty, MeetingKind, PostRank

T, S, C, OTHER = DutyCategory.TERRITORIAL, DutyCategory.SECTOR, DutyCategory.COMPREHENSIVE, DutyCategory.OTHER
LAW = "《中华人民共和国安全生产法》"

# (rank, title, holder, position)
DISTRICT_POSTS = [
    (PostRank.DIRECTOR, "区长", "李建国", "区委副书记、区长"),
    (PostRank.EXECUTIVE_DEPUTY, "分管安全生产工作的副区长", "李区长", "副区长"),
    (PostRank.DEPUTY, "区政府办公室主任", "陈明", "区政府办公室主任"),
    (PostRank.DEPUTY, "区应急管理局局长", "黄志强", "区应急管理局局长"),
    (PostRank.MEMBER, "区住房和城乡建设局局长", "吴海", "区住建局局长"),
    (PostRank.MEMBER, "青山公安分局局长", "郭立", "青山公安分局局长"),
]
# 专委会 members (department keys) besides the lead department
SPECIAL_MEMBERS = {
    "危险化学品安全专业委员会": ["gongan", "jiaotong", "shichang", "xiaofang", "shangwu"],
    "矿山安全专业委员会": ["ziran", "gongan", "shuili"],
    "建设工程安全专业委员会": ["shuili", "jiaotong", "ziran", "xiaofang"],
    "道路交通安全专业委员会": ["jiaotong", "yingji", "jiaoti", "nongye"],
    "消防安全专业委员会": ["yingji", "zhujian", "shichang", "wenlv", "jiaoti", "weijian"],
    "特种设备安全专业委员会": ["yingji", "zhujian", "jiaoti"],
    "森林防火专业委员会": ["yingji", "gongan", "nongye", "wenlv"],
    "校园安全专业委员会": ["gongan", "shichang", "weijian", "xiaofang"],
}
LIAISONS = [
    "张伟",
    "王芳",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周涛",
    "吴敏",
    "徐强",
    "孙婷",
    "马超",
    "朱琳",
    "胡军",
]

DEPARTMENT_DUTIES = {
    "yingji": [
        (
            C,
            "承担区安委会办公室日常工作，指导协调、监督检查、巡查考核各镇街和有关部门安全生产工作。",
            f"{LAW}第十条",
        ),
        (
            C,
            "依法对全区安全生产工作实施综合监督管理，组织编制安全生产权力和责任清单并向社会公开。",
            f"{LAW}第十条、第十七条",
        ),
        (
            S,
            "负责危险化学品、烟花爆竹、非煤矿山、冶金等工贸行业安全生产监督管理，依法查处违法行为。",
            f"{LAW}第十条第二款",
        ),
        (
            S,
            "组织开展危险化学品重大危险源和重大事故隐患排查治理的监督检查，实施挂牌督办。",
            "《危险化学品安全管理条例》",
        ),
        (
            OTHER,
            "组织协调全区生产安全事故应急救援，依法组织或参与生产安全事故调查处理。",
            "《生产安全事故应急条例》",
        ),
    ],
    "zhujian": [
        (
            S,
            "负责房屋建筑和市政基础设施工程施工安全监督管理，督促建设、施工、监理单位落实安全责任。",
            "《建设工程安全生产管理条例》",
        ),
        (S, "负责城镇燃气经营、使用安全监督管理，组织开展燃气安全专项整治。", "《城镇燃气管理条例》"),
        (S, "负责危大工程、深基坑、高支模、建筑起重机械等重点环节的监督检查。", "住房城乡建设部令第37号"),
    ],
    "jiaotong": [
        (
            S,
            "负责道路运输、水路运输企业安全生产监督管理，督促落实车辆动态监控和驾驶员管理责任。",
            f"{LAW}第十条第二款",
        ),
        (S, "负责公路、水运工程建设施工安全监督管理。", "《公路水运工程安全生产监督管理办法》"),
    ],
    "gongan": [
        (S, "负责道路交通安全管理，依法查处超速、超载、疲劳驾驶等交通违法行为。", "《道路交通安全法》"),
        (S, "负责烟花爆竹、民用爆炸物品的公共安全管理和运输安全监管。", "《烟花爆竹安全管理条例》"),
    ],
    "shichang": [
        (
            S,
            "负责特种设备安全监督管理，组织开展电梯、锅炉、压力容器、起重机械等安全检查。",
            "《特种设备安全法》",
        ),
        (
            S,
            "负责工业产品质量安全监督管理，依法查处生产销售不合格燃气具、电动自行车等行为。",
            "《产品质量法》",
        ),
    ],
    "xiaofang": [
        (S, "负责消防监督检查，督促人员密集场所、九小场所落实消防安全主体责任。", "《消防法》"),
        (OTHER, "承担火灾扑救和以抢救人员生命为主的应急救援工作。", "《消防法》"),
    ],
}
TOWN_DUTIES = [
    (
        T,
        "贯彻落实安全生产法律法规和区委、区政府安全生产工作部署，研究解决本辖区安全生产重大问题。",
        f"{LAW}第九条第二款",
    ),
    (
        T,
        "按照职责对本辖区内生产经营单位安全生产状况进行监督检查，协助区有关部门依法履行监督管理职责。",
        f"{LAW}第九条第二款",
    ),
    (
        T,
        "健全镇（街）、村（社区）安全生产网格化监管体系，组织网格员开展日常巡查，及时报告和处置安全隐患。",
        "区安委会网格化管理办法",
    ),
    (T, "组织开展本辖区安全生产宣传教育、应急演练和“安全生产月”活动。", f"{LAW}第十三条"),
    (
        OTHER,
        "发生生产安全事故后，按规定及时报告，组织先期处置，配合开展事故调查处理。",
        "《生产安全事故报告和调查处理条例》",
    ),
]
LEADERS = {
    "yingji": [
        (
            "局长",
            "黄志强",
            "主持全局工作，对本系统安全生产工作负全面领导责任\n组织研究部署全区安全生产综合监管重点工作",
        ),
        (
            "分管副局长",
            "刘海涛",
            "分管危险化学品、工贸行业安全监管，对分管领域安全生产负直接领导责任\n每季度至少带队开展一次重点企业检查",
        ),
    ],
    "zhujian": [
        ("局长", "吴海", "对建设工程施工安全和燃气安全监管工作负全面领导责任"),
        ("分管副局长", "高峰", "分管质量安全监督站，组织开展危大工程专项检查\n督促落实燃气安全专项整治任务"),
    ],
}


def _past(ctx: DemoContext, days: int) -> date:
    return ctx.today - timedelta(days=days)


def build(ctx: DemoContext) -> None:
    orgs = ctx.organisations
    office_user = ctx.users["anweiban"]
    committee = orgs["committee"]
    founded = date(ctx.today.year - 2, 3, 1)

    # --- the 安委会: posts and holders (the executive deputy changed last year: both terms kept) --------
    for rank, title, holder, position in DISTRICT_POSTS:
        post = services.add_post(committee, rank, title)
        if rank == PostRank.EXECUTIVE_DEPUTY:
            services.appoint(post, "钟文", founded, "原副区长", "青政任〔2024〕3号")
            services.appoint(post, holder, _past(ctx, 200), position, "青政任〔2026〕5号")
        else:
            services.appoint(post, holder, founded, position)
    services.add_member(committee, orgs["office"], founded, "王安委", "安委办副主任", "13900000001")
    for index, (key, _name, _short, _sectors) in enumerate(DEPARTMENTS):
        services.add_member(
            committee,
            orgs[key],
            founded,
            LIAISONS[index % len(LIAISONS)],
            "安全生产股股长",
            f"1380000{index:04d}",
        )
    for index, town in enumerate(ctx.towns):
        services.add_member(
            committee,
            orgs[f"town:{town.code}"],
            founded,
            LIAISONS[-1 - index],
            "应急管理办主任",
            f"1370000{index:04d}",
        )

    # --- the 专委会: lead department as 主任 unit, members; one member left and was replaced ----------------
    for name, lead in SPECIAL_COMMITTEES:
        special = orgs[name]
        post = services.add_post(special, PostRank.DIRECTOR, f"{orgs[lead].short_name}主要负责人")
        services.appoint(post, f"{orgs[lead].short_name}局长", founded)
        services.add_member(special, orgs[lead], founded, "", "牵头单位", "")
        for key in SPECIAL_MEMBERS.get(name, []):
            services.add_member(special, orgs[key], founded, LIAISONS[len(key) % len(LIAISONS)], "联络员", "")
    hazchem = orgs["危险化学品安全专业委员会"]
    leaving = hazchem.committee_members.get(organisation=orgs["shangwu"])
    services.end_membership(leaving, _past(ctx, 120), "职责调整：成品油流通环节安全监管划转")
    services.add_member(hazchem, orgs["nongye"], _past(ctx, 120), "马超", "联络员", "13800009999")

    # --- responsibility lists: the office enters them (confirmed); departments with their own staff draft
    # their items themselves — the office confirms 应急局's, 住建局's waits (to-do list) --------------------
    unit_users = {"yingji": ctx.users["yingji"], "zhujian": ctx.users["zhujian"]}
    for key, duties in DEPARTMENT_DUTIES.items():
        for order, (category, text, basis) in enumerate(duties):
            item = DutyItem(
                organisation=orgs[key], category=category, text=text, basis=basis, sort_order=order
            )
            services.save_duty_item(unit_users.get(key, office_user), item)
    services.confirm_list(office_user, orgs["yingji"])
    for key, leaders in LEADERS.items():
        for order, (post, name, duties) in enumerate(leaders):
            services.save_leader_duty(
                unit_users.get(key, office_user),
                LeaderDuty(organisation=orgs[key], post=post, name=name, duties=duties, sort_order=order),
            )
    for town in ctx.towns:
        town_org = orgs[f"town:{town.code}"]
        for order, (category, text, basis) in enumerate(TOWN_DUTIES):
            services.save_duty_item(
                office_user,
                DutyItem(organisation=town_org, category=category, text=text, basis=basis, sort_order=order),
            )
        services.save_leader_duty(
            office_user,
            LeaderDuty(
                organisation=town_org,
                post="党（工）委书记、镇长（主任）",
                name=f"{town.name[:2]}书记",
                duties="对本辖区安全生产工作负总责，实行党政同责\n每季度至少召开一次安全生产专题会议",
            ),
        )
    # A town drafts a new item itself: it waits for the office's confirmation.
    qingshi_user = ctx.users["qingshi"]
    services.save_duty_item(
        qingshi_user,
        DutyItem(
            organisation=qingshi_user.organisation,
            category=T,
            text="督促辖区农家乐、民宿等经营场所落实燃气和消防安全措施。",
            basis="区安委会2026年工作要点",
            sort_order=9,
        ),
    )

    # --- meetings ------------------------------------------------------------------------------------------
    members = [m.organisation for m in services.members_on(committee, ctx.today)]
    plenary = _meeting(
        ctx,
        committee,
        MeetingKind.PLENARY,
        f"{ctx.today.year}年区安委会第一次全体会议",
        _past(ctx, 60),
        "区政府三楼常务会议室",
        "李建国（区安委会主任）",
        "会议传达学习了上级安全生产工作部署，通报了全区前期安全生产形势，研究部署了重点行业领域安全生产专项整治工作。",
    )
    services.record_attendance(plenary, members[:-2], members[-2:], "外出参加市级培训，书面请假")
    first = services.add_decision(
        plenary,
        "区应急局牵头，会同区住建局、区市场监管局，于一个月内完成城镇燃气安全专项排查整治，形成整治台账报区安委办。",
        [orgs["yingji"], orgs["zhujian"]],
        _past(ctx, -30),
    )
    services.add_decision(
        plenary,
        "各镇街对辖区“三合一”场所开展全覆盖排查，发现的重大事故隐患一律挂牌督办。",
        [orgs[f"town:{t.code}"] for t in ctx.towns[:3]],
        _past(ctx, 10),
    )
    special = _meeting(
        ctx,
        hazchem,
        MeetingKind.SPECIAL_COMMITTEE,
        "危险化学品安全专委会季度会议",
        _past(ctx, 20),
        "区应急管理局会议室",
        "黄志强（区应急管理局局长）",
        "会议分析了危险化学品领域安全风险，部署开展重大危险源企业专项检查。",
    )
    services.record_attendance(special, [m.organisation for m in services.members_on(hazchem, ctx.today)], [])
    services.add_decision(
        special,
        "区应急局组织对全区重大危险源企业开展一轮专家指导服务，年底前全覆盖。",
        [orgs["yingji"]],
        date(ctx.today.year, 12, 31),
    )
    if services.supervision_available():
        try:
            services.turn_into_task(office_user, first)
        except ValidationError as exc:  # the 督办 app refused (e.g. its own rules): the demo goes on
            ctx.log.append(f"议定事项未转督办：{'；'.join(exc.messages)}")
    ctx.log.append("安委会：职位、成员单位、责任清单、会议和议定事项已生成")


def _meeting(ctx, committee, kind, title, held_on, place, chaired_by, minutes):
    from .models import Meeting

    meeting = Meeting(
        committee=committee,
        kind=kind,
        title=title,
        held_on=held_on,
        place=place,
        chaired_by=chaired_by,
        minutes=minutes,
    )
    meeting.full_clean(exclude=["territory"])
    meeting.save()
    return meeting
