"""Services: fines against the provision's band, the stage table with its refusal reasons, approval by a second
person, hearing window, execution, stop orders and 复产验收, blacklist, documents and their numbers, findings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.enforcement import services
from anjian.enforcement.models import CaseDocument, Measure, MeasureStatus, NoPenaltyReason

from .factories import add_fine, finding, open_case, partner, provision, to_decided

pytestmark = pytest.mark.django_db


def test_open_case_numbers_and_deadline(cast):
    case = open_case(cast)
    assert case.number == f"测试区应急管理局立〔{date.today().year}〕1号"
    assert case.handler == cast.inspector and case.organisation == cast.yingji
    assert case.decision_due == case.filed_on + timedelta(days=90)  # 行政处罚法 第六十条
    assert open_case(cast).number.endswith("〕2号")
    assert AuditEntry.objects.filter(action="enforcement.case_opened").count() == 2


def test_inspector_cannot_open_case_outside_sector(cast):
    # 住建 inspector against the 危险化学品 sector: the saved case would be out of scope → rolled back.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        open_case(cast, user=cast.inspector_other)
    assert not cast.enterprise_a.enforcement_cases.exists()


@pytest.mark.parametrize(
    ("amount", "ok"),
    [("1", True), ("50000", True), ("50000.01", False), ("0", False), ("-5", False), ("100.001", False)],
)
def test_fine_validated_against_provision_range(cast, amount, ok):
    case = open_case(cast)  # L1-102: 五万元以下
    if ok:
        assert add_fine(case, cast.inspector, amount).pk
    else:
        with pytest.raises(ValidationError):
            add_fine(case, cast.inspector, amount)
        assert not case.measures.exists()


def test_fine_below_minimum_refused_with_reason(cast):
    case = open_case(cast)
    with pytest.raises(ValidationError) as exc:
        add_fine(case, cast.inspector, "9000", code="L1-102-P")  # 五万元以上十万元以下
    assert "低于法定下限" in str(exc.value)


def test_upper_limit_flagged(cast):
    case = open_case(cast)
    assert add_fine(case, cast.inspector, "50000").is_upper_limit
    assert not add_fine(case, cast.inspector, "49999.99").is_upper_limit


def test_measure_must_be_allowed_by_provision(cast):
    case = open_case(cast)
    with pytest.raises(ValidationError) as exc:
        services.add_measure(
            Measure(case=case, measure="close_and_ban", provision=provision("L1-102")), cast.inspector
        )
    assert "不包含" in str(exc.value)


def test_daily_fine_needs_order_date_and_totals(cast):
    case = open_case(cast)
    with pytest.raises(ValidationError):
        add_fine(case, cast.inspector, "10000", measure="daily_continuous_fine")
    m = services.add_measure(
        Measure(
            case=case,
            measure="daily_continuous_fine",
            provision=provision("L1-102"),
            amount=Decimal("10000"),
            ordered_on=date(2026, 3, 1),
            daily_until=date(2026, 3, 11),
        ),
        cast.inspector,
    )
    assert m.daily_total == Decimal("100000")  # 安全生产法 第一百一十二条: from the next day, 10 days


def test_transition_refusals_have_reasons(cast):
    case = open_case(cast)
    # Not in the table.
    assert "不能「作出处罚决定」" in services.refusal(case, "decide", cast.office)
    # Role.
    assert "无权" in services.refusal(case, "investigate", cast.town_a_user)
    services.transition(case, "investigate", cast.inspector)
    # Guard: nothing to notify.
    with pytest.raises(ValidationError) as exc:
        services.transition(case, "notify", cast.inspector)
    assert "尚未拟定行政处罚" in str(exc.value)
    add_fine(case, cast.inspector)
    case = services.transition(case, "notify", cast.inspector)
    assert case.stage == "notified" and case.hearing_deadline > case.notified_on
    # The hearing window is still open.
    assert "未届满" in services.refusal(case, "decide", cast.office)
    services.record_hearing(case, cast.inspector, waived=True)
    case.refresh_from_db()
    # 负责人审批: the handler may not approve his own decision.
    assert "承办人" in services.refusal(case, "decide", cast.inspector)
    case = services.transition(case, "decide", cast.office)
    assert case.stage == "decided" and case.approved_by == cast.office
    assert set(case.measures.values_list("status", flat=True)) == {MeasureStatus.DECIDED}
    # Serving needs the decision document.
    assert "尚未制作行政处罚决定书" in services.refusal(case, "serve_and_execute", cast.inspector)


def test_two_certified_officers_before_notice_and_decision(cast):
    """EN-31 (行政处罚法 第四十二条): 执法人员不得少于两人, each with a certificate."""
    case = open_case(cast, co_handler=None)
    add_fine(case, cast.inspector)
    case = services.transition(case, "investigate", cast.inspector)
    assert "执法人员不得少于两人" in services.refusal(case, "notify", cast.inspector)
    with pytest.raises(ValidationError, match="第四十二条"):
        services.transition(case, "notify", cast.inspector)
    helper = partner(cast.inspector)
    helper.certificate_no = ""
    helper.save()
    case.co_handler = helper
    case.save()
    assert f"{helper.name} 尚未登记执法证号" in services.refusal(case, "notify", cast.inspector)
    helper.certificate_no = "P-2"
    helper.save()
    case = services.transition(case, "notify", cast.inspector)
    services.record_hearing(case, cast.inspector, waived=True)
    case.refresh_from_db()
    # The second officer left the case before the decision: refused again.
    case.co_handler = None
    case.save()
    assert "执法人员不得少于两人" in services.refusal(case, "decide", cast.office)
    case.co_handler = helper
    case.save()
    assert services.transition(case, "decide", cast.office).stage == "decided"


def test_hearing_requested_blocks_until_held(cast):
    case = open_case(cast)
    services.add_measure(
        Measure(case=case, measure="suspend_for_rectification", provision=provision("L1-102")), cast.inspector
    )
    services.transition(case, "investigate", cast.inspector)
    case = services.transition(case, "notify", cast.inspector)
    assert case.hearing_offered  # 责令停产停业 → 听证 (行政处罚法 第六十三条)
    services.record_hearing(case, cast.inspector, requested=True)
    case.refresh_from_db()
    assert "须举行听证" in services.refusal(
        case, "decide", cast.office, today=date.today() + timedelta(days=30)
    )
    services.record_hearing(case, cast.inspector, requested=True, held_on=date.today())
    case.refresh_from_db()
    assert services.refusal(case, "decide", cast.office) is None


def test_full_flow_execution_close_and_resumption(cast):
    case = open_case(cast)
    add_fine(case, cast.inspector)
    stop = services.add_measure(
        Measure(case=case, measure="suspend_for_rectification", provision=provision("L1-102")), cast.inspector
    )
    case = to_decided(cast, case)
    services.issue_document(case, "decision_unit", cast.inspector)
    case = services.transition(case, "serve_and_execute", cast.inspector)
    assert case.payment_due == case.served_on + timedelta(days=15)
    assert "尚有未执行完毕的处罚" in services.refusal(case, "close", cast.inspector)
    services.execute_measure(stop, cast.inspector)
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.status == "suspended"
    with pytest.raises(ValidationError):
        services.accept_resumption(stop, cast.inspector, "")
    services.accept_resumption(stop, cast.inspector, "整改到位，同意复产")
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.status == "operating"
    for m in case.measures.filter(status=MeasureStatus.DECIDED):
        services.execute_measure(m, cast.inspector)
    case = services.transition(case, "close", cast.inspector)
    assert case.stage == "closed" and case.closed_on
    assert "已办结" in services.refusal(case, "close", cast.inspector)


def test_blacklist_measure_creates_registry_entry(cast):
    from anjian.registry.models import BlacklistEntry

    case = open_case(cast)
    add_fine(case, cast.inspector, "300000", code="L1-114-1")
    bl = services.add_measure(
        Measure(case=case, measure="blacklist", provision=provision("CR-11")), cast.inspector
    )
    to_decided(cast, case)
    doc = services.issue_document(case, "decision_unit", cast.inspector)
    services.execute_measure(bl, cast.inspector)
    entry = BlacklistEntry.objects.get(enterprise=cast.enterprise_a)
    assert entry.penalty_decision_no == doc.number
    bl.refresh_from_db()
    assert bl.blacklist_ref == f"registry.BlacklistEntry#{entry.pk}"


def test_executed_closure_enters_the_registry_closure_register(cast, api_for):
    from anjian.registry.models import ClosureRecord, EnterpriseStatus

    case = open_case(cast)
    ban = services.add_measure(
        Measure(case=case, measure="close_and_ban", provision=provision("L1-113"), details="测试区人民政府"),
        cast.inspector,
    )
    to_decided(cast, case)
    doc = services.issue_document(case, "decision_unit", cast.inspector)
    services.execute_measure(ban, cast.inspector)
    closure = ClosureRecord.objects.get(enterprise=cast.enterprise_a)
    assert closure.decision_no == doc.number and closure.decided_by == "测试区人民政府"
    assert closure.executed_on == timezone.localdate()
    cast.enterprise_a.refresh_from_db()
    assert cast.enterprise_a.status == EnterpriseStatus.BANNED
    # The register is served by the API with the page's permissions.
    listed = api_for(cast.office).get("/api/registry/closures/").json()
    assert [row["decision_no"] for row in listed["results"]] == [doc.number]
    assert api_for(cast.enterprise_b_user).get("/api/registry/closures/").status_code == 403
    assert api_for(cast.leader).get("/api/registry/closures/").status_code == 200
    created = api_for(cast.office).post(
        "/api/registry/closures/",
        {
            "enterprise": cast.enterprise_b.pk,
            "name": cast.enterprise_b.name,
            "territory": cast.enterprise_b.territory_id,
            "reason": "无证经营",
            "decision_no": "测政关〔2026〕1号",
            "decided_by": "测试区人民政府",
            "decided_on": "2026-11-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    cast.enterprise_b.refresh_from_db()
    assert cast.enterprise_b.status == EnterpriseStatus.BANNED
    refused = api_for(cast.inspector).post("/api/registry/closures/", {}, format="json")
    assert refused.status_code == 403


def test_transfer_and_no_penalty(cast):
    case = open_case(cast)
    assert "司法机关" in services.refusal(case, "transfer", cast.inspector)
    case = services.transition(case, "transfer", cast.inspector, transfer_to="测试区公安分局")
    assert case.stage == "transferred"
    other = open_case(cast)
    other = services.transition(other, "investigate", cast.inspector)
    assert "理由" in services.refusal(other, "no_penalty", cast.office)
    other = services.transition(other, "no_penalty", cast.office, note="违法事实不能成立")
    assert other.stage == "closed"


def test_document_numbers_sequential_per_kind_and_refusals(cast):
    case = open_case(cast)
    with pytest.raises(ValidationError):
        services.issue_document(case, "decision_unit", cast.inspector)  # not decided yet
    with pytest.raises(ValidationError):
        services.issue_document(case, "review_opinion", cast.inspector)  # no order to rectify
    a = services.issue_document(case, "onsite_measures", cast.inspector)
    b = services.issue_document(case, "onsite_measures", cast.inspector)
    year = date.today().year
    assert (a.number, b.number) == (
        f"测试区应急管理局现决〔{year}〕1号",
        f"测试区应急管理局现决〔{year}〕2号",
    )
    to_decided(cast, case)
    c = services.issue_document(case, "decision_unit", cast.inspector)
    assert c.sequence == 1 and c.number.startswith("测试区应急管理局罚〔")


@pytest.mark.parametrize(
    "kind", ["onsite_measures", "penalty_notice", "decision_unit", "decision_person", "review_opinion"]
)
def test_documents_render_pdf_and_docx(cast, kind):
    from anjian.core.documents import render_docx, render_pdf
    from anjian.enforcement.documents import build

    case = open_case(cast, responsible_persons="张三 总经理")
    services.add_measure(
        Measure(
            case=case, measure="order_rectification", provision=provision("L1-102"), deadline=date.today()
        ),
        cast.inspector,
    )
    to_decided(cast, case)
    doc = services.issue_document(case, kind, cast.inspector, body="经复查，已整改。")
    official = build(doc)
    assert official.number == doc.number
    pdf, docx = render_pdf(official), render_docx(official)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert docx.startswith(b"PK")
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert doc.number in text and "甲化工有限公司" in text


def test_unlinked_findings_list(cast):
    from anjian.enforcement.queries import unlinked_findings

    linked = finding(cast, description="已立案的")
    pending = finding(cast, description="待审核的")
    approved = finding(cast, description="审核通过的")
    rejected = finding(cast, description="审核不通过的")
    finding(cast, description="什么都没有的")
    other = finding(cast, enterprise=cast.enterprise_b, sector=cast.construction, description="乙的")
    case = open_case(cast)
    services.link_finding(linked, case, cast.inspector)
    for f in (pending, approved, rejected):
        services.record_no_penalty_reason(
            NoPenaltyReason(finding=f, category="self_reported", explanation="企业自查自报并已整改"),
            cast.inspector,
        )
    with pytest.raises(ValidationError):  # the recorder may not review his own reason
        services.review_no_penalty_reason(approved.reasons.get(), cast.inspector, True)
    services.review_no_penalty_reason(approved.reasons.get(), cast.office, True)
    with pytest.raises(ValidationError):
        services.review_no_penalty_reason(rejected.reasons.get(), cast.office, False)  # comment required
    services.review_no_penalty_reason(rejected.reasons.get(), cast.office, False, "不属于自查自报")
    names = set(unlinked_findings(cast.office).values_list("description", flat=True))
    assert names == {"待审核的", "审核不通过的", "什么都没有的", "乙的"}
    # Department scope: the 应急 inspector does not see the 建筑施工 finding.
    assert "乙的" not in set(unlinked_findings(cast.inspector).values_list("description", flat=True))
    assert not unlinked_findings(cast.outsider_office).exists()
    assert other.pk


def test_link_finding_refuses_other_unit(cast):
    case = open_case(cast)
    f = finding(cast, enterprise=cast.enterprise_b, sector=cast.construction)
    with pytest.raises(ValidationError):
        services.link_finding(f, case, cast.inspector)


def test_repeat_offenders(cast):
    from anjian.enforcement.queries import repeat_offenders

    for _ in range(2):
        open_case(cast)
    finding(cast, is_major_hazard=True, rectified=False)
    rows = repeat_offenders(cast.office)
    assert [r.enterprise for r in rows] == [cast.enterprise_a]
    row = rows[0]
    assert row.cases_year == 2 and row.unrectified_major == 1
    assert "一律停产整顿" in row.suggestions and any("黑名单" in s for s in row.suggestions)
    assert repeat_offenders(cast.inspector_other) == []


def test_figures(cast):
    from anjian.enforcement.queries import figures

    case = open_case(cast)
    f = finding(cast)
    services.link_finding(f, case, cast.inspector)
    finding(cast)
    to_decided(cast, case)
    m = case.measures.get()
    services.issue_document(case, "decision_unit", cast.inspector)
    services.transition(case, "serve_and_execute", cast.inspector)
    services.execute_measure(m, cast.inspector)
    today = date.today()
    rows, total = figures(cast.office, today.replace(month=1, day=1), today)
    town_a = next(r for r in rows if r.label == "甲镇")
    assert (town_a.cases, town_a.fines, town_a.execution_rate, town_a.penalty_rate) == (
        1,
        Decimal("30000"),
        100.0,
        50.0,
    )
    assert total.cases == 1 and total.inspections == 0
    rows, total = figures(cast.office, today.replace(month=1, day=1), today, group_by="organisation")
    assert [(r.label, r.cases) for r in rows] == [("测试区应急管理局", 1)]


def test_talk_suggestions_from_accidents(cast):
    from django.utils import timezone

    from anjian.accidents.models import Accident
    from anjian.enforcement.queries import talk_suggestions

    now = timezone.now()
    for i in range(3):
        Accident.objects.create(
            title=f"事故{i}",
            enterprise=cast.enterprise_a,
            territory=cast.village_a,
            occurred_at=now - timedelta(days=10 * i + 1),
            unit_received_at=now - timedelta(days=10 * i + 1),
            place="车间",
            category="1986-01",
            summary="经过",
            created_by=cast.office,
            supplement_until=date.today(),
        )
    suggestions = talk_suggestions(cast.office)
    assert [(s.target_name, s.trigger.ref) for s in suggestions] == [("甲化工有限公司", "YT-06")]


def test_deadlines_and_todo(cast):
    from django.utils import timezone

    from anjian.enforcement import deadlines

    case = open_case(cast)
    services.add_measure(
        Measure(
            case=case,
            measure="order_rectification",
            provision=provision("L1-102"),
            deadline=date.today() + timedelta(days=3),
        ),
        cast.inspector,
    )
    to_decided(cast, case)
    items = list(deadlines.deadline_items("enforcement.deadline", timezone.now() + timedelta(days=5)))
    assert [i.title for i in items] == ["甲化工有限公司：责令限期整改期限"]
    assert items[0].responsible == (cast.inspector, case.co_handler)  # both officers answer for it
    assert list(deadlines.deadline_items("enforcement.deadline", timezone.now())) == []
    todo = list(deadlines.todo_items(cast.inspector))
    assert any("责令限期整改" in t.title for t in todo)
    assert list(deadlines.todo_items(cast.leader)) == []


def test_document_model_unique_number(cast):
    case = open_case(cast)
    doc = services.issue_document(case, "onsite_measures", cast.inspector)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseDocument.objects.create(
            case=case,
            kind=doc.kind,
            number=doc.number,
            year=doc.year,
            sequence=99,
            issuer=doc.issuer,
            created_by=cast.inspector,
        )


def test_income_share_fines_are_range_checked(cast):
    """安全生产法 第九十五条/第九十六条 (AC-41, AC-43): fines set as a share of the previous-year income."""
    from anjian.accidents.tests.factories import file as file_accident

    def fine_measure(case, code, amount, income):
        return Measure(
            case=case,
            measure="fine",
            provision=provision(code),
            amount=Decimal(amount),
            income_base=None if income is None else Decimal(income),
        )

    case = open_case(cast, party_kind="person", party_name="王五")
    with pytest.raises(ValidationError, match="须填写被处罚人上一年年收入"):
        services.add_measure(fine_measure(case, "L1-96", "20000", None), cast.inspector)
    with pytest.raises(ValidationError, match="上一年年收入的20%–50%"):
        services.add_measure(fine_measure(case, "L1-96", "60000", "100000"), cast.inspector)
    assert services.add_measure(fine_measure(case, "L1-96", "50000", "100000"), cast.inspector).pk
    # 第九十五条 with the case linked to a 较大 accident: exactly 60 % of the income.
    accident = file_accident(cast.office, deaths=3)
    linked = open_case(cast, party_kind="person", party_name="赵六", accident=accident)
    with pytest.raises(ValidationError, match="上一年年收入"):
        services.add_measure(fine_measure(linked, "L1-95", "40000", "100000"), cast.inspector)
    assert services.add_measure(fine_measure(linked, "L1-95", "60000", "100000"), cast.inspector).pk
    assert provision("L1-95").fine_range_text == "上一年年收入的40%–100%"
