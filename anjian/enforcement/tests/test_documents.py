"""The whole 执法文书 set (rules.md §6.3, EN-13, EN-17, EN-30, EN-31): every kind is offered only at the right
stage, records its own structured content, is numbered gap-free per kind, prints as PDF and Word, and takes its
place in the case file (卷宗目录)."""

import io
import itertools
import os
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anjian.core.documents import render_docx, render_pdf
from anjian.enforcement import services
from anjian.enforcement.case_file import CASE_FILE_ORDER, case_file_entries, pdf_page_count
from anjian.enforcement.document_details import validate_details
from anjian.enforcement.documents import build
from anjian.enforcement.models import CaseDocument, DocumentKind, Measure

from .factories import add_fine, open_case, provision, to_decided

K = DocumentKind
TODAY = date.today()


# --- cases at each stage -------------------------------------------------------------------------------------


def filed(cast):
    return open_case(cast, responsible_persons="张三 总经理")


def investigating(cast):
    case = filed(cast)
    add_fine(case, cast.inspector)
    return services.transition(case, "investigate", cast.inspector)


def with_order(cast):
    case = filed(cast)
    services.add_measure(
        Measure(case=case, measure="order_rectification", provision=provision("L1-102"), deadline=TODAY),
        cast.inspector,
    )
    return case


def hearing_requested(cast):
    """告知 with 责令停产停业整顿 (听证 must be offered, 第六十三条) and the party asked for a hearing."""
    case = filed(cast)
    add_fine(case, cast.inspector)
    services.add_measure(
        Measure(case=case, measure="suspend_for_rectification", provision=provision("L1-102")), cast.inspector
    )
    services.transition(case, "investigate", cast.inspector)
    services.transition(case, "notify", cast.inspector)
    return services.record_hearing(case, cast.inspector, requested=True)


def decided(cast):
    return to_decided(cast, filed(cast))


def served(cast, days_ago=0):
    case = decided(cast)
    services.issue_document(case, K.DECISION_UNIT, cast.inspector)
    return services.transition(
        case, "serve_and_execute", cast.inspector, served_on=TODAY - timedelta(days=days_ago)
    )


def overdue(cast):
    """Served 30 days ago: the 15-day payment period (第六十七条) has passed."""
    return served(cast, days_ago=30)


def transferred(cast):
    return services.transition(filed(cast), "transfer", cast.inspector, transfer_to="测试区公安分局")


def after(setup, *kinds):
    """A stage setup followed by earlier documents the kind builds on (e.g. a hold notice before its disposal)."""

    def make(cast):
        case = setup(cast)
        for kind in kinds:
            services.issue_document(case, kind, cast.inspector, details=valid_details(kind, case))
        return case

    return make


def valid_details(kind, case) -> dict:
    items = "灭火器，MFZ/ABC4，2具\n配电箱，XL-21，1台"
    return {
        K.FILING_APPROVAL: {"handler_opinion": "涉嫌违反安全生产法第四十一条，建议立案调查。"},
        K.INQUIRY_RECORD: {
            "started_at": f"{TODAY}T09:00",
            "ended_at": f"{TODAY}T09:40",
            "place": "甲化工有限公司会议室",
            "interviewers": "inspector、inspector_partner",
            "recorder": "inspector_partner",
            "interviewee": "李四",
            "interviewee_role": "安全管理部经理",
            "qa": "问：储罐区静电接地何时损坏？\n答：上个月巡检时发现，未及时修复。\n问：是否报告单位负责人？\n答：已口头报告。",
        },
        K.SURVEY_RECORD: {
            "started_at": f"{TODAY}T10:00",
            "ended_at": f"{TODAY}T10:30",
            "place": "储罐区",
            "surveyors": "inspector、inspector_partner",
            "recorder": "inspector_partner",
            "present": "李四（安全管理部经理）",
            "findings": "3号储罐静电接地线断开，接地电阻无法测量。",
        },
        K.SAMPLING_VOUCHER: {
            "sampled_on": str(TODAY),
            "place": "仓库",
            "holder": "甲化工有限公司",
            "items": items,
        },
        K.EVIDENCE_HOLD: {
            "held_on": str(TODAY),
            "place": "仓库",
            "keeper": "测试区应急管理局",
            "items": items,
        },
        K.EVIDENCE_DISPOSAL: {"disposal": "return", "reason": "经检验合格，解除登记保存。"},
        K.SEIZURE: {
            "place": "生产车间",
            "start_on": str(TODAY),
            "days": "30",
            "reason": "设备不符合保障安全生产的国家标准。",
            "items": items,
        },
        K.SEIZURE_DISPOSAL: {"disposal": "release", "reason": "已整改到位。"},
        K.COERCIVE_MEASURES: {
            "measure": "stop_power",
            "reason": "拒不执行停产停业整顿决定，存在重大事故隐患。",
        },
        K.HEARING_RECORD: {
            "started_at": f"{TODAY}T14:00",
            "ended_at": f"{TODAY}T15:00",
            "place": "第一会议室",
            "host": "王主持",
            "recorder": "赵记录",
            "investigators": "inspector、inspector_partner",
            "party_attendees": "李四（委托代理人）",
            "statements": "检查员：当事人未消除事故隐患。\n李四：已在整改中，请求从轻处罚。",
        },
        K.SERVICE_RECEIPT: {
            "served_document": case.documents.exclude(kind=K.SERVICE_RECEIPT)
            .values_list("number", flat=True)
            .first(),
            "method": "direct",
            "place": "甲化工有限公司",
            "recipient": "甲化工有限公司",
            "served_on": str(TODAY),
            "receiver": "李四",
        },
        K.LATE_SURCHARGE: {"as_of": str(TODAY)},
        K.TRANSFER_LETTER: {"reason": "涉嫌重大责任事故罪。"},
        K.CLOSING_APPROVAL: {"execution": "罚款已缴纳。", "handler_opinion": "处罚已执行完毕，建议结案。"},
    }.get(kind, {})


# kind → (setup at the right stage, setup at a wrong one or None, words of the refusal)
CASES = {
    K.FILING_APPROVAL: (filed, None, ""),
    K.INQUIRY_RECORD: (investigating, decided, "不能制作询问笔录"),
    K.SURVEY_RECORD: (investigating, decided, "不能制作勘验笔录"),
    K.SAMPLING_VOUCHER: (investigating, decided, "「决定」阶段"),
    K.EVIDENCE_HOLD: (investigating, decided, "「决定」阶段"),
    K.EVIDENCE_DISPOSAL: (
        after(investigating, K.EVIDENCE_HOLD),
        investigating,
        "尚未制作先行登记保存证据通知书",
    ),
    K.ONSITE_MEASURES: (filed, None, ""),
    K.SEIZURE: (investigating, transferred, "「移送」阶段"),
    K.SEIZURE_DISPOSAL: (after(investigating, K.SEIZURE), investigating, "尚未制作查封扣押决定书"),
    K.COERCIVE_MEASURES: (investigating, transferred, "「移送」阶段"),
    K.REVIEW_OPINION: (with_order, filed, "没有责令限期整改措施"),
    K.PENALTY_NOTICE: (hearing_requested, filed, "「立案」阶段"),
    K.HEARING_NOTICE: (hearing_requested, filed, "不能制作听证告知书"),
    K.HEARING_RECORD: (hearing_requested, investigating, "「调查取证」阶段"),
    K.DECISION_UNIT: (decided, filed, "「立案」阶段"),
    K.DECISION_PERSON: (decided, filed, "「立案」阶段"),
    K.SERVICE_RECEIPT: (after(decided, K.DECISION_UNIT), filed, "尚无可送达的文书"),
    K.PAYMENT_REMINDER: (overdue, served, "尚未届满"),
    K.LATE_SURCHARGE: (overdue, served, "尚未届满"),
    K.TRANSFER_LETTER: (transferred, investigating, "「调查取证」阶段"),
    K.CLOSING_APPROVAL: (overdue, filed, "「立案」阶段"),
}


def test_every_kind_has_a_row():
    assert set(CASES) == set(DocumentKind) == set(CASE_FILE_ORDER)


def docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("kind", list(CASES), ids=[k.value for k in CASES])
def test_each_kind_renders_at_its_stage_and_is_refused_elsewhere(cast, kind):
    setup, wrong, reason = CASES[kind]
    case = setup(cast)
    assert services.document_refusal(case, kind, cast.inspector) is None
    document = services.issue_document(case, kind, cast.inspector, details=valid_details(kind, case))
    official = build(CaseDocument.objects.get(pk=document.pk))
    assert official.number == document.number
    assert official.title == kind.label.split("（")[0]
    pdf, docx = render_pdf(official), render_docx(official)
    assert pdf.startswith(b"%PDF") and pdf_page_count(pdf) >= 1
    text = docx_text(docx)
    assert document.number in text and "甲化工有限公司" in text
    assert "执法证号 T0001" in text  # the officers with their certificates (行政处罚法 第四十二条)
    if wrong is not None:
        other = wrong(cast)
        why = services.document_refusal(other, kind, cast.inspector)
        assert why and reason in why
        with pytest.raises(ValidationError, match=reason):
            services.issue_document(other, kind, cast.inspector, details=valid_details(kind, other))
    # Only the officers' roles make documents.
    assert "无权制作执法文书" in services.document_refusal(case, kind, cast.leader)


def test_record_content_is_printed(cast):
    case = investigating(cast)
    inquiry = services.issue_document(
        case, K.INQUIRY_RECORD, cast.inspector, details=valid_details(K.INQUIRY_RECORD, case)
    )
    assert inquiry.details["qa"][0] == {
        "q": "储罐区静电接地何时损坏？",
        "a": "上个月巡检时发现，未及时修复。",
    }
    text = docx_text(render_docx(build(inquiry)))
    for words in (
        "问：储罐区静电接地何时损坏？",
        "答：已口头报告。",
        "李四",
        "安全管理部经理",
        "被询问人（逐页签名）",
    ):
        assert words in text
    seizure = services.issue_document(case, K.SEIZURE, cast.inspector, details=valid_details(K.SEIZURE, case))
    assert seizure.details["items"][1] == {"name": "配电箱", "spec": "XL-21", "quantity": "1台"}
    assert "查封、扣押期限为30日" in docx_text(render_docx(build(seizure)))


def test_late_surcharge_is_computed_by_the_rule(cast):
    from anjian.enforcement import rules

    case = overdue(cast)
    document = services.issue_document(case, K.LATE_SURCHARGE, cast.inspector, details={"as_of": str(TODAY)})
    expected = rules.late_payment_surcharge(30000, case.payment_due, TODAY)  # 第七十二条: 3 %/day, capped
    assert expected > 0
    assert f"加处罚款{expected:,.2f}元" in docx_text(render_docx(build(document)))


# --- details validation, per kind ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, change, field, words",
    [
        (K.INQUIRY_RECORD, {"qa": ""}, "qa", "请填写问答内容"),
        (K.INQUIRY_RECORD, {"qa": "答：没有问题"}, "qa", "须以“问：”开头"),
        (K.INQUIRY_RECORD, {"qa": "问：何时发现？"}, "qa", "每个问题都须记录回答"),
        (K.INQUIRY_RECORD, {"interviewers": "inspector"}, "interviewers", "不得少于两人"),
        (K.INQUIRY_RECORD, {"ended_at": f"{TODAY}T08:00"}, "ended_at", "结束时间须晚于开始时间"),
        (K.INQUIRY_RECORD, {"started_at": "明天上午"}, "started_at", "时间格式"),
        (K.INQUIRY_RECORD, {"interviewee": ""}, "interviewee", "请填写被询问人姓名"),
        (K.SURVEY_RECORD, {"surveyors": "inspector"}, "surveyors", "不得少于两人"),
        (K.SAMPLING_VOUCHER, {"items": "灭火器"}, "items", "名称和数量"),
        (K.SAMPLING_VOUCHER, {"sampled_on": "2026-13-01"}, "sampled_on", "日期格式"),
        (K.SEIZURE, {"days": "45"}, "days", "不得超过三十日"),
        (K.SEIZURE, {"days": "-3"}, "days", "正整数"),
        (K.EVIDENCE_DISPOSAL, {"disposal": "burn"}, "disposal", "请从列表中选择"),
        (K.HEARING_RECORD, {"host": "inspector"}, "host", "不能是本案调查人员"),
        (K.HEARING_RECORD, {"statements": "没有发言人"}, "statements", "发言人：内容"),
        (K.SERVICE_RECEIPT, {"method": "left", "receiver": ""}, "witness", "留置送达须记录见证人"),
        (K.SERVICE_RECEIPT, {"method": "electronic"}, "consent", "电子送达须经当事人同意"),
        (K.SERVICE_RECEIPT, {"method": ""}, "method", "请填写送达方式"),
        (K.SERVICE_RECEIPT, {"served_document": "别的机关〔2026〕1号"}, "served_document", "不属于本案"),
        (K.CLOSING_APPROVAL, {"execution": "  "}, "execution", "请填写处理结果及执行情况"),
        (K.TRANSFER_LETTER, {"reason": ""}, "reason", "请填写移送理由"),
        (K.LATE_SURCHARGE, {"as_of": "2000-01-01"}, "as_of", "须在缴款期限"),
    ],
)
def test_details_are_validated_per_kind(cast, kind, change, field, words):
    case = after(overdue, K.DECISION_UNIT)(cast) if kind == K.SERVICE_RECEIPT else overdue(cast)
    good = valid_details(kind, case)
    validate_details(kind, good, case)  # the sample itself is valid
    with pytest.raises(ValidationError) as caught:
        validate_details(kind, {**good, **change}, case)
    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])


def test_service_methods_and_public_notice_date(cast):
    case = after(decided, K.DECISION_UNIT)(cast)
    base = valid_details(K.SERVICE_RECEIPT, case)
    for method, extra in [
        ("direct", {}),
        ("left", {"witness": "村委会主任 周五"}),
        ("post", {"receiver": ""}),
        ("entrusted", {"receiver": ""}),
        ("public_notice", {"receiver": ""}),
        ("electronic", {"consent": "on", "place": "party@example.cn"}),
    ]:
        cleaned = validate_details(K.SERVICE_RECEIPT, {**base, "method": method, **extra}, case)
        assert cleaned["method"] == method
    cleaned = validate_details(K.SERVICE_RECEIPT, {**base, "method": "public_notice"}, case)
    # 民事诉讼法 第九十五条: deemed served thirty days after the notice
    assert cleaned["deemed_served_on"] == str(TODAY + timedelta(days=30))
    # The API may send structured data as JSON instead of the form's text lines.
    qa = validate_details(
        K.INQUIRY_RECORD,
        {**valid_details(K.INQUIRY_RECORD, case), "qa": [{"q": "姓名？", "a": "李四"}]},
        case,
    )["qa"]
    assert qa == [{"q": "姓名？", "a": "李四"}]


# --- numbering -------------------------------------------------------------------------------------------------


def test_numbers_are_gap_free_per_kind_and_failed_details_take_no_number(cast):
    case = investigating(cast)
    year = TODAY.year
    details = valid_details(K.INQUIRY_RECORD, case)
    first = services.issue_document(case, K.INQUIRY_RECORD, cast.inspector, details=details)
    with pytest.raises(ValidationError):
        services.issue_document(case, K.INQUIRY_RECORD, cast.inspector, details={**details, "qa": ""})
    second = services.issue_document(case, K.INQUIRY_RECORD, cast.inspector, details=details)
    survey = services.issue_document(
        case, K.SURVEY_RECORD, cast.inspector, details=valid_details(K.SURVEY_RECORD, case)
    )
    receipt = services.issue_document(
        case, K.SERVICE_RECEIPT, cast.inspector, details=valid_details(K.SERVICE_RECEIPT, case)
    )
    assert (first.number, second.number) == (
        f"测试区应急管理局询〔{year}〕1号",
        f"测试区应急管理局询〔{year}〕2号",
    )
    assert (survey.sequence, receipt.sequence) == (1, 1)
    assert survey.number == f"测试区应急管理局勘〔{year}〕1号"
    assert receipt.number == f"测试区应急管理局送〔{year}〕1号"


# --- the case file (卷宗目录) ----------------------------------------------------------------------------------


def test_case_file_orders_documents_and_numbers_pages(cast, client_for):
    case = overdue(cast)  # has a decision_unit already
    for kind in (K.CLOSING_APPROVAL, K.SERVICE_RECEIPT, K.FILING_APPROVAL, K.PAYMENT_REMINDER):
        services.issue_document(case, kind, cast.inspector, details=valid_details(kind, case))
    entries = case_file_entries(case)
    kinds = [e["document"].kind for e in entries]
    assert kinds == [
        K.DECISION_UNIT,
        K.FILING_APPROVAL,
        K.PAYMENT_REMINDER,
        K.SERVICE_RECEIPT,
        K.CLOSING_APPROVAL,
    ]
    assert [e["position"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["first_page"] == 1
    for before, nxt in itertools.pairwise(entries):
        assert nxt["first_page"] == before["last_page"] + 1

    client = client_for(cast.inspector)
    page = client.get(reverse("enforcement:case_file", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    positions = [html.index(f'data-kind="{k}"') for k in kinds]
    assert positions == sorted(positions)
    pdf = client.get(reverse("enforcement:case_file_pdf", args=[case.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # Out of scope: another town's staff does not see the case file.
    assert (
        client_for(cast.outsider_office).get(reverse("enforcement:case_file", args=[case.pk])).status_code
        == 404
    )


# --- pages -----------------------------------------------------------------------------------------------------


def test_issue_form_keeps_input_and_shows_chinese_errors(cast, client_for):
    case = investigating(cast)
    client = client_for(cast.inspector)
    # The case page's quick form sends a record kind to its own form, with the officers filled in.
    response = client.post(reverse("enforcement:document_issue", args=[case.pk]), {"kind": "inquiry_record"})
    url = reverse("enforcement:document_new", args=[case.pk, "inquiry_record"])
    assert response.status_code == 302 and response["Location"] == url
    form_page = client.get(url).content.decode()
    assert "inspector、inspector_partner" in form_page and "问答内容" in form_page
    bad = {
        **valid_details(K.INQUIRY_RECORD, case),
        "interviewers": "inspector",
        "qa": "问：何时发现？\n答：上月",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "不得少于两人" in html and "问：何时发现？" in html  # nothing lost
    assert not CaseDocument.objects.filter(case=case).exists()
    response = client.post(url, valid_details(K.INQUIRY_RECORD, case))
    assert response.status_code == 302
    assert CaseDocument.objects.get(case=case).details["interviewee"] == "李四"
    # A refused kind is not offered: the case page says why, the form page sends back with the reason.
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "罚款催告书：案件处于「调查取证」阶段" in detail
    assert "案件移送书：案件处于「调查取证」阶段，不能制作案件移送书" in detail
    response = client.get(reverse("enforcement:document_new", args=[case.pk, "transfer_letter"]), follow=True)
    assert "不能制作案件移送书" in response.content.decode()
    # Viewers without the change permission cannot make documents.
    assert client_for(cast.leader).get(url).status_code in (403, 404)


# --- Word files open in LibreOffice ----------------------------------------------------------------------------


def test_every_kind_opens_in_libreoffice(cast, tmp_path):
    """All kinds converted by one LibreOffice run (as a user opening them would): each gives a PDF."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("ANJIAN_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    sources = []
    for kind, (setup, _wrong, _reason) in CASES.items():
        case = setup(cast)
        document = services.issue_document(case, kind, cast.inspector, details=valid_details(kind, case))
        path = tmp_path / f"{kind.value}.docx"
        path.write_bytes(render_docx(build(document)))
        sources.append(path)
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        timeout=600,
        capture_output=True,
    )
    for source in sources:
        assert (out / f"{source.stem}.pdf").read_bytes().startswith(b"%PDF"), source.stem


def test_issued_on_is_today_by_default(cast):
    case = filed(cast)
    document = services.issue_document(
        case, K.FILING_APPROVAL, cast.inspector, details=valid_details(K.FILING_APPROVAL, case)
    )
    assert document.issued_on == timezone.localdate()


def test_api_issues_a_record_with_the_same_validation(cast, api_for):
    case = investigating(cast)
    url = f"/api/enforcement/cases/{case.pk}/documents/"
    client = api_for(cast.inspector)
    details = valid_details(K.INQUIRY_RECORD, case)
    refused = client.post(url, {"kind": "inquiry_record", "details": {**details, "qa": ""}}, format="json")
    assert refused.status_code == 400 and "请填写问答内容" in refused.json()["qa"][0]
    made = client.post(
        url,
        {"kind": "inquiry_record", "details": {**details, "qa": [{"q": "姓名？", "a": "李四"}]}},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["details"]["qa"] == [{"q": "姓名？", "a": "李四"}]
    assert made.json()["number"].endswith(f"〔{TODAY.year}〕1号")
