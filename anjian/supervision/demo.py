"""Demo 督办事项: tasks from the 青山区安委办 (and a 专委会) to departments and towns in every state — accepted,
sent back, reported late, overdue, waiting, with an extension request — all made through the services with the
demo's real users. What happened in the past is run at that time (core.demo.clock_at), so the history and the
deadlines agree; a deadline scan at the end shows the reminders and escalations on the task pages."""

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.core.context import acting_as
from anjian.core.demo import clock_at

from . import services
from .models import Task, TaskKind, Urgency

PDF = b"%PDF-1.4\n% demo attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@contextmanager
def _as(user, day=None, hour=10):
    with acting_as(user=user, label=user.get_full_name()):
        if day is None:
            yield
        else:
            with clock_at(_at(day, hour)):
                yield


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build(ctx) -> None:
    users, orgs, today = ctx.users, ctx.organisations, ctx.today
    office, yingji, zhujian = users["anweiban"], users["yingji"], users["zhujian"]
    qingshi, liuhe = users["qingshi"], users["liuhe"]
    office_org = orgs["office"]
    town_qingshi, town_liuhe = orgs["town:990102101"], orgs["town:990102102"]

    def issue(day, **kwargs):
        with _as(office, day, 9):
            return services.issue_task(by=office, **kwargs)

    # 1. Accepted: 应急 reports progress and completion on time; the office accepts; the task is completed.
    day = today - timedelta(days=30)
    task = issue(
        day,
        issuer=orgs["committee"],
        title="危险化学品企业安全风险隐患排查整治",
        content="对辖区全部危险化学品生产、储存企业开展安全风险隐患排查，建立问题清单和整改台账，重大隐患挂牌督办。",
        basis="区安委会2026年第三次全体会议议定事项",
        lead_units=[orgs["yingji"]],
        assisting_units=[orgs["town:990102401"]],
        deadline=day + timedelta(days=20),
        materials="排查整治工作总结、问题清单及整改台账",
        urgency=Urgency.URGENT,
    )
    part = task.assignments.get(unit=orgs["yingji"])
    with _as(yingji, day + timedelta(days=8)):
        services.report_progress(part, by=yingji, text="已完成 23 家企业排查，发现问题 41 项，已整改 30 项。")
    with _as(yingji, day + timedelta(days=18)):
        services.report_progress(
            part,
            by=yingji,
            text="排查整治完成，41 项问题全部整改到位，重大隐患 1 项已销号。",
            final=True,
            files=[_pdf("危化品排查整治工作总结.pdf")],
        )
    with _as(office, day + timedelta(days=19)):
        services.accept(part, by=office, opinion="材料齐全，同意办结。")

    # 2. Sent back: 住建 reports, the office sends it back for a missing ledger; 青石镇 is still working on it.
    day = today - timedelta(days=12)
    task = issue(
        day,
        issuer=office_org,
        title="城镇燃气安全专项整治",
        content="排查餐饮等公共场所燃气使用安全，重点检查燃气报警装置安装和软管老化情况。",
        lead_units=[orgs["zhujian"], town_qingshi],
        deadline=today + timedelta(days=10),
        materials="检查记录、问题整改台账",
        notice_title="关于深入开展城镇燃气安全专项整治的通知",
        notice_number="江安委办〔2026〕12号",
    )
    part = task.assignments.get(unit=orgs["zhujian"])
    with _as(zhujian, day + timedelta(days=6)):
        services.report_progress(part, by=zhujian, text="已检查餐饮场所 86 家，整改完毕。", final=True)
    with _as(office, day + timedelta(days=7)):
        services.send_back(part, by=office, reason="未附问题整改台账，请补充后重新报送。")
    with _as(qingshi, day + timedelta(days=8)):
        services.report_progress(
            task.assignments.get(unit=town_qingshi), by=qingshi, text="已完成辖区 40% 餐饮场所检查。"
        )

    # 3. Reported late: 柳河镇 sends its completion report three days after the deadline; waiting for acceptance.
    day = today - timedelta(days=20)
    task = issue(
        day,
        issuer=office_org,
        title="汛期地质灾害隐患点巡查",
        content="对辖区地质灾害隐患点和危险边坡开展汛前巡查，落实监测责任人和转移避险预案。",
        lead_units=[town_liuhe],
        deadline=day + timedelta(days=10),
        materials="巡查记录、监测责任人名单",
    )
    with _as(liuhe, day + timedelta(days=13)):
        services.report_progress(
            task.assignments.get(),
            by=liuhe,
            text="巡查隐患点 12 处，落实监测责任人 12 名，转移避险预案已修订。",
            final=True,
            files=[_pdf("柳河镇地灾隐患点巡查记录.pdf")],
        )

    # 4. Overdue: 青石镇 has not reported and its deadline passed two days ago (the scan escalates it).
    day = today - timedelta(days=16)
    issue(
        day,
        issuer=office_org,
        kind=TaskKind.ASSIGN,
        title="群众举报小作坊违规储存烟花爆竹核查",
        content="核查群众反映青石村某小作坊违规储存烟花爆竹问题，依法处置并反馈结果。",
        lead_units=[town_qingshi],
        assisting_units=[orgs["gongan"]],
        deadline=today - timedelta(days=2),
    )

    # 5. Waiting, from a 专委会, with a pending extension request from 应急.
    day = today - timedelta(days=3)
    committee = orgs["危险化学品安全专业委员会"]
    task = issue(
        day,
        issuer=committee,
        title="化工园区封闭化管理建设",
        content="按照化工园区安全风险排查治理导则，推进园区封闭化管理和智能化管控平台建设。",
        lead_units=[orgs["yingji"], orgs["town:990102401"]],
        deadline=today + timedelta(days=5),
        materials="建设方案、进度说明",
    )
    with _as(yingji, day + timedelta(days=1)):
        services.request_extension(
            task.assignments.get(unit=orgs["yingji"]),
            by=yingji,
            new_deadline=today + timedelta(days=35),
            reason="智能化管控平台需走政府采购程序，预计一个月后完成。",
        )

    # 6. Issued from an assessment bulletin, if the assessment demo issued one.
    try:
        from anjian.assessment.models import Bulletin, BulletinStatus

        bulletin = Bulletin.objects.filter(status=BulletinStatus.ISSUED).order_by("id").first()
    except ImportError:  # pragma: no cover
        bulletin = None
    if bulletin is not None:
        issue(
            today,
            issuer=office_org,
            title="考核通报问题整改",
            content="针对通报中指出的隐患整改率偏低问题，制定整改措施并报送整改情况。",
            lead_units=[town_liuhe, orgs["zhujian"]],
            deadline=today + timedelta(days=20),
            source=bulletin,
        )

    # The engine's scan shows reminders and escalations on the task pages.
    from anjian.notifications.services import scan_deadlines

    scan_deadlines(timezone.now())
    ctx.log.append(f"督办事项 {Task.objects.count()} 项")
