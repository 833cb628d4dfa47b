"""On-site measures and their periods: two officers (EN-31, 行政处罚法 第四十二条), the temporary stop period
(HZ-45, 安全生产违法行为行政处罚办法 第十四条: 一般不超过6个月) and the 15-day seizure decision (HZ-46, 同办法 第十五条);
plus the hearing threshold shown on the case page (EN-15)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.models import AuditEntry
from anjian.enforcement import deadlines, rules, services
from anjian.enforcement.document_details import add_months, temporary_stop_limit, validate_details
from anjian.enforcement.models import DocumentKind as K

from .factories import open_case

pytestmark = pytest.mark.django_db
TODAY = date.today()
ITEMS = "配电箱，XL-21，1台"


def stop(start=TODAY, end=None, **extra):
    end = end or start + timedelta(days=30)
    return {"measure": "stop_production", "start_on": str(start), "end_on": str(end), **extra}


def seize(case, user, start=TODAY):
    details = {
        "place": "车间",
        "start_on": str(start),
        "days": "30",
        "reason": "设备不符合国家标准。",
        "items": ITEMS,
    }
    return services.issue_document(case, K.SEIZURE, user, details=details)


def investigating(cast):
    from .factories import add_fine

    case = open_case(cast)
    add_fine(case, cast.inspector)
    return services.transition(case, "investigate", cast.inspector)


# --- EN-31: two certified officers -------------------------------------------------------------------------


class Officer:
    def __init__(self, pk, certificate_no="X1", name=""):
        self.pk, self.certificate_no, self.name, self.username = (
            pk,
            certificate_no,
            name or f"u{pk}",
            f"u{pk}",
        )


@pytest.mark.parametrize(
    "officers, words",
    [
        ([], "不得少于两人"),
        ([Officer(1)], "不得少于两人"),
        ([Officer(1), Officer(1)], "不得少于两人"),  # the same person twice is one officer
        ([Officer(1), None], "不得少于两人"),
        ([Officer(1), Officer(2, certificate_no=" ", name="钱二")], "钱二 尚未登记执法证号"),
        ([Officer(1), Officer(2)], None),
    ],
)
def test_en31_officers_problem_table(officers, words):
    why = rules.officers_problem(officers)
    assert (why is None) if words is None else (words in why)


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=6))
def test_en31_two_distinct_certified_officers_always_suffice(pks):
    why = rules.officers_problem([Officer(pk) for pk in pks])
    assert (why is None) == (len(set(pks)) >= 2)


@pytest.mark.parametrize("kind", [K.ONSITE_MEASURES, K.SEIZURE, K.COERCIVE_MEASURES])
def test_en31_onsite_and_compulsory_measures_need_two_officers(cast, kind):
    case = investigating(cast)
    case.co_handler = None
    case.save()
    why = services.document_refusal(case, kind, cast.inspector)
    assert "执法人员不得少于两人（行政处罚法 第四十二条）" in why
    with pytest.raises(ValidationError):
        services.issue_document(case, kind, cast.inspector, details={})


# --- HZ-45: temporary stops normally last no more than 6 months -------------------------------------------


def test_hz45_six_months_is_counted_by_calendar_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert temporary_stop_limit(date(2026, 1, 15)) == date(2026, 7, 15)


def test_hz45_a_stop_states_its_period_and_longer_needs_a_legal_basis(cast):
    case = open_case(cast)
    start = date(2026, 1, 15)
    ok = validate_details(K.ONSITE_MEASURES, stop(start, date(2026, 7, 15)), case)
    assert ok["end_on"] == "2026-07-15"
    with pytest.raises(ValidationError) as exc:
        validate_details(K.ONSITE_MEASURES, stop(start, date(2026, 7, 16)), case)
    assert "一般不超过6个月" in exc.value.message_dict["longer_basis"][0]
    assert validate_details(
        K.ONSITE_MEASURES, stop(start, date(2026, 9, 1), longer_basis="某行政法规第X条"), case
    )
    with pytest.raises(ValidationError) as exc:
        validate_details(K.ONSITE_MEASURES, {"measure": "stop_use"}, case)
    assert set(exc.value.message_dict) == {"start_on", "end_on"}
    # withdrawing workers has no period to watch; a document without details stays allowed
    assert validate_details(K.ONSITE_MEASURES, {"measure": "withdraw"}, case) == {"measure": "withdraw"}


def test_hz45_stop_period_is_reminded_escalated_and_lifted(cast, client_for):
    case = open_case(cast)
    end = TODAY + timedelta(days=5)  # inside the to-do horizon (7 days)
    document = services.issue_document(case, K.ONSITE_MEASURES, cast.inspector, details=stop(TODAY, end))
    assert document.due_on == end
    horizon = timezone.now() + timedelta(days=12)
    items = list(deadlines.deadline_items("enforcement.stop_period", horizon))
    assert [i.obj for i in items] == [document]
    assert items[0].responsible == (cast.inspector, case.co_handler)
    assert cast.office in items[0].escalation[1]
    assert list(deadlines.deadline_items("enforcement.stop_period", timezone.now())) == []
    assert any(t.action == "复产审查或解除" for t in deadlines.todo_items(cast.inspector))
    page = client_for(cast.inspector).get(case.get_absolute_url()).content.decode()
    assert "措施期限至" in page and 'data-testid="measure-lift"' in page
    url = reverse("enforcement:measure_lift", args=[case.pk, document.pk])
    assert client_for(cast.leader).post(url, {"opinion": "复产审查合格"}).status_code == 403
    response = client_for(cast.inspector).post(url, {"opinion": "复产审查合格"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.settled_on == TODAY
    assert list(deadlines.deadline_items("enforcement.stop_period", horizon)) == []
    assert AuditEntry.objects.filter(action="enforcement.measure_lifted").exists()
    with pytest.raises(ValidationError):
        services.lift_onsite_measure(document, cast.inspector)


def test_hz45_api_lifts_a_stop_and_shows_the_period(cast, api_for):
    case = open_case(cast)
    document = services.issue_document(case, K.ONSITE_MEASURES, cast.inspector, details=stop())
    url = f"/api/enforcement/cases/{case.pk}/lift-measure/"
    assert api_for(cast.leader).post(url, {"document": document.pk}, format="json").status_code == 403
    response = api_for(cast.inspector).post(url, {"document": document.pk, "note": "已解除"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["settled_on"] == str(TODAY)
    detail = api_for(cast.inspector).get(f"/api/enforcement/cases/{case.pk}/").json()
    assert detail["documents"][0]["due_on"] == str(document.due_on)


# --- HZ-46: a decision on sealed/seized things within 15 days --------------------------------------------


def test_hz46_seizure_disposal_due_in_15_days_and_settled_by_the_decision(cast):
    case = investigating(cast)
    seizure = seize(case, cast.inspector, start=TODAY - timedelta(days=10))
    assert seizure.due_on == TODAY + timedelta(days=5)
    items = list(deadlines.deadline_items("enforcement.seizure_disposal", timezone.now() + timedelta(days=6)))
    assert [i.obj for i in items] == [seizure]
    assert any(t.action == "作出处理决定" for t in deadlines.todo_items(cast.inspector))
    services.issue_document(
        case, K.SEIZURE_DISPOSAL, cast.inspector, details={"disposal": "release", "reason": "已整改。"}
    )
    seizure.refresh_from_db()
    assert seizure.settled_on == TODAY
    assert (
        list(deadlines.deadline_items("enforcement.seizure_disposal", timezone.now() + timedelta(days=30)))
        == []
    )
    with pytest.raises(ValidationError) as exc:  # nothing left to dispose of
        services.issue_document(
            case, K.SEIZURE_DISPOSAL, cast.inspector, details={"disposal": "release", "reason": "x"}
        )
    assert "seizure" in exc.value.message_dict


def test_hz46_a_late_decision_must_say_why_and_is_flagged(cast):
    case = investigating(cast)
    seizure = seize(case, cast.inspector, start=TODAY - timedelta(days=20))
    assert seizure.due_on < TODAY
    details = {"disposal": "release", "reason": "已整改。"}
    with pytest.raises(ValidationError) as exc:
        services.issue_document(case, K.SEIZURE_DISPOSAL, cast.inspector, details=details)
    assert "第十五条" in exc.value.message_dict["late_reason"][0]
    services.issue_document(
        case, K.SEIZURE_DISPOSAL, cast.inspector, details={**details, "late_reason": "等待检验机构出具报告。"}
    )
    entry = AuditEntry.objects.filter(action="enforcement.seizure_disposed_late").get()
    assert "等待检验机构" in entry.message


def test_hz46_two_open_seizures_need_the_one_named(cast):
    case = investigating(cast)
    first, second = seize(case, cast.inspector), seize(case, cast.inspector)
    details = {"disposal": "confiscate", "reason": "依法没收。"}
    with pytest.raises(ValidationError) as exc:
        services.issue_document(case, K.SEIZURE_DISPOSAL, cast.inspector, details=details)
    assert "请选择要处理的一份" in exc.value.message_dict["seizure"][0]
    services.issue_document(
        case, K.SEIZURE_DISPOSAL, cast.inspector, details={**details, "seizure": second.number}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.settled_on is None and second.settled_on == TODAY


# --- EN-15: which large-fine threshold applies --------------------------------------------------------------


def test_en15_case_page_says_which_hearing_threshold_applies(cast, client_for, settings):
    case = open_case(cast)
    settings.ANJIAN_LARGE_FINE_THRESHOLD = None
    page = client_for(cast.inspector).get(case.get_absolute_url()).content.decode()
    assert "未配置较大数额罚款标准" in page
    settings.ANJIAN_LARGE_FINE_THRESHOLD = "50000"
    page = client_for(cast.inspector).get(case.get_absolute_url()).content.decode()
    assert "较大数额罚款标准：50,000元" in page
