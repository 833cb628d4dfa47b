"""LAW-15 行政处罚信息公示 (安全生产法 第七十八条第二款; 行政处罚法 第四十八条): prepared at the decision, due in
7 working days, published as a redacted snapshot on a public page, taken down with a reason."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.enforcement import deadlines, publication, rules, services
from anjian.enforcement.models import PenaltyPublication, PublicationStatus

from .factories import add_fine, open_case

ID_NUMBER = "110101199003071234"


def test_masked_names():
    assert rules.masked_person_name("张三") == "张某"
    assert rules.masked_person_name("欧阳娜娜") == "欧阳某"
    assert rules.masked_person_name("") == ""


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    before=st.text(alphabet="违法事实经查当事人于年月日在仓库内作业，。 ", max_size=30),
    digits=st.text(alphabet="0123456789", min_size=17, max_size=17),
    last=st.sampled_from("0123456789X"),
    after=st.text(alphabet="违法事实经查当事人，。 ", max_size=30),
)
def test_identity_numbers_never_reach_the_public(before, digits, last, after):
    number = digits + last
    text = rules.redact(f"{before}{number}{after}")
    assert number not in text
    assert f"{number[:6]}********{number[-4:]}" in text


def test_mobile_numbers_and_person_names_are_masked():
    text = rules.redact("责任人李四（电话13812345678）未履行职责，李四签字", ["李四"])
    assert text == "责任人李某（电话138****5678）未履行职责，李某签字"


def decided_person_case(cast, today=date(2026, 9, 30)):
    case = open_case(
        cast,
        party_kind="person",
        party_name="张三",
        facts=f"当事人张三（身份证号{ID_NUMBER}）未经培训上岗作业。",
        responsible_persons=f"张三、作业人员、{ID_NUMBER}",
    )
    add_fine(case, cast.inspector, amount="10000")
    services.transition(case, "investigate", cast.inspector)
    services.transition(case, "notify", cast.inspector)
    services.record_hearing(case, cast.inspector, waived=True)
    return services.transition(case, "decide", cast.office, today=today)


@pytest.mark.django_db
def test_decision_owes_a_publication_within_seven_working_days(cast):
    case = decided_person_case(cast)
    entry = case.publication
    assert entry.status == PublicationStatus.PENDING
    # 9/30 + 7 working days over National Day 2026: 10/8, 10/9, 10/10 (调休上班), 10/12–10/15.
    assert entry.due_on == date(2026, 10, 15)
    due = timezone.make_aware(datetime.combine(date(2026, 10, 16), time.min))
    titles = [i.title for i in deadlines.deadline_items("enforcement.deadline", due)]
    assert f"{case.number}：行政处罚信息公示期限（7个工作日）" in titles


@pytest.mark.django_db
def test_publish_needs_the_decision_document_and_redacts(cast):
    case = decided_person_case(cast)
    with pytest.raises(ValidationError, match="尚未制作行政处罚决定书"):
        publication.publish(case.publication, cast.inspector)
    services.issue_document(case, "decision_person", cast.inspector)
    entry = publication.publish(case.publication, cast.inspector)
    assert entry.status == PublicationStatus.PUBLISHED and entry.published_late  # today is after 2026-10-15
    assert entry.party == "张某" and entry.credit_code == ""
    assert ID_NUMBER not in entry.violation and "张三" not in entry.violation
    assert "罚款" in entry.penalty and entry.document_number.startswith("测试区应急管理局罚个〔")
    assert not [i for i in deadlines.deadline_items("enforcement.deadline", timezone.now()) if i.obj == entry]


@pytest.mark.django_db
def test_public_page_without_login_and_withdrawal(cast, client):
    case = decided_person_case(cast)
    services.issue_document(case, "decision_person", cast.inspector)
    entry = publication.publish(case.publication, cast.inspector)
    listing = client.get(reverse("enforcement_public:penalty_list"))
    assert listing.status_code == 200 and "张某" in listing.content.decode()
    detail = client.get(reverse("enforcement_public:penalty_detail", args=[entry.pk])).content.decode()
    assert "张某" in detail and ID_NUMBER not in detail and "张三" not in detail
    assert "张某" in client.get(reverse("enforcement_public:penalty_list"), {"q": "罚个"}).content.decode()
    bad = client.get(reverse("enforcement_public:penalty_list"), {"year": "二〇二六"}).content.decode()
    assert "年份应为四位数字" in bad
    with pytest.raises(ValidationError, match="请填写撤下原因"):
        publication.withdraw(entry, cast.inspector, " ")
    publication.withdraw(entry, cast.inspector, "处罚决定经行政复议被撤销")
    assert client.get(reverse("enforcement_public:penalty_detail", args=[entry.pk])).status_code == 404
    assert "张某" not in client.get(reverse("enforcement_public:penalty_list")).content.decode()
    page = client.get(case.get_absolute_url())
    assert page.status_code == 302  # the case itself needs a login


@pytest.mark.django_db
def test_only_handlers_publish_through_the_page(cast, client_for):
    case = decided_person_case(cast)
    services.issue_document(case, "decision_person", cast.inspector)
    url = reverse("enforcement:case_publication", args=[case.pk])
    assert client_for(cast.leader).post(url, {"do": "publish"}).status_code == 403
    assert client_for(cast.town_a_user).post(url, {"do": "publish"}).status_code == 403
    response = client_for(cast.inspector).post(url, {"do": "publish"}, follow=True)
    assert "行政处罚信息已公示" in response.content.decode()
    assert PenaltyPublication.objects.get(case=case).status == PublicationStatus.PUBLISHED
    response = client_for(cast.inspector).post(url, {"do": "withdraw", "reason": ""}, follow=True)
    assert "请填写撤下原因" in response.content.decode()
