"""市级核查: the city draws a reproducible random sample of the closures in its counties, records 属实/不属实 and
reopens closures that do not hold; the county reads the verdicts. Rules, services, pages and permissions."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from anjian.core.audit import history_for
from anjian.core.models import Organisation, OrganisationKind, Territory
from anjian.core.roles import Role
from anjian.core.testing import make_user
from anjian.hazards import verification
from anjian.hazards.models import Status, Verdict, VerificationItem
from anjian.hazards.workflow import TransitionRefused

from .conftest import make_hazard, png

pytestmark = pytest.mark.django_db


def TODAY():
    return timezone.localdate()


@pytest.fixture
def city_office(cast):
    city = Territory.objects.get(code="990100")
    org = Organisation.objects.create(name="测试市安委办", kind=OrganisationKind.OFFICE, territory=city)
    return make_user("city_office", Role.OFFICE, city, org)


@pytest.fixture
def closures(cast):
    """Twelve hazards closed this month in the district (town A and town B), one in the neighbouring district."""
    hazards = [make_hazard(cast, "closed") for _ in range(8)]
    hazards += [make_hazard(cast, "closed", enterprise=cast.enterprise_b) for _ in range(4)]
    return hazards


def draw(actor, **kwargs):
    values = dict(period_start=TODAY() - timedelta(days=30), period_end=TODAY(), method="percent", value=25)
    values.update(kwargs)
    return verification.draw_sample(actor=actor, **values)


@pytest.mark.parametrize(
    "method, value, total, expected",
    [
        ("percent", 10, 0, 0),
        ("percent", 10, 21, 3),
        ("percent", 5, 21, 2),
        ("percent", 100, 7, 7),
        ("count", 5, 3, 3),
        ("count", 5, 30, 5),
    ],
)
def test_sample_size(method, value, total, expected):
    assert verification.sample_size(method, value, total) == expected


def test_the_same_seed_draws_the_same_sample():
    ids = list(range(1, 500))
    first = verification.draw_ids(ids, 20, seed=42)
    assert first == verification.draw_ids(
        list(reversed(ids)), 20, seed=42
    )  # order of the query is irrelevant
    assert first != verification.draw_ids(ids, 20, seed=43)
    assert len(set(first)) == 20 and set(first) <= set(ids)


def test_city_draws_a_sample_recorded_in_the_audit_trail(cast, city_office, closures):
    sample = draw(city_office, seed=7)
    assert sample.population == 12 and sample.items.count() == 3  # 25 % of 12
    assert sample.seed == 7 and len(sample.population_digest) == 64
    assert {i.hazard_id for i in sample.items.all()} == set(verification.repeat_draw(sample))
    entry = next(e for e in history_for(sample) if e.action == "verification.sample_drawn")
    assert "随机种子 7" in entry.message and "12 项" in entry.message and entry.actor == city_office
    assert sorted(entry.changes["抽取隐患"][1]) == sorted(i.hazard.number for i in sample.items.all())
    # Without a seed one is chosen and stored.
    other = draw(city_office, method="count", value=5)
    assert other.items.count() == 5 and other.seed >= 0


def test_a_county_can_be_chosen_and_open_hazards_are_not_in_the_population(cast, city_office, closures):
    make_hazard(cast, "rectifying")
    make_hazard(cast, "closed", closed_at=timezone.now() - timedelta(days=90))  # outside the period
    sample = draw(city_office, county=cast.district, method="percent", value=100)
    assert sample.population == 12
    with pytest.raises(ValidationError) as exc:
        draw(city_office, county=cast.town_a)
    assert "不属于本市" in str(exc.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "percent", "value": 0}, "1 至 100"),
        ({"method": "percent", "value": 101}, "1 至 100"),
        ({"method": "count", "value": 0}, "抽取数量"),
        ({"method": "other"}, "按比例或按数量"),
        ({"period_start": None}, "销号时间范围"),
        ({"period_end": timezone.now().date() - timedelta(days=60)}, "不能早于开始日期"),
    ],
)
def test_bad_draws_are_refused_with_a_reason(cast, city_office, closures, kwargs, message):
    with pytest.raises(ValidationError) as exc:
        draw(city_office, **kwargs)
    assert message in str(exc.value)


def test_nothing_closed_nothing_to_draw(cast, city_office):
    with pytest.raises(ValidationError, match="没有已销号"):
        draw(city_office)


@pytest.mark.parametrize("who", ["office", "town_a_user", "inspector", "leader"])
def test_only_a_city_office_draws(cast, closures, who):
    with pytest.raises(TransitionRefused, match="市级"):
        draw(getattr(cast, who))


def test_verdict_not_holding_reopens_the_closure(cast, city_office, closures):
    sample = draw(city_office, method="count", value=2, seed=1)
    first, second = sample.items.order_by("id")
    with pytest.raises(ValidationError, match="核查意见"):
        verification.record_verdict(first, actor=city_office, holds=False, opinion=" ")
    verification.record_verdict(
        first,
        actor=city_office,
        holds=False,
        opinion="现场接地线仍未恢复",
        photos=[png("check.png")],
        reopen=True,
    )
    first.refresh_from_db()
    hazard = first.hazard
    hazard.refresh_from_db()
    assert first.verdict == Verdict.FAILS and first.reopened_at and first.photos.count() == 1
    assert hazard.status == Status.RECTIFYING and hazard.closed_at is None
    actions = [e.action for e in history_for(hazard) if e.action != "update"]
    assert actions[:2] == ["hazard.reopened", "hazard.verified"]
    reopened = next(e for e in history_for(hazard) if e.action == "hazard.reopened")
    assert sample.number in reopened.message and "现场接地线仍未恢复" in reopened.message
    named = [e.action for e in history_for(first) if e.action.startswith("verification.")]
    assert named == ["verification.reopened", "verification.checked"]
    # A verdict is final; a closure that holds is not reopened.
    with pytest.raises(TransitionRefused, match="已核查"):
        verification.record_verdict(first, actor=city_office, holds=True, opinion="")
    with pytest.raises(ValidationError, match="无需重新打开"):
        verification.record_verdict(second, actor=city_office, holds=True, opinion="", reopen=True)
    verification.record_verdict(second, actor=city_office, holds=True, opinion="")
    progress = verification.progress(sample)
    assert (progress.total, progress.holds, progress.fails, progress.reopened, progress.pending) == (
        2,
        1,
        1,
        1,
        0,
    )
    # The draw can still be repeated: the reopened closure stays in the population it was drawn from.
    assert sorted(verification.repeat_draw(sample)) == sorted(i.hazard_id for i in sample.items.all())


def test_reopen_later_and_only_by_the_city(cast, city_office, closures):
    item = draw(city_office, method="count", value=1).items.get()
    verification.record_verdict(item, actor=city_office, holds=False, opinion="整改资料不实")
    with pytest.raises(TransitionRefused, match="市级安委办"):
        verification.reopen_closure(item, actor=cast.office)
    verification.reopen_closure(item, actor=city_office)
    with pytest.raises(TransitionRefused, match="已因本次核查重新打开"):
        verification.reopen_closure(item, actor=city_office)


def test_county_cannot_record_a_verdict(cast, city_office, closures):
    item = draw(city_office, method="count", value=1).items.get()
    with pytest.raises(TransitionRefused, match="市级安委办"):
        verification.record_verdict(item, actor=cast.office, holds=True, opinion="")


# --- pages ------------------------------------------------------------------------------------------------------
def test_city_page_draws_checks_and_exports(cast, city_office, closures, client_for):
    client = client_for(city_office)
    page = client.get(reverse("hazards:verification"))
    assert page.status_code == 200 and 'data-testid="draw-form"' in page.content.decode()
    bad = client.post(reverse("hazards:verification"), {"period_start": "x", "method": "percent"})
    assert bad.status_code == 400 and "请修正" in bad.content.decode()
    response = client.post(
        reverse("hazards:verification"),
        {
            "period_start": (TODAY() - timedelta(days=30)).isoformat(),
            "period_end": TODAY().isoformat(),
            "method": "count",
            "size_value": "3",
            "seed": "99",
        },
    )
    assert response.status_code == 302
    sample = verification.samples_for(city_office).get()
    detail = client.get(sample.get_absolute_url())
    assert detail.status_code == 200 and "已核查 0 / 3" in detail.content.decode()
    item = sample.items.order_by("id").first()
    refused = client.post(reverse("hazards:verification_check", args=[item.pk]), {"verdict": "fails"})
    assert refused.status_code == 400 and "核查意见" in refused.content.decode()
    done = client.post(
        reverse("hazards:verification_check", args=[item.pk]),
        {"verdict": "fails", "opinion": "未整改到位", "reopen": "on"},
    )
    assert done.status_code == 302
    item.hazard.refresh_from_db()
    assert item.hazard.status == Status.RECTIFYING
    export = client.get(sample.get_absolute_url() + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "随机种子 99" in values[0][0]
    header = values[1]
    rows = [dict(zip(header, r, strict=False)) for r in values[2:]]
    assert len(rows) == 3 and {r["核查结论"] for r in rows} == {"不属实", "待核查"}


def test_county_sees_verdicts_on_its_hazards_and_nothing_else(cast, city_office, closures, client_for):
    sample = draw(city_office, method="percent", value=100)
    town_a_item = sample.items.filter(hazard__enterprise=cast.enterprise_a).first()
    verification.record_verdict(town_a_item, actor=city_office, holds=False, opinion="资料不实")
    county = client_for(cast.office).get(reverse("hazards:verification")).content.decode()
    assert "资料不实" in county and 'data-testid="draw-form"' not in county
    assert "资料不实" in client_for(cast.town_a_user).get(reverse("hazards:verification")).content.decode()
    assert (
        "资料不实" not in client_for(cast.town_b_user).get(reverse("hazards:verification")).content.decode()
    )
    assert (
        "资料不实"
        not in client_for(cast.outsider_office).get(reverse("hazards:verification")).content.decode()
    )
    # The hazard page shows it to the county.
    detail = client_for(cast.office).get(town_a_item.hazard.get_absolute_url()).content.decode()
    assert 'data-testid="verification-verdict"' in detail and "资料不实" in detail
    # The sample itself is the city's.
    assert client_for(cast.office).get(sample.get_absolute_url()).status_code == 404
    other = sample.items.exclude(pk=town_a_item.pk).first()
    refused = client_for(cast.office).post(
        reverse("hazards:verification_check", args=[other.pk]), {"verdict": "holds"}
    )
    assert refused.status_code == 400 and "市级安委办" in refused.content.decode()
    assert VerificationItem.objects.get(pk=other.pk).verdict == Verdict.PENDING


@pytest.mark.parametrize(
    "who, status", [("enterprise_a_user", 403), ("grid_a_user", 403), ("sys_admin", 403)]
)
def test_roles_without_the_page(cast, client_for, who, status):
    assert client_for(getattr(cast, who)).get(reverse("hazards:verification")).status_code == status


def test_non_office_cannot_post_a_draw(cast, client_for, closures):
    assert client_for(cast.leader).post(reverse("hazards:verification"), {}).status_code == 403


# --- API --------------------------------------------------------------------------------------------------------
def test_api_lists_in_scope_and_records_verdicts(cast, city_office, closures, api_for):
    sample = draw(city_office, method="percent", value=100)
    item = sample.items.filter(hazard__enterprise=cast.enterprise_a).first()
    url = f"/api/hazards/verification-items/{item.pk}/verdict/"
    assert api_for(cast.office).post(url, {"holds": True}, format="json").status_code == 409  # not the city
    assert api_for(cast.enterprise_a_user).post(url, {"holds": True}, format="json").status_code == 403
    bad = api_for(city_office).post(url, {"holds": False, "opinion": ""}, format="json")
    assert bad.status_code == 400 and "核查意见" in str(bad.json())
    done = api_for(city_office).post(
        url, {"holds": False, "opinion": "未整改", "reopen": True}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["verdict"] == "fails" and done.json()["reopened_at"]
    again = api_for(city_office).post(url, {"holds": True}, format="json")
    assert again.status_code == 409 and "已核查" in again.json()["detail"]
    town_a = api_for(cast.town_a_user).get("/api/hazards/verification-items/").json()
    rows = town_a["results"] if isinstance(town_a, dict) else town_a
    assert {r["hazard_number"] for r in rows} == set(
        sample.items.filter(hazard__enterprise=cast.enterprise_a).values_list("hazard__number", flat=True)
    )
    town_b = api_for(cast.town_b_user).get("/api/hazards/verification-items/", {"verdict": "fails"}).json()
    assert not (town_b["results"] if isinstance(town_b, dict) else town_b)


def test_only_the_city_that_drew_checks_not_the_province_above(cast, city_office, closures):
    province = Territory.objects.get(code="990000")
    org = Organisation.objects.create(name="测试省安委办", kind=OrganisationKind.OFFICE, territory=province)
    province_office = make_user("province_office", Role.OFFICE, province, org)
    item = draw(city_office, method="count", value=1).items.get()
    assert verification.samples_for(province_office).count() == 1  # the province reads the city's samples
    with pytest.raises(TransitionRefused, match="组织本次核查"):
        verification.record_verdict(item, actor=province_office, holds=True, opinion="")


def test_sample_list_query_count_does_not_grow_with_samples(
    cast, city_office, closures, client_for, django_assert_max_num_queries
):
    client = client_for(city_office)
    draw(city_office, method="count", value=2)
    client.get(reverse("hazards:verification"))
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("hazards:verification"))
    for _ in range(4):
        draw(city_office, method="count", value=2)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("hazards:verification"))
    assert len(page.context["samples"]) == 5
