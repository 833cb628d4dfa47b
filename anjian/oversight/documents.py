"""Documents from a visit: the 反馈报告 (the problem list as fed back) and the 整改情况报告 (each problem with its
measures, status and evidence). Their 文号 come from core.documents.next_document_number (gap-free, per body and
year), stored on the visit, so printing again gives the same number."""

from django.db.models import Count
from django.utils import timezone

from anjian.core.documents import Heading, KeyValues, OfficialDocument, Paragraph, Table

from . import ledger, services
from .models import ProblemStatus


def _problems(visit):
    return list(
        visit.problems.select_related("responsible_unit")
        .annotate(evidence_count=Count("evidence"))
        .order_by("sequence")
    )


def _date(day) -> str:
    return f"{day:%Y年%m月%d日}" if day else "—"


def _visit_facts(visit) -> KeyValues:
    targets = "、".join(str(o) for o in visit.targets.all()) or visit.territory.name
    return KeyValues(
        [
            ("督查类型", visit.get_kind_display()),
            ("督查单位", visit.inspecting_body or "—"),
            ("督查组组长", visit.leader or "—"),
            ("督查组成员", visit.members or "—"),
            ("督查时间", f"{_date(visit.start_on)}至{_date(visit.end_on)}"),
            ("督查对象", targets),
            ("反馈日期", _date(visit.fed_back_on)),
        ]
    )


def feedback_report(visit, user) -> OfficialDocument:
    """督查反馈报告: what the 督查组 found and what each responsible body must rectify by when."""
    number = services.ensure_document_number(visit, "feedback", actor=user)
    problems = _problems(visit)
    issuer = str(visit.owner_org.name)
    blocks = [
        Paragraph(
            f"{_date(visit.start_on)}至{_date(visit.end_on)}，{visit.inspecting_body}对{visit.territory.name}"
            f"开展了{visit.get_kind_display()}（{visit.title}）。现将督查发现的问题反馈如下，"
            "请各责任单位对照问题清单，制定整改方案，明确整改责任人、整改措施和整改时限，按期完成整改并报送整改情况及佐证材料。"
        ),
        _visit_facts(visit),
    ]
    if visit.feedback_summary:
        blocks += [Heading("总体意见"), Paragraph(visit.feedback_summary)]
    blocks += [
        Heading(f"问题清单（共{len(problems)}项）"),
        Table(
            ["序号", "存在问题", "依据", "整改责任单位", "整改时限"],
            [
                [
                    str(p.sequence),
                    p.description,
                    p.basis or "—",
                    str(p.responsible_unit),
                    f"{p.deadline:%Y-%m-%d}" if p.deadline else "—",
                ]
                for p in problems
            ],
        ),
        Paragraph("整改完成一项、销号一项；未经审核同意，不得自行销号。"),
    ]
    return OfficialDocument(
        issuer=issuer,
        title="安全生产督查反馈报告",
        number=number,
        recipient="各有关单位",
        blocks=blocks,
        issued_on=visit.fed_back_on or timezone.localdate(),
        seal=f"{issuer}（印章）",
    )


def rectification_report(visit, user) -> OfficialDocument:
    """整改情况报告: each problem with its measures, status and evidence count, and the totals."""
    number = services.ensure_document_number(visit, "report", actor=user)
    problems = _problems(visit)
    totals = ledger.totals(visit.problems.all())
    today = timezone.localdate()
    rate = f"{totals['rate']}%" if totals["rate"] is not None else "—"
    blocks = [
        Paragraph(
            f"针对{visit.inspecting_body}{visit.get_kind_display()}（{visit.title}，{_date(visit.fed_back_on)}反馈）"
            f"指出的{totals['total']}个问题，现将整改情况报告如下：已销号{totals['closed']}个，"
            f"已报告整改完成待审核{totals['reported']}个，正在整改{totals['rectifying']}个，"
            f"其中逾期{totals['overdue']}个；整改率{rate}。"
        ),
        Heading("问题整改情况"),
        Table(
            ["序号", "存在问题", "整改责任单位", "整改措施", "整改情况"],
            [
                [
                    str(p.sequence),
                    p.description,
                    str(p.responsible_unit),
                    p.measures or "—",
                    "；".join(
                        [
                            p.get_status_display() + ("（逾期）" if p.overdue_now(today) else ""),
                            f"时限 {p.deadline:%Y-%m-%d}" if p.deadline else "未定时限",
                            f"佐证材料 {p.evidence_count} 份",
                        ]
                    ),
                ]
                for p in problems
            ],
        ),
    ]
    open_ones = [p for p in problems if p.status != ProblemStatus.CLOSED]
    if open_ones:
        blocks += [
            Heading("下一步工作"),
            Paragraph(
                f"对尚未销号的{len(open_ones)}个问题，督促责任单位按整改时限完成整改，逐项审核销号；"
                "逾期未完成的，按规定转为督办事项。"
            ),
        ]
    issuer = str(visit.owner_org.name)
    return OfficialDocument(
        issuer=issuer,
        title="安全生产督查问题整改情况报告",
        number=number,
        recipient=visit.inspecting_body or "",
        blocks=blocks,
        issued_on=today,
        seal=f"{issuer}（印章）",
    )
