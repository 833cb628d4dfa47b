"""Demo data: a 上级督查 of the demo district by the city's 安委会 with eight problems — some closed with evidence,
some in progress, one reported and waiting for review, one overdue — and a 本级督查 of a town by the district
office. Everything goes through the services, acting as the demo users."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.core.context import acting_as

from . import services
from .models import VisitKind


def _evidence(name="整改佐证.jpg"):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (200, 228, 205))
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 90, 360, 270), outline=(40, 140, 70), width=10)
    draw.line((170, 190, 230, 240, 320, 130), fill=(40, 140, 70), width=14)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# (description, category, basis, unit key, days from feedback to deadline, outcome)
# outcome: closed / reported / progress / measures / overdue / pending
CITY_PROBLEMS = [
    (
        "区安委会全体会议年内仅召开1次，未按要求每季度研究安全生产工作。",
        "responsibility",
        "《地方党政领导干部安全生产责任制规定》第五条",
        "office",
        30,
        "closed",
    ),
    (
        "部分危险化学品企业重大危险源包保责任人未按要求开展履职检查，检查记录不全。",
        "hazard",
        "《危险化学品企业重大危险源安全包保责任制办法（试行）》",
        "yingji",
        45,
        "closed",
    ),
    (
        "在建工地深基坑专项施工方案论证流于形式，监理日志未记录巡查情况。",
        "enforcement",
        "《危险性较大的分部分项工程安全管理规定》第十条",
        "zhujian",
        60,
        "reported",
    ),
    (
        "青石镇“九小场所”消防安全排查台账不完整，部分场所未建档。",
        "foundation",
        "",
        "town:990102101",
        40,
        "progress",
    ),
    (
        "柳河镇山塘水库汛前安全检查未覆盖全部点位，应急物资储备不足。",
        "emergency",
        "",
        "town:990102102",
        50,
        "measures",
    ),
    (
        "年度安全生产监管执法计划执行进度滞后，重点企业检查覆盖率偏低。",
        "enforcement",
        "《安全生产法》第六十二条",
        "yingji",
        20,
        "overdue",
    ),
    (
        "道路运输企业动态监控值守人员配备不足，超速报警处置不及时。",
        "enforcement",
        "",
        "jiaotong",
        45,
        "pending",
    ),
    (
        "安全生产举报奖励制度宣传不到位，群众知晓率低。",
        "foundation",
        "《安全生产领域举报奖励办法》",
        "office",
        60,
        "closed",
    ),
]


def build(ctx) -> None:
    office_user = ctx.users["anweiban"]
    orgs = ctx.organisations
    today = ctx.today
    district = ctx.district
    actors = {
        "office": None,  # the office's own problems are reported by a second office user, created below
        "yingji": ctx.users["yingji"],
        "zhujian": ctx.users["zhujian"],
        "town:990102101": ctx.users["qingshi"],
        "town:990102102": ctx.users["liuhe"],
        "jiaotong": None,
    }
    # The office's own problems are reported by its 综合科 staff and closed by the deputy director (王安委):
    # the closer is never the reporter.
    from anjian.core.roles import Role

    actors["office"] = ctx.add_user(
        "anweiban2",
        "黄综合",
        Role.OFFICE,
        district,
        orgs["office"],
        title="安委办综合科科员",
        phone="13900000008",
    )

    start = today - timedelta(days=40)
    fed_back = start + timedelta(days=4)
    with acting_as(user=office_user, label=office_user.name):
        visit = services.register_visit(
            actor=office_user,
            title="江州市安委会2026年安全生产督查",
            kind=VisitKind.HIGHER,
            inspecting_body_name="江州市安全生产委员会",
            leader="周建华（市应急管理局副局长）",
            members="吴敏（市安委办综合科科长）、郑强（市住建局质安站站长）、何丽（市交通运输局安全科科长）",
            start_on=start,
            end_on=start + timedelta(days=2),
            territory=district,
            targets=[
                orgs["office"],
                orgs["yingji"],
                orgs["zhujian"],
                orgs["town:990102101"],
                orgs["town:990102102"],
            ],
            feedback_summary="青山区安全生产责任体系基本健全，但部分领域监管存在薄弱环节，请对照问题清单逐项整改。",
        )
        problems = []
        for description, category, basis, unit_key, days, outcome in CITY_PROBLEMS:
            problem = services.add_problem(
                visit,
                actor=office_user,
                description=description,
                category=category,
                basis=basis,
                responsible_unit=orgs[unit_key],
                deadline=fed_back + timedelta(days=days),
            )
            problems.append((problem, unit_key, days, outcome))
        services.feed_back(visit, actor=office_user, fed_back_on=fed_back)

    for problem, unit_key, days, outcome in problems:
        if outcome == "pending":
            continue
        actor = actors[unit_key]
        with acting_as(user=actor, label=actor.name):
            deadline = fed_back + timedelta(days=days)
            services.set_measures(
                problem,
                actor=actor,
                measures="对照问题逐项制定整改措施：明确责任科室，完善制度台账，开展专项检查，按期报送整改情况。",
                responsible_person=actor.name,
                responsible_post=actor.title or "分管负责人",
                deadline=deadline,
            )
            if outcome in ("progress", "reported", "closed"):
                services.report_progress(
                    problem,
                    actor=actor,
                    note="已完成排查摸底，正在逐项整改。",
                    files=[_evidence("整改进展.jpg")],
                )
            if outcome in ("reported", "closed"):
                services.report_done(
                    problem,
                    actor=actor,
                    note="已按整改措施全部整改到位，相关制度和台账已完善。",
                    files=[_evidence()],
                )
        if outcome == "closed":
            with acting_as(user=office_user, label=office_user.name):
                services.close(problem, actor=office_user, opinion="经核查，整改到位，同意销号。")

    # 本级督查 of a town by the district office.
    qingshi = ctx.territories["990102101"]
    with acting_as(user=office_user, label=office_user.name):
        town_visit = services.register_visit(
            actor=office_user,
            title="青石镇汛期安全生产专项督查",
            kind=VisitKind.OWN,
            inspecting_org=orgs["office"],
            leader="王安委（区安委办副主任）",
            members="张执法（区应急局）、赵质安（区住建局）",
            start_on=today - timedelta(days=12),
            end_on=today - timedelta(days=11),
            territory=qingshi,
            targets=[orgs["town:990102101"]],
        )
        for description, days in (
            ("镇应急救援队伍汛期值班表未张贴公示，值班人员联系方式不全。", 15),
            ("部分村级地质灾害隐患点未设置警示标志。", 30),
        ):
            services.add_problem(
                town_visit,
                actor=office_user,
                description=description,
                category="emergency",
                responsible_unit=orgs["town:990102101"],
                deadline=today + timedelta(days=days),
            )
        services.feed_back(town_visit, actor=office_user, fed_back_on=today - timedelta(days=10))
    ctx.log.append("督查 2 次，督查问题 10 个")
