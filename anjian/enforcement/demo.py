"""Demo data for enforcement: cases in every stage (by 区应急局 张执法, approved by 安委办 王安委), measures with
an upper-limit fine, a stop order awaiting 复产验收, numbered documents, punishable findings (some unlinked, one
with an approved no-penalty reason, one pending), a repeat offender, and two 约谈. Deterministic."""

from datetime import timedelta
from decimal import Decimal

from anjian.core.context import acting_as

from . import publication, services
from .models import Case, Measure, NoPenaltyReason, Provision, Talk, ViolationFinding
from .provisions import seed_provisions


def build(ctx) -> None:
    seed_provisions(Provision)
    inspector = ctx.users["yingji"]
    office = ctx.users["anweiban"]
    partner = ctx.users["yingji2"]  # 协办人: 行政处罚法 第四十二条, two officers per case
    hazchem = ctx.sectors["hazchem"]
    from anjian.registry.models import Enterprise

    units = list(Enterprise.objects.filter(sectors=hazchem).order_by("id")[:8])
    if len(units) < 3:
        ctx.log.append("执法：危险化学品单位不足，跳过")
        return
    p = {code: Provision.objects.get(code=code) for code in ("L1-102", "L1-101", "L1-99", "R16-26")}
    rng = ctx.rng
    with acting_as(user=inspector, label=inspector.name):
        findings = []
        texts = [
            ("储罐区静电接地缺失，责令整改后逾期未改", "L1-102", True),
            ("未建立事故隐患排查治理制度", "L1-101", False),
            ("可燃气体报警装置未投用", "L1-99", False),
            ("隐患排查治理情况未如实记录", "R16-26", False),
            ("重大危险源监控系统数据缺失", "L1-102", True),
            ("特殊作业未办理作业票", "L1-102", False),
        ]
        for i, (text, code, major) in enumerate(texts * 2):
            unit = units[i % 3]  # three units, so repeat offenders show up
            findings.append(
                ViolationFinding.objects.create(
                    source="hazard" if i % 3 else "inspection",
                    source_reference=f"DEMO-{i + 1:03d}",
                    enterprise=unit,
                    territory=unit.territory,
                    sector=hazchem,
                    description=text,
                    provision=p[code],
                    is_major_hazard=major,
                    rectified=rng.random() < 0.5,
                    found_on=ctx.today - timedelta(days=5 + 7 * i),
                    created_by=inspector,
                )
            )

        def case_for(finding, days_ago):
            case = Case(
                title=f"{finding.enterprise.name}{finding.description[:20]}案",
                enterprise=finding.enterprise,
                territory=finding.enterprise.territory,
                sector=hazchem,
                source_kind="hazard" if finding.source == "hazard" else "inspection",
                source_description=finding.source_reference,
                facts=f"经查，{finding.enterprise.name}{finding.description}。",
                filed_on=ctx.today - timedelta(days=days_ago),
                co_handler=partner,
            )
            case = services.open_case(case, inspector, findings=[finding])
            if finding.provision_id:
                case.provisions.add(finding.provision)
            return case

        def fine(case, amount, code="L1-102"):
            return services.add_measure(
                Measure(case=case, measure="fine", provision=p[code], amount=Decimal(amount)), inspector
            )

        def decide(case):
            services.transition(case, "investigate", inspector)
            services.transition(case, "notify", inspector)
            services.record_hearing(case, inspector, waived=True)
            return services.transition(case, "decide", office)

        # 立案
        case_for(findings[5], 3)
        # 调查取证 with a proposed fine
        c = case_for(findings[3], 10)
        fine(c, "20000", "R16-26")
        services.transition(c, "investigate", inspector)
        # 查封扣押 of a non-compliant compressor: the 处理决定 is due within 15 days (HZ-46)
        services.issue_document(
            c,
            "seizure",
            inspector,
            details={
                "place": "压缩机房",
                "start_on": str(ctx.today - timedelta(days=9)),
                "days": "30",
                "reason": "压缩机安全联锁装置拆除，不符合保障安全生产的国家标准。",
                "items": "氢气压缩机，2D12-100，1台",
            },
        )
        # 告知 (hearing window open)
        c = case_for(findings[2], 20)
        fine(c, "30000", "L1-99")
        services.transition(c, "investigate", inspector)
        services.transition(c, "notify", inspector)
        services.issue_document(c, "penalty_notice", inspector)
        # 决定: upper-limit fine + order to rectify, decision issued
        c = case_for(findings[0], 40)
        fine(c, "50000")
        services.add_measure(
            Measure(
                case=c,
                measure="order_rectification",
                provision=p["L1-102"],
                deadline=ctx.today + timedelta(days=5),
            ),
            inspector,
        )
        # 现场处理措施: a temporary stop of the tank farm for 3 months (HZ-45: 一般不超过6个月)
        services.issue_document(
            c,
            "onsite_measures",
            inspector,
            details={
                "measure": "stop_use",
                "start_on": str(ctx.today - timedelta(days=40)),
                "end_on": str(ctx.today - timedelta(days=40) + timedelta(days=90)),
            },
        )
        decide(c)
        services.issue_document(c, "decision_unit", inspector)
        # 执行: stop order executed, 复产验收 pending
        c = case_for(findings[4], 60)
        fine(c, "40000")
        stop = services.add_measure(
            Measure(case=c, measure="suspend_for_rectification", provision=p["L1-102"]), inspector
        )
        decide(c)
        services.issue_document(c, "decision_unit", inspector)
        publication.publish(c.publication, inspector)  # 行政处罚信息公示 (LAW-15)
        services.transition(c, "serve_and_execute", inspector)
        services.execute_measure(stop, inspector)
        # 结案
        c = case_for(findings[6], 80)
        m = fine(c, "10000", "L1-101")
        decide(c)
        services.issue_document(c, "decision_unit", inspector)
        publication.publish(c.publication, inspector)
        services.transition(c, "serve_and_execute", inspector)
        services.execute_measure(Measure.objects.get(pk=m.pk), inspector)
        services.transition(c, "close", inspector, note="罚款已缴纳")
        # 移送: suspected crime (行政处罚法 第二十七条)
        c = case_for(findings[7], 100)
        services.transition(c, "transfer", inspector, transfer_to="江州市公安局青山分局")

        # No-penalty reasons: one approved, one pending (shows on the unlinked list).
        services.record_no_penalty_reason(
            NoPenaltyReason(
                finding=findings[8],
                category="self_reported",
                explanation="企业自查自报，已列入整改计划并完成整改",
            ),
            inspector,
        )
        reason = NoPenaltyReason.objects.get(finding=findings[8])
    with acting_as(user=office, label=office.name):
        services.review_no_penalty_reason(reason, office, True, "属实，同意不予立案")
    with acting_as(user=inspector, label=inspector.name):
        services.record_no_penalty_reason(
            NoPenaltyReason(
                finding=findings[9], category="first_minor", explanation="初次违法，危害后果轻微并已改正"
            ),
            inspector,
        )
    with acting_as(user=office, label=office.name):
        Talk.objects.create(
            kind="talk",
            target_kind="unit",
            enterprise=units[0],
            territory=units[0].territory,
            convened_by=ctx.organisations["office"],
            held_on=ctx.today - timedelta(days=15),
            reasons="半年内多次发现重大事故隐患，整改不力",
            trigger_ref="YT-06",
            attendees=f"{units[0].name}主要负责人、安全总监；区安委办、区应急局",
            commitments="20日内完成全部隐患整改并书面报告",
            follow_up_due=ctx.today + timedelta(days=5),
            created_by=office,
        )
        town = ctx.towns[3]
        Talk.objects.create(
            kind="yellow_card",
            target_kind="government",
            target_organisation=ctx.organisations[f"town:{town.code}"],
            territory=town,
            convened_by=ctx.organisations["office"],
            held_on=ctx.today - timedelta(days=30),
            reasons="辖区半年内连续发生生产安全事故，属地监管责任落实不到位",
            trigger_ref="YT-05",
            attendees=f"{town.name}党政主要负责人、分管负责人",
            commitments="开展为期一个月的安全生产大排查大整治",
            follow_up="已提交整改报告，复核中",
            created_by=office,
        )
    ctx.log.append(
        f"执法案件 {Case.objects.count()} 起，违法行为线索 {ViolationFinding.objects.count()} 条，约谈 {Talk.objects.count()} 次"
    )
