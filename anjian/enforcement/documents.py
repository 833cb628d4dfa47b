"""Building official documents (rules.md §6.3, 《安全生产执法文书样式》) from a case record and the document's own
details (document_details); rendered by core.documents as Word or PDF. Also the case file's table of contents
(卷宗目录).

The case file (卷宗目录) is case_file.py. Three layouts, as the template set has them: 审批表 (a grid of the case with opinions and approvals), 笔录/凭证/回执
(a record signed by the people present) and 通知书/决定书 (addressed to the party, sealed, with remedies).
"""

from datetime import date

from anjian.core.documents import Heading, KeyValues, OfficialDocument, Paragraph, Table

from . import rules
from .document_details import display_value as shown
from .document_details import fields_for
from .models import CaseDocument, DocumentKind, MeasureStatus

K = DocumentKind

# 行政复议法 (2023修订) 第二十条: 60 days; 行政诉讼法 第四十六条: 6 months (rules.md §6.3 ❓ "check current periods")
REMEDIES = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。"
)
# 行政强制法 第八条: 对行政强制 likewise 复议 or 诉讼
COERCION_REMEDIES = REMEDIES
# rules.md §6.3 ("signatures on every page") — the usual closing line of a 笔录 ❓ wording varies by province
RECORD_CONFIRMATION = "以上笔录我已看过（已向我宣读过），与我所说（所见）的相符。"


# --- pieces ------------------------------------------------------------------------------------------------


def _name(user) -> str:
    return (user.name or user.username) if user is not None else ""


def officers_line(case) -> str:
    people = [u for u in (case.handler, case.co_handler) if u is not None]
    return "、".join(f"{_name(u)}（执法证号 {u.certificate_no or '—'}）" for u in people)


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


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


def _items_table(items):
    return Table(
        ["序号", "名称", "规格", "数量"],
        [[i + 1, x["name"], x["spec"], x["quantity"]] for i, x in enumerate(items)],
    )


def _details_pairs(document, skip=()) -> list[tuple[str, str]]:
    """The document's scalar details as label/value rows, in the order the kind declares them."""
    return [
        (f.label.split("（")[0], shown(f, document.details.get(f.name)))
        for f in fields_for(document.kind)
        if f.name not in skip and f.type not in ("qa", "items", "statements", "longtext")
    ]


def _active_measures(case):
    return [m for m in case.measures.all() if m.status != MeasureStatus.CANCELLED]


def _penalties(case):
    return [m for m in _active_measures(case) if m.measure not in ("order_rectification",)]


def _fine_total(case):
    return sum((m.amount or 0) for m in _penalties(case) if m.is_fine)


def _basis(case, measures) -> str:
    return "；".join(f"{p.law}{p.article}" for p in case.provisions.all()) or "；".join(
        sorted({f"{m.provision.law}{m.provision.article}" for m in measures if m.provision_id})
    )


def _latest(case, *kinds):
    return case.documents.filter(kind__in=[k.value for k in kinds]).order_by("-issued_on", "-id").first()


def _decision_ref(case) -> str:
    decision = _latest(case, K.DECISION_UNIT, K.DECISION_PERSON)
    return f"《行政处罚决定书》（{decision.number}）" if decision else "行政处罚决定"


# --- builders: each returns (blocks, signatures, note, addressed) ------------------------------------------


def _onsite(document, case):
    measures = _active_measures(case)
    onsite = [
        m
        for m in measures
        if m.measure in ("order_rectification", "seal_or_seize", "suspend_for_rectification")
    ]
    blocks = [
        _party(case),
        Heading("一、检查发现的问题"),
        Paragraph(case.facts),
        Heading("二、现场处理措施"),
        Paragraph("依据《中华人民共和国安全生产法》第六十五条，现作出如下现场处理决定："),
        _measures_table(onsite or measures),
    ]
    d = document.details or {}
    if d.get("measure"):
        fields = {f.name: f for f in fields_for(document.kind)}
        text = shown(fields["measure"], d["measure"])
        if d.get("start_on") and d.get("end_on"):
            # HZ-45 (安全生产违法行为行政处罚办法 第十四条): the period of a temporary stop is stated on the decision.
            text += (
                f"，期限自{shown(fields['start_on'], d['start_on'])}至{shown(fields['end_on'], d['end_on'])}"
            )
        if d.get("longer_basis"):
            text += f"（期限超过6个月的依据：{d['longer_basis']}）"
        blocks.append(Paragraph(f"现场处理措施：{text}。"))
    return blocks, ["执法人员（签字）", "当事人（签收）"], REMEDIES, True


def _penalty_notice(document, case):
    measures = _active_measures(case)
    blocks = [
        _party(case),
        Heading("一、违法事实"),
        Paragraph(case.facts),
        Heading("二、法律依据"),
        Paragraph(_basis(case, measures) or "—"),
        Heading("三、拟作出的行政处罚"),
        _measures_table(_penalties(case)),
        Heading("四、当事人的权利"),
        Paragraph(
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条"
            + ("、第六十三条、第六十四条" if case.hearing_offered else "")
            + f"，你（单位）有权进行陈述和申辩{'，并有权要求听证' if case.hearing_offered else ''}。"
            + (f"请于{case.hearing_deadline}前提出，逾期视为放弃。" if case.hearing_deadline else "")
        ),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], "", True


def _hearing_notice(document, case):
    # 行政处罚法 第六十三条、第六十四条: 告知听证权利；当事人要求听证的，应当在行政机关告知后五日内提出
    blocks = [
        _party(case),
        Paragraph(
            f"经查，你（单位）{case.facts}依据{_basis(case, _active_measures(case)) or '有关规定'}，本机关拟对你（单位）"
            "作出如下行政处罚："
        ),
        _measures_table(_penalties(case)),
        Paragraph(
            "根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
            f"如要求听证，应当在收到本告知书之日起五日内{f'（即{chinese_date(case.hearing_deadline)}前）' if case.hearing_deadline else ''}"
            "向本机关提出；逾期不提出的，视为放弃听证权利。"
        ),
        Paragraph("听证不收取费用。本机关将在举行听证的七日前通知你（单位）听证的时间、地点。"),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], "", True


def _decision(document, case):
    # 行政处罚法 第五十九条 (rules.md EN-19): facts, basis, type, performance, remedies, authority, date, seal
    measures = _active_measures(case)
    penalties = _penalties(case)
    total = _fine_total(case)
    blocks = [
        _party(case),
        Heading("一、违法事实和证据"),
        Paragraph(case.facts),
        Heading("二、违反的规定和处罚依据"),
        Paragraph(_basis(case, measures) or "—"),
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
            KeyValues([("负责人审批", _name(case.approved_by)), ("决定日期", str(case.decided_on or ""))])
        )
    return blocks, ["当事人（签收）"], REMEDIES, True


def _review_opinion(document, case):
    orders = [m for m in _active_measures(case) if m.measure == "order_rectification"]
    blocks = [
        _party(case),
        Heading("一、原责令整改情况"),
        _measures_table(orders),
        Heading("二、复查意见"),
        Paragraph(document.body or "经复查，（已整改/未整改/部分整改）。"),
        Paragraph("对逾期未整改的，依法立案处罚或者责令停产停业整顿（安全生产法 第一百零二条）。"),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], "", True


def _approval_form(document, case, rows, opinion_heading):
    d = document.details
    blocks = [
        KeyValues(
            [
                ("案由", case.title),
                ("案件编号", case.number),
                ("案件来源", f"{case.get_source_kind_display()} {case.source_description}".strip()),
                ("当事人", case.party_display),
                ("统一社会信用代码", case.enterprise.credit_code if case.enterprise_id else ""),
                ("地址", (case.enterprise.address or "") if case.enterprise_id else ""),
                ("责任人员", case.responsible_persons),
                *rows,
                ("承办人", officers_line(case)),
            ]
        ),
        Heading(opinion_heading),
        Paragraph(d.get("handler_opinion", "")),
        Heading("负责人审批意见"),
        Paragraph(d.get("approval_opinion", "") or "（审批意见）"),
    ]
    return blocks, ["承办人（签字）", "审核人（签字）", "审批人（签字）"], "", False


def _filing_approval(document, case):
    # 行政处罚法 第五十四条: 符合立案标准的，应当及时立案 (负责人批准)
    rows = [
        ("立案日期", chinese_date(case.filed_on)),
        ("办案期限", chinese_date(case.decision_due)),
        ("简要案情", case.facts),
    ]
    return _approval_form(document, case, rows, "承办人意见（立案理由）")


def _closing_approval(document, case):
    penalties = _penalties(case)
    rows = [
        ("立案日期", chinese_date(case.filed_on)),
        ("处罚决定", f"{_decision_ref(case)}：" + "；".join(str(m) for m in penalties) if penalties else "—"),
        ("决定日期", chinese_date(case.decided_on)),
        ("送达日期", chinese_date(case.served_on)),
        ("移送", case.transfer_to),
        ("处理结果及执行情况", document.details.get("execution", "")),
    ]
    return _approval_form(document, case, rows, "承办人结案意见")


def _record_header(document, case, extra=()):
    d = document.details
    return KeyValues(
        [
            (
                "时间",
                f"{shown(fields_for(document.kind)[0], d.get('started_at'))}至{shown(fields_for(document.kind)[1], d.get('ended_at'))}",
            ),
            *_details_pairs(document, skip=("started_at", "ended_at")),
            *extra,
            ("当事人", case.party_display),
            ("案由", f"{case.title}（{case.number}）"),
        ]
    )


def _inquiry_record(document, case):
    # 安全生产执法程序规定 ❓: officers show their certificates and tell the person of the duty to answer truthfully
    d = document.details
    blocks = [
        _record_header(document, case),
        Paragraph(
            f"我们是{document.issuer.name}的执法人员{officers_line(case)}，现向你出示我们的执法证件。"
            "你有如实回答询问、协助调查的义务，也有陈述、申辩的权利；执法人员少于两人或者出示的证件与身份不符的，"
            "你有权拒绝回答。如认为执法人员与本案有直接利害关系，你有申请回避的权利（行政处罚法 第四十三条）。"
        ),
    ]
    for pair in d.get("qa", []):
        blocks.append(Paragraph(f"问：{pair['q']}", indent=False))
        blocks.append(Paragraph(f"答：{pair['a']}", indent=False))
    blocks.append(Paragraph(RECORD_CONFIRMATION))
    return (
        blocks,
        ["被询问人（逐页签名）", "询问人（签字）", "记录人（签字）"],
        "本笔录共　页，被询问人应逐页签名或者捺指印。",
        False,
    )


def _survey_record(document, case):
    blocks = [
        _record_header(document, case),
        Heading("勘验情况"),
        Paragraph(document.details.get("findings", "")),
        Paragraph(RECORD_CONFIRMATION),
    ]
    signatures = ["当事人或见证人（逐页签名）", "勘验人（签字）", "记录人（签字）"]
    return blocks, signatures, "现场示意图、照片、录像另附。", False


def _hearing_record(document, case):
    # 行政处罚法 第六十四条第(八)项: 听证应当制作笔录，交当事人或者其代理人核对无误后签字或者盖章
    d = document.details
    blocks = [
        _record_header(document, case),
        Paragraph(
            "主持人宣布听证纪律，核对听证参加人身份，告知当事人申请回避、陈述、申辩和质证的权利（行政处罚法 第六十四条）。"
            "案件调查人员提出当事人违法的事实、证据和行政处罚建议，当事人进行申辩和质证。"
        ),
    ]
    for item in d.get("statements", []):
        blocks.append(Paragraph(f"{item['speaker']}：{item['text']}", indent=False))
    blocks.append(Paragraph("以上笔录已交当事人或其代理人核对无误。"))
    signatures = [
        "当事人或委托代理人（签字）",
        "案件调查人员（签字）",
        "听证主持人（签字）",
        "记录人（签字）",
    ]
    return blocks, signatures, "当事人或者其代理人拒绝签字或者盖章的，由听证主持人在笔录中注明。", False


def _voucher(document, case):
    # 行政处罚法 第五十六条: 抽样取证
    d = document.details
    blocks = [
        _party(case),
        KeyValues(_details_pairs(document)),
        Paragraph("依据《中华人民共和国行政处罚法》第五十六条，本机关对下列物品抽样取证："),
        _items_table(d.get("items", [])),
        Paragraph(f"执法人员：{officers_line(case)}"),
    ]
    return (
        blocks,
        ["被抽样人（签字）", "执法人员（签字）"],
        "本凭证一式两份，一份交被抽样人，一份附卷。",
        False,
    )


def _evidence_hold(document, case):
    # 行政处罚法 第五十六条: 证据可能灭失或者以后难以取得 → 先行登记保存；七日内作出处理决定
    d = document.details
    held = date.fromisoformat(d["held_on"]) if d.get("held_on") else document.issued_on
    blocks = [
        _party(case),
        Paragraph(
            f"因你（单位）涉嫌{case.title}，在证据可能灭失或者以后难以取得的情况下，经本机关负责人批准，依据"
            "《中华人民共和国行政处罚法》第五十六条，决定对下列物品先行登记保存："
        ),
        _items_table(d.get("items", [])),
        KeyValues(_details_pairs(document)),
        Paragraph(
            f"登记保存期间，当事人或者有关人员不得销毁或者转移证据。本机关将于{chinese_date(held)}起七日内作出处理决定。"
        ),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], "", True


def _disposal(document, case, source_kinds, law):
    d = document.details
    source = _latest(case, *source_kinds)
    field = fields_for(document.kind)[0]
    blocks = [
        _party(case),
        Paragraph(
            f"本机关于{chinese_date(source.issued_on) if source else '　　'}以{source.number if source else '　　'}号文书"
            f"对你（单位）的有关物品采取了{source_kinds[0].label.replace('决定书', '').replace('通知书', '')}措施。"
            f"依据{law}，现决定：{shown(field, d.get('disposal'))}。"
        ),
        Heading("理由"),
        Paragraph(d.get("reason", "")),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], COERCION_REMEDIES, True


def _evidence_disposal(document, case):
    return _disposal(document, case, (K.EVIDENCE_HOLD,), "《中华人民共和国行政处罚法》第五十六条")


def _seizure_disposal(document, case):
    return _disposal(document, case, (K.SEIZURE,), "《中华人民共和国行政强制法》第二十七条、第二十八条")


def _seizure(document, case):
    # 安全生产法 第六十五条第一款第(四)项; 行政强制法 第二十四条 (决定书载明的事项)、第二十五条 (期限)
    d = document.details
    blocks = [
        _party(case),
        Paragraph(
            "依据《中华人民共和国安全生产法》第六十五条第一款第（四）项和《中华人民共和国行政强制法》第二十四条，"
            "本机关决定对你（单位）的下列场所、设施或者财物予以查封、扣押："
        ),
        _items_table(d.get("items", [])),
        KeyValues(_details_pairs(document)),
        Heading("查封、扣押的理由和依据"),
        Paragraph(d.get("reason", "")),
        Paragraph(
            f"查封、扣押期限为{d.get('days', '　')}日，自{shown(fields_for(document.kind)[1], d.get('start_on'))}起计算"
            "（行政强制法 第二十五条）。查封、扣押期间，不得擅自启封或者转移、处置被查封、扣押的物品。"
        ),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], COERCION_REMEDIES, True


def _coercive(document, case):
    d = document.details
    field = fields_for(document.kind)[0]
    blocks = [
        _party(case),
        Heading("事实和理由"),
        Paragraph(d.get("reason", "")),
        Paragraph(
            "依据《中华人民共和国安全生产法》第七十条和《中华人民共和国行政强制法》第十八条、第十九条，本机关决定："
            f"{shown(field, d.get('measure'))}。"
        ),
        Paragraph(
            "你（单位）依法履行行政决定、采取相应措施消除事故隐患的，本机关将及时解除前款规定的措施。"
            + (
                f"本机关已于{shown(fields_for(document.kind)[2], d['advance_notice_on'])}书面通知你（单位）。"
                if d.get("advance_notice_on")
                else ""
            )
        ),
    ]
    return blocks, ["执法人员（签字）", "当事人（签收）"], COERCION_REMEDIES, True


def _service_receipt(document, case):
    # 行政处罚法 第六十一条; 民事诉讼法 送达 (第八十七条至第九十五条)
    d = document.details
    electronic = d.get("method") == "electronic"
    served = case.documents.filter(number=d.get("served_document")).first()
    rows = [
        (
            "送达文书名称及文号",
            f"{served.get_kind_display()} {served.number}" if served else d.get("served_document", ""),
        ),
        *_details_pairs(document, skip=("served_document", *(() if electronic else ("consent",)))),
    ]
    if d.get("deemed_served_on"):
        rows.append(("视为送达日期", chinese_date(date.fromisoformat(d["deemed_served_on"]))))
    rows.append(("送达人", officers_line(case)))
    blocks = [KeyValues(rows)]
    signatures = ["受送达人（签收）", "送达人（签字）"]
    if d.get("method") == "left":
        signatures.append("见证人（签字）")
    return (
        blocks,
        signatures,
        "受送达人拒绝签收的，送达人应当在备注中注明情况（民事诉讼法 第八十九条）。",
        False,
    )


def _payment_reminder(document, case):
    # 行政强制法 第三十五条 (催告书内容)、第五十四条 (催告后十日仍未履行 → 申请人民法院强制执行)
    total = _fine_total(case)
    days = document.details.get("period_days") or 10
    blocks = [
        _party(case),
        Paragraph(
            f"本机关于{chinese_date(case.decided_on)}作出{_decision_ref(case)}，对你（单位）处以罚款{total:,.2f}元，"
            f"缴款期限至{chinese_date(case.payment_due)}。你（单位）至今未履行。"
        ),
        Paragraph(
            f"依据《中华人民共和国行政强制法》第三十五条、第五十四条，现催告你（单位）自收到本催告书之日起{days}日内"
            "缴纳罚款及加处的罚款。你（单位）有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。"
        ),
    ]
    return blocks, ["当事人（签收）"], "", True


def _late_surcharge(document, case):
    # 行政处罚法 第七十二条第一款第(一)项: 每日按罚款数额的百分之三加处罚款，数额不得超出罚款的数额
    total = _fine_total(case)
    as_of = (
        date.fromisoformat(document.details["as_of"]) if document.details.get("as_of") else document.issued_on
    )
    surcharge = rules.late_payment_surcharge(total, case.payment_due, as_of) if case.payment_due else 0
    days = max((as_of - case.payment_due).days, 0) if case.payment_due else 0
    blocks = [
        _party(case),
        Paragraph(
            f"本机关于{chinese_date(case.decided_on)}作出{_decision_ref(case)}，对你（单位）处以罚款{total:,.2f}元，"
            f"缴款期限至{chinese_date(case.payment_due)}。你（单位）到期未缴纳罚款。"
        ),
        KeyValues(
            [
                ("罚款数额（元）", f"{total:,.2f}"),
                ("逾期天数", f"{days}日（计算至{chinese_date(as_of)}）"),
                ("加处罚款（元）", f"{surcharge:,.2f}"),
            ]
        ),
        Paragraph(
            "依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项，本机关决定每日按罚款数额的百分之三对你（单位）"
            f"加处罚款，截至{chinese_date(as_of)}加处罚款{surcharge:,.2f}元（加处罚款的数额不得超出罚款的数额）。"
            "请将罚款和加处罚款一并缴至指定银行或者通过电子支付系统缴纳。"
        ),
    ]
    return blocks, ["当事人（签收）"], REMEDIES, True


def _transfer_letter(document, case):
    # 行政处罚法 第二十七条; 行政执法机关移送涉嫌犯罪案件的规定 (国务院令第310号) ❓ current revision
    d = document.details
    blocks = [
        Paragraph(
            f"本机关在查处{case.party_display}{case.title}一案（{case.number}）中，发现当事人的违法行为涉嫌犯罪。"
            "依据《中华人民共和国行政处罚法》第二十七条和《行政执法机关移送涉嫌犯罪案件的规定》，现将该案移送你单位依法处理。"
        ),
        Heading("移送理由"),
        Paragraph(d.get("reason", "")),
        Heading("违法事实"),
        Paragraph(case.facts),
        KeyValues([("随附材料", d.get("attachments", "") or "案卷材料"), ("承办人", officers_line(case))]),
    ]
    return blocks, [], "", True


BUILDERS = {
    K.FILING_APPROVAL: _filing_approval,
    K.INQUIRY_RECORD: _inquiry_record,
    K.SURVEY_RECORD: _survey_record,
    K.SAMPLING_VOUCHER: _voucher,
    K.EVIDENCE_HOLD: _evidence_hold,
    K.EVIDENCE_DISPOSAL: _evidence_disposal,
    K.ONSITE_MEASURES: _onsite,
    K.SEIZURE: _seizure,
    K.SEIZURE_DISPOSAL: _seizure_disposal,
    K.COERCIVE_MEASURES: _coercive,
    K.REVIEW_OPINION: _review_opinion,
    K.PENALTY_NOTICE: _penalty_notice,
    K.HEARING_NOTICE: _hearing_notice,
    K.HEARING_RECORD: _hearing_record,
    K.DECISION_UNIT: _decision,
    K.DECISION_PERSON: _decision,
    K.SERVICE_RECEIPT: _service_receipt,
    K.PAYMENT_REMINDER: _payment_reminder,
    K.LATE_SURCHARGE: _late_surcharge,
    K.TRANSFER_LETTER: _transfer_letter,
    K.CLOSING_APPROVAL: _closing_approval,
}
assert set(BUILDERS) == set(K), "every document kind has a layout"


def build(document: CaseDocument) -> OfficialDocument:
    case = document.case
    kind = DocumentKind(document.kind)
    blocks, signatures, note, addressed = BUILDERS[kind](document, case)
    if document.body and kind != K.REVIEW_OPINION:
        blocks.append(Paragraph(document.body))
    if kind not in (K.FILING_APPROVAL, K.CLOSING_APPROVAL):
        blocks.append(KeyValues([("案件编号", case.number), ("承办人", officers_line(case))]))
    issuer = document.issuer
    recipient = case.party_display if addressed else ""
    if kind == K.TRANSFER_LETTER:
        recipient = case.transfer_to
    return OfficialDocument(
        issuer=issuer.name,
        title=kind.label.split("（")[0],
        number=document.number,
        recipient=recipient,
        blocks=blocks,
        signatures=signatures,
        issued_on=document.issued_on,
        seal=f"{issuer.name}（印章）" if addressed or kind in (K.SAMPLING_VOUCHER,) else "",
        note=note,
    )
