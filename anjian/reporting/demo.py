"""Demo data: three templates — 月度安全生产工作情况 (towns → district office), 季度隐患排查治理统计表 (HZ-16,
enterprises, piloted in 青石镇's hazardous-chemicals units) and 专项行动进展表 (departments, one-off) — and the
last months of reports: most submitted on time, one late, one returned, one missing, some confirmed. Everything
goes through the services, in the past where it happened (core.demo.clock_at)."""

from contextlib import nullcontext
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from anjian.core.context import acting_as
from anjian.core.demo import clock_at
from anjian.core.roles import Role

from . import services
from .models import Frequency, ReceiverKind, Report, ReporterKind, ReportTemplate, TemplateField

MONTHLY_FIELDS = [
    # (section, key, label, kind, unit, metric or "", required)
    ("隐患排查治理", "hazards_found", "排查发现隐患", "integer", "项", "hazards_found", True),
    (
        "隐患排查治理",
        "hazards_major_found",
        "其中：重大事故隐患",
        "integer",
        "项",
        "hazards_major_found",
        True,
    ),
    ("隐患排查治理", "hazards_rectified", "已整改隐患", "integer", "项", "hazards_rectified", True),
    ("隐患排查治理", "hazards_overdue", "逾期未整改隐患", "integer", "项", "hazards_overdue", True),
    ("监督检查", "inspections_done", "开展检查", "integer", "次", "inspections_done", True),
    ("事故", "accidents", "生产安全事故", "integer", "起", "accidents", True),
    ("事故", "accident_deaths", "事故死亡人数", "integer", "人", "accident_deaths", True),
    ("举报投诉", "tips_received", "受理群众举报", "integer", "件", "tips_received", True),
    ("宣传培训", "meetings", "召开安全生产会议", "integer", "次", "", True),
    ("宣传培训", "trainees", "培训人数", "integer", "人次", "", True),
    ("宣传培训", "training_funds", "安全投入（培训宣传）", "decimal", "元", "", False),
]
HZ16_FIELDS = [
    ("隐患排查", "hazards_found", "排查发现隐患", "integer", "项", "hazards_found", True),
    ("隐患排查", "hazards_major_found", "其中：重大事故隐患", "integer", "项", "hazards_major_found", True),
    ("隐患治理", "hazards_rectified", "已整改隐患", "integer", "项", "hazards_rectified", True),
    (
        "隐患治理",
        "hazards_major_rectified",
        "其中：已整改重大事故隐患",
        "integer",
        "项",
        "hazards_major_rectified",
        True,
    ),
    ("隐患治理", "hazards_overdue", "逾期未整改隐患", "integer", "项", "hazards_overdue", True),
    ("隐患治理", "hazard_funds", "整改投入资金", "decimal", "元", "hazard_funds", True),
    ("自查", "self_checks", "组织自查次数", "integer", "次", "", True),
]
CAMPAIGN_FIELDS = [
    ("进展", "units_checked", "检查企业", "integer", "家", "", True),
    ("进展", "problems_found", "发现问题", "integer", "个", "", True),
    ("进展", "problems_fixed", "整改问题", "integer", "个", "", True),
    ("执法", "enforcement_cases", "行政处罚立案", "integer", "件", "enforcement_cases", True),
    ("执法", "enforcement_fines", "罚款金额", "decimal", "元", "enforcement_fines", True),
]
NARRATIVES = [
    "召开镇街安委会全体会议，部署汛期和岁末年初安全防范工作；对辖区重点企业开展拉网式排查。",
    "开展燃气安全专项整治，入户检查餐饮场所，督促安装燃气泄漏报警装置。",
    "组织危化品企业负责人培训，开展有限空间作业专项检查。",
    "对建筑工地开展起重机械、高处作业专项检查，约谈问题较多的施工单位。",
    "开展消防安全进社区宣传，清理电动自行车楼道充电问题。",
    "配合区应急局开展非煤矿山复产复工验收，排查尾矿库汛期安全。",
    "对九小场所开展消防安全检查，发现问题当场交办整改。",
    "园区企业开展双重预防机制建设回头看，重大危险源包保责任人履职检查。",
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Timeline:
    """Runs each step at its moment in the past; a moment not yet come runs now (keeps the audit in order)."""

    def __init__(self):
        self.now = timezone.now()

    def at(self, moment: datetime):
        if moment >= self.now - timedelta(minutes=5):
            return nullcontext()
        return clock_at(moment)


def _template(owner, fields, territory=None, sectors=(), **values) -> ReportTemplate:
    template = ReportTemplate.objects.create(owner=owner, territory=territory or owner.territory, **values)
    if sectors:
        template.sectors.set(sectors)
    for order, (section, key, label, kind, unit, metric, required) in enumerate(fields, start=1):
        TemplateField.objects.create(
            template=template,
            section=section,
            key=key,
            label=label,
            kind=kind,
            unit=unit,
            source=TemplateField.Source.AUTO if metric else TemplateField.Source.MANUAL,
            metric=metric,
            required=required,
            order=order * 10,
        )
    return template


def _fill(report, user, index, narrative=True, signer=None):
    values = {
        "meetings": 2 + index % 3,
        "trainees": 40 + 15 * index,
        "training_funds": f"{1200 + 300 * index}.00",
    }
    values.update(
        self_checks=3 + index % 2,
        units_checked=12 + index,
        problems_found=20 + index,
        problems_fixed=15 + index,
    )
    keys = {d["key"] for d in services.field_definitions(report.template)}
    values = {k: v for k, v in values.items() if k in keys}
    services.save_draft(
        report,
        user,
        values,
        NARRATIVES[index % len(NARRATIVES)] if narrative else "",
        signer or user.name,
        True,
    )
    return services.submit(report, user)


def build(ctx) -> None:
    office = ctx.organisations["office"]
    office_user = ctx.users["anweiban"]
    today = ctx.today
    this_month = today.replace(day=1)
    m1 = (this_month - timedelta(days=1)).replace(day=1)  # last month
    m2 = (m1 - timedelta(days=1)).replace(day=1)
    m3 = (m2 - timedelta(days=1)).replace(day=1)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = (quarter_start - timedelta(days=1)).replace(day=1)
    last_quarter = last_quarter.replace(month=3 * ((last_quarter.month - 1) // 3) + 1)
    town_users = {}
    for town in ctx.towns:
        org = ctx.organisations[f"town:{town.code}"]
        existing = next(
            (u for u in ctx.users.values() if u.role == Role.TOWN and u.organisation_id == org.pk), None
        )
        town_users[org.pk] = existing or ctx.add_user(
            f"town{town.code[-3:]}",
            f"{town.name}安办",
            Role.TOWN,
            town,
            org,
            phone=f"1390000{town.code[-3:]}0",
        )
    timeline = _Timeline()

    with timeline.at(_at(m3, 8)), acting_as(user=office_user, label=office_user.name):
        monthly = _template(
            office,
            MONTHLY_FIELDS,
            name="月度安全生产工作情况",
            code="monthly-work",
            description="各镇街于次月5日前报送上月安全生产工作情况；隐患、检查、事故、举报数据由平台自动生成，会议、培训情况手工填写。",
            basis="区安委会安全生产工作规则（信息报送）",
            frequency=Frequency.MONTHLY,
            due_months_after=1,
            due_day=5,
            starts_on=m3,
            reporter_kind=ReporterKind.TOWNS,
            receiver_kind=ReceiverKind.OFFICE_ABOVE,
        )
        hz16 = _template(
            office,
            HZ16_FIELDS,
            territory=ctx.territories["990102101"],
            sectors=[ctx.sectors["hazchem"]],
            name="季度隐患排查治理统计表",
            code="hazard-statistics-quarterly",
            description="生产经营单位每季度对本单位隐患排查治理情况进行统计分析，于下一季度15日前报送，须经主要负责人签字。"
            "（试点：青石镇危险化学品企业）",
            basis="《安全生产事故隐患排查治理暂行规定》（总局令第16号）第十四条第一款",
            frequency=Frequency.QUARTERLY,
            due_months_after=1,
            due_day=15,
            starts_on=last_quarter,
            reporter_kind=ReporterKind.ENTERPRISES,
            receiver_kind=ReceiverKind.SUPERVISORS,
            requires_principal_signature=True,
        )
        _template(
            office,
            HZ16_FIELDS,
            territory=ctx.territories["990102101"],
            sectors=[ctx.sectors["hazchem"]],
            name="年度隐患排查治理统计表",
            code="hazard-statistics-yearly",
            description="生产经营单位于次年1月31日前报送上一年度隐患排查治理统计分析表，须经主要负责人签字。",
            basis="《安全生产事故隐患排查治理暂行规定》（总局令第16号）第十四条第一款",
            frequency=Frequency.YEARLY,
            due_months_after=1,
            due_day=31,
            starts_on=date(today.year, 1, 1),
            reporter_kind=ReporterKind.ENTERPRISES,
            receiver_kind=ReceiverKind.SUPERVISORS,
            requires_principal_signature=True,
        )
        campaign = _template(
            office,
            CAMPAIGN_FIELDS,
            name="专项行动进展表",
            code="campaign-progress",
            description="安全生产治本攻坚专项行动：各成员单位报送上月工作进展。",
            frequency=Frequency.ONCE,
            once_start=m1,
            once_end=this_month - timedelta(days=1),
            once_due=this_month + timedelta(days=9),
            starts_on=m1,
            reporter_kind=ReporterKind.DEPARTMENTS,
            receiver_kind=ReceiverKind.OFFICE_ABOVE,
        )

    def reports(template, start):
        return {r.reporter_org_id: r for r in Report.objects.filter(template=template, period_start=start)}

    def generate(day):
        with timeline.at(_at(day, 7)):
            services.generate_reports(day)

    # Month m3: everyone on time, half confirmed.
    generate(m2)
    rows = reports(monthly, m3)
    with timeline.at(_at(m2 + timedelta(days=2), 10)):
        for index, org_id in enumerate(town_users):
            _fill(rows[org_id], town_users[org_id], index)
    with timeline.at(_at(m2 + timedelta(days=8), 9)):
        for org_id in list(town_users)[:4]:
            services.confirm_report(rows[org_id], office_user)

    # The last quarter's HZ-16 table of enterprise A, signed by its 主要负责人.
    enterprise_a = ctx.enterprises["a"]
    quarter_end = quarter_start - timedelta(days=1)
    generate(quarter_end + timedelta(days=1))
    statistics = Report.objects.filter(
        template=hz16, reporter_enterprise=enterprise_a, period_start=last_quarter
    ).first()
    if statistics is not None:
        with timeline.at(_at(quarter_end + timedelta(days=12), 15)):
            _fill(statistics, ctx.users["qiye_a"], 0, signer=enterprise_a.principal_name)

    # Month m2: on time, except one returned, one late and one missing.
    generate(m1)
    rows = reports(monthly, m2)
    towns = list(town_users)
    returned, late, missing = towns[4], towns[5], towns[6]
    with timeline.at(_at(m1 + timedelta(days=3), 10)):
        for index, org_id in enumerate(towns):
            if org_id not in (late, missing):
                _fill(rows[org_id], town_users[org_id], index + 1)
    with timeline.at(_at(m1 + timedelta(days=5), 9)):
        services.return_report(rows[returned], office_user, "培训人数与培训签到表不符，请核实后重新报送。")
        services.confirm_report(rows[towns[0]], office_user)
    with timeline.at(_at(m1 + timedelta(days=9), 16)):
        _fill(rows[late], town_users[late], 5)

    # Month m1 (due this month): two towns have already reported; the campaign table of the 应急局.
    generate(today)
    rows = reports(monthly, m1)
    for index, org_id in enumerate(towns[:2]):
        _fill(rows[org_id], town_users[org_id], index + 2)
    campaign_rows = reports(campaign, m1)
    yingji = ctx.organisations["yingji"]
    if yingji.pk in campaign_rows:
        _fill(campaign_rows[yingji.pk], ctx.users["yingji"], 3)
    ctx.log.append(f"报表报送：模板 4 个，报表 {Report.objects.count()} 份")
