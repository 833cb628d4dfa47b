"""Write flows through the pages: each goes through its service (recompute, transitions, audit)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.models import AuditEntry
from anjian.registry.models import BlacklistEntry, ClosureRecord, Enterprise, MajorHazardSource, RiskPoint

from .factories import make_listing, make_risk_point

pytestmark = pytest.mark.django_db


def test_risk_point_form_grades_and_recolours_the_unit(cast, client_for):
    client = client_for(cast.enterprise_a_user)
    data = {
        "enterprise": cast.enterprise_a.pk,
        "name": "液氨储罐",
        "method": "lec",
        "lec_l": "6",
        "lec_e": "6",
        "lec_c": "15",
        "ls_l": "3",
        "assessed_on": "2026-01-05",
        "is_active": "on",
    }
    response = client.post("/registry/riskpoints/add/", data)
    assert response.status_code == 302
    point = RiskPoint.objects.get()
    assert (point.score, point.level, point.ls_l) == (540, "major", None)
    assert Enterprise.objects.get(pk=cast.enterprise_a.pk).risk_level == "major"
    bad = client.post("/registry/riskpoints/add/", {**data, "lec_l": "", "name": "缺L"})
    assert bad.status_code == 400
    assert "LEC 法需要填写 L、E、C 三个取值" in bad.content.decode()
    other = client.post("/registry/riskpoints/add/", {**data, "enterprise": cast.enterprise_b.pk})
    assert other.status_code == 400  # B is not a choice for A's staff
    assert RiskPoint.objects.count() == 1


def test_major_hazard_substances_added_on_the_page_compute_r(cast, client_for):
    client = client_for(cast.inspector)
    client.post(
        "/registry/majorhazards/add/",
        {"enterprise": cast.enterprise_a.pk, "name": "氯气罐区", "people_within_500m": "40"},
    )
    source = MajorHazardSource.objects.get()
    response = client.post(
        f"/registry/majorhazards/{source.pk}/substances/",
        {"name": "液氯", "hazard_class": "toxic_gas", "quantity_t": "50", "threshold_t": "5"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.r_value, source.level) == (48, 3)  # α 1.2 × β 4 × 10 = 48 → 三级
    page = client.get(f"/registry/majorhazards/{source.pk}/").content.decode()
    assert "三级" in page and "液氯" in page
    assert (
        client_for(cast.inspector_other)
        .post(f"/registry/majorhazards/{source.pk}/substances/", {"name": "x"})
        .status_code
        == 404
    )


def test_blacklist_listing_and_early_removal_pages(cast, client_for):
    client = client_for(cast.office)
    start = date.today() - timedelta(days=400)
    response = client.post(
        "/registry/blacklist/add/",
        {
            "enterprise": cast.enterprise_a.pk,
            "ground": "no_licence",
            "penalty_decision_no": "罚〔2025〕3号",
            "decision_no": "失信〔2025〕3号",
            "start_date": start.isoformat(),
        },
    )
    assert response.status_code == 302
    entry = BlacklistEntry.objects.get()
    assert entry.end_date.year == start.year + 3
    assert "严重失信" in client.get(f"/registry/enterprises/{cast.enterprise_a.pk}/").content.decode()
    client.post(
        f"/registry/blacklist/{entry.pk}/remove/",
        {"removed_on": date.today().isoformat(), "reason": "已整改"},
    )
    entry.refresh_from_db()
    assert entry.removed_on == date.today()
    assert AuditEntry.objects.filter(action="registry.blacklist_removed").count() == 2
    assert (
        client_for(cast.town_a_user)
        .post(f"/registry/blacklist/{entry.pk}/restore/", {"reason": "x"})
        .status_code
        == 403
    )


def test_recent_listing_cannot_be_removed_and_the_page_says_why(cast, client_for):
    entry = make_listing(cast.enterprise_a, date.today() - timedelta(days=30))
    client = client_for(cast.office)
    response = client.post(
        f"/registry/blacklist/{entry.pk}/remove/",
        {"removed_on": date.today().isoformat(), "reason": "已整改"},
        follow=True,
    )
    assert "列入满12个月后方可提前移出" in response.content.decode()
    entry.refresh_from_db()
    assert entry.removed_on is None


def test_persons_are_listed_with_the_unit(cast, client_for, api_for):
    """应急管理部令第11号 (CR-04/CR-05): the unit "及其主要负责人" — persons listed with the entry."""
    from anjian.registry import rules, services
    from anjian.registry.models import BlacklistPerson

    entry = make_listing(cast.enterprise_a, date.today() - timedelta(days=30))
    number = "11010119800101001" + rules.id_number_check_char("11010119800101001")
    url = f"/registry/blacklist/{entry.pk}/persons/"
    bad = client_for(cast.office).post(
        url, {"name": "张三", "role": "principal", "id_number": "110101198001010011"}, follow=True
    )
    assert "身份证号码格式不正确" in bad.content.decode() and not BlacklistPerson.objects.exists()
    assert client_for(cast.town_a_user).post(url, {"name": "张三", "role": "principal"}).status_code == 403
    client_for(cast.office).post(
        url, {"name": "张三", "role": "principal", "position": "总经理", "id_number": number}
    )
    person = BlacklistPerson.objects.get()
    page = client_for(cast.office).get(entry.get_absolute_url()).content.decode()
    assert "张三" in page and person.id_number_masked in page and number not in page
    assert [p.pk for p in services.listed_persons("张三", number)] == [person.pk]
    assert [p.pk for p in services.listed_persons("张三")] == [person.pk]
    assert services.listed_persons("张三", day=date.today() + timedelta(days=3 * 366)).count() == 0
    api = api_for(cast.office).get(f"/api/registry/blacklist/{entry.pk}/").json()
    assert api["persons"][0]["id_number"] == person.id_number_masked
    assert AuditEntry.objects.filter(action="registry.person_blacklisted").exists()


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_number_check_character(first17):
    from anjian.registry import rules

    number = first17 + rules.id_number_check_char(first17)
    try:
        date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
        real_birth_date = True
    except ValueError:
        real_birth_date = False
    assert rules.valid_id_number(number) is real_birth_date
    wrong = next(c for c in "0123456789X" if c != number[-1])
    assert not rules.valid_id_number(first17 + wrong)


def test_closure_of_a_registered_unit_bans_it(cast, client_for):
    response = client_for(cast.office).post(
        "/registry/closures/add/",
        {
            "enterprise": cast.enterprise_b.pk,
            "reason": "非法生产",
            "decision_no": "府关〔2026〕1号",
            "decided_by": "测试区人民政府",
            "decided_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    closure = ClosureRecord.objects.get()
    assert (closure.name, closure.territory_id) == ("乙建筑有限公司", cast.village_b.pk)
    assert Enterprise.objects.get(pk=cast.enterprise_b.pk).status == "banned"
    assert AuditEntry.objects.filter(action="registry.status_ban").exists()


def test_register_lists_flag_blacklisted_units_without_n_plus_1(
    cast, client_for, django_assert_max_num_queries
):
    make_listing(cast.enterprise_a, date.today())
    for i in range(15):
        make_risk_point(cast.enterprise_a if i % 2 else cast.enterprise_b, name=f"点{i}")
    client = client_for(cast.office)
    client.get("/registry/riskpoints/")
    with django_assert_max_num_queries(10):
        html = client.get("/registry/riskpoints/").content.decode()
    assert html.count('data-testid="blacklist-badge"') == 2 * 7  # the table and the phone cards


def test_frequency_table_is_edited_by_the_office_only(cast, client_for):
    from anjian.registry.models import SupervisionFrequency

    row, _ = SupervisionFrequency.objects.get_or_create(
        risk_level="major", defaults={"inspections_per_year": 12}
    )
    assert client_for(cast.town_a_user).get(f"/registry/frequency/{row.pk}/edit/").status_code == 403
    client_for(cast.office).post(
        f"/registry/frequency/{row.pk}/edit/", {"inspections_per_year": "24", "note": "加密"}
    )
    row.refresh_from_db()
    assert row.inspections_per_year == 24
