"""Building official documents (rules.md §6.3) from a case record; rendered by core.documents as Word or PDF."""

from anjian.core.documents import Heading, KeyValues, OfficialDocument, Paragraph, Table

from .models import CaseDocument, DocumentKind, MeasureStatus

# 行政复议法 (2023修订) 第二十条: 60 days; 行政诉讼法 第四十六条: 6 months (rules.md §6.3 ❓ "check current periods")
REMEDIES = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。"
)


def _party(case):
    enterprise = case.enterprise
    pairs = [("当事人", case.party_display)]
    if enterprise is not None:
        pairs += [("统一社会信用代码", enterprise.credit_code), ("地址", enterprise.address or "")]
    if case.responsible_persons:
        pairs.append(("责任人员", case.responsible_persons))
    return KeyValues(pairs)


def _measures_table(measures):
    return Table(
        ["措施/处罚", "法律依据", "金额（元）", "期限", "备注"],
        [
            [
                m.get_measure_display() + ("（上限处罚）" if m.is_upper_limit else ""),
                str(m.provision) if m.provision_id else "",
                f"{m.amount:,.2f}" if m.amount is not None else "",
                str(m.deadline or ""),
                m.details,
            ]
            for m in measures
        ],
    )


def build(document: CaseDocument) -> OfficialDocument:
    case = document.case
    kind = DocumentKind(document.kind)
    measures = [m for m in case.measures.all() if m.status != MeasureStatus.CANCELLED]
    basis = "；".join(f"{p.law}{p.article}" for p in case.provisions.all()) or "；".join(
        sorted({f"{m.provision.law}{m.provision.article}" for m in measures if m.provision_id})
    )
    issuer = document.issuer
    blocks = [_party(case)]
    note = ""
    signatures = ["执法人员（签字）", "当事人（签收）"]
    if kind == DocumentKind.ONSITE_MEASURES:
        onsite = [
            m
            for m in measures
            if m.measure in ("order_rectification", "seal_or_seize", "suspend_for_rectification")
        ]
        blocks += [
            Heading("一、检查发现的问题"),
            Paragraph(case.facts),
            Heading("二、现场处理措施"),
            Paragraph("依据《中华人民共和国安全生产法》第六十五条，现作出如下现场处理决定："),
            _measures_table(onsite or measures),
        ]
        note = REMEDIES
    elif kind == DocumentKind.PENALTY_NOTICE:
        blocks += [
            Heading("一、违法事实"),
            Paragraph(case.facts),
            Heading("二、法律依据"),
            Paragraph(basis or "—"),
            Heading("三、拟作出的行政处罚"),
            _measures_table([m for m in measures if m.measure not in ("order_rectification",)]),
            Heading("四、当事人的权利"),
            Paragraph(
                "根据《中华人民共和国行政处罚法》第四十四条、第四十五条"
                + ("、第六十三条、第六十四条" if case.hearing_offered else "")
                + f"，你（单位）有权进行陈述和申辩{'，并有权要求听证' if case.hearing_offered else ''}。"
                + (f"请于{case.hearing_deadline}前提出，逾期视为放弃。" if case.hearing_deadline else "")
            ),
        ]
    elif kind in (DocumentKind.DECISION_UNIT, DocumentKind.DECISION_PERSON):
        # 行政处罚法 第五十九条 (rules.md EN-19): facts, basis, type, performance, remedies, authority, date, seal
        penalties = [m for m in measures if m.measure not in ("order_rectification",)]
        total = sum((m.amount or 0) for m in penalties if m.is_fine)
        blocks += [
            Heading("一、违法事实和证据"),
            Paragraph(case.facts),
            Heading("二、违反的规定和处罚依据"),
            Paragraph(basis or "—"),
            Heading("三、行政处罚的种类和数额"),
            _measures_table(penalties),
            Heading("四、履行方式和期限"),
            Paragraph(
                f"罚款合计{total:,.2f}元，限你（单位）自收到本决定书之日起十五日内缴至指定银行或者通过电子支付系统缴纳"
                "（行政处罚法 第六十七条）。到期不缴纳的，每日按罚款数额的百分之三加处罚款（第七十二条）。"
                if total
                else "请按上述决定履行。"
            ),
        ]
        if case.approved_by_id:
            blocks.append(
                KeyValues(
                    [
                        ("负责人审批", case.approved_by.get_full_name() or case.approved_by.username),
                        ("决定日期", str(case.decided_on or "")),
                    ]
                )
            )
        note = REMEDIES
        signatures = ["当事人（签收）"]
    elif kind == DocumentKind.REVIEW_OPINION:
        orders = [m for m in measures if m.measure == "order_rectification"]
        blocks += [
            Heading("一、原责令整改情况"),
            _measures_table(orders),
            Heading("二、复查意见"),
            Paragraph(document.body or "经复查，（已整改/未整改/部分整改）。"),
            Paragraph("对逾期未整改的，依法立案处罚或者责令停产停业整顿（安全生产法 第一百零二条）。"),
        ]
    if document.body and kind != DocumentKind.REVIEW_OPINION:
        blocks.append(Paragraph(document.body))
    blocks.append(KeyValues([("案件编号", case.number), ("承办人", _officers(case))]))
    return OfficialDocument(
        issuer=issuer.name,
        title=kind.label.split("（")[0],
        number=document.number,
        recipient=case.party_display,
        blocks=blocks,
        signatures=signatures,
        issued_on=document.issued_on,
        seal=f"{issuer.name}（印章）",
        note=note,
    )


def _officers(case) -> str:
    people = [u for u in (case.handler, case.co_handler) if u is not None]
    return "、".join(
        f"{u.get_full_name() or u.username}（执法证号 {u.certificate_no or '—'}）" for u in people
    )
