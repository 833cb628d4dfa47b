"""List pages as people use them: filters in plain words (全部, 是/否, status chips), "共 N 条" without an
unbounded COUNT(*), and rows as cards on a phone."""

import django_filters
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core import pagination
from anjian.core.filters import FilterSet, UserFilter
from anjian.core.models import Territory, User
from anjian.core.pagination import CountHint, count_hint
from anjian.core.roles import Role
from anjian.core.tables import Column
from anjian.core.testing import slowed_under_budget
from anjian.core.views.generic import card_layout, cards

pytestmark = pytest.mark.django_db


def request_for(rf, user):
    request = rf.get("/")
    request.user = user
    return request


# --- filters ---------------------------------------------------------------------------------------------
def test_choice_and_model_choice_filters_offer_all_not_dashes(cast, rf):
    form = UserFilter(None, queryset=User.objects.all(), request=request_for(rf, cast.sys_admin)).form
    for name in ("role", "territory"):
        html = str(form[name])
        assert '<option value="" selected>全部</option>' in html, name
        assert "---------" not in html


def test_yes_no_filters_say_all_yes_no(cast, rf):
    request = request_for(rf, cast.sys_admin)
    html = str(UserFilter(None, queryset=User.objects.all(), request=request).form["is_active"])
    assert [*map(str.strip, html.split("</option>")[:3])] == [
        '<select name="is_active" class="form-select" id="id_is_active">\n  <option value="" selected>全部',
        '<option value="true">是',
        '<option value="false">否',
    ]
    assert "未知" not in html
    chosen = UserFilter({"is_active": "false"}, queryset=User.objects.all(), request=request)
    assert '<option value="false" selected>否</option>' in str(chosen.form["is_active"])
    assert chosen.is_valid() and not chosen.qs.filter(is_active=True).exists()
    everyone = UserFilter({"is_active": ""}, queryset=User.objects.all(), request=request)
    assert everyone.is_valid() and everyone.qs.count() == User.objects.count()


class StatusFilter(FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="状态", field_name="role", choices=[(Role.OFFICE, "安委办"), (Role.TOWN, "镇街")]
    )
    stage = django_filters.ChoiceFilter(
        label="阶段", field_name="role", choices=[(Role.GRID, "网格员"), (Role.LEADER, "领导")]
    )
    role = django_filters.ChoiceFilter(label="角色状态", choices=Role.choices)  # 9 values: too many chips

    class Meta:
        model = User
        fields = ["status", "stage", "role"]


def test_status_filters_are_toggle_chips(cast):
    filterset = StatusFilter({"status": [Role.OFFICE, Role.TOWN]}, queryset=User.objects.all())
    chips = str(filterset.form["status"])
    assert chips.count('type="checkbox" class="btn-check"') == 2 and chips.count(" checked") == 2
    assert set(filterset.qs.values_list("role", flat=True)) == {Role.OFFICE, Role.TOWN}
    single = str(filterset.form["stage"])  # one choice: radio chips, 全部 first
    assert single.count('type="radio" class="btn-check"') == 3 and 'value="" id="id_stage_0"' in single
    assert ">全部</label>" in single
    assert str(filterset.form["role"]).startswith("<select")


def test_list_page_renders_the_plain_filters(cast, client_for):
    html = client_for(cast.sys_admin).get("/core/users/").content.decode()
    assert ">全部</option>" in html and ">是</option>" in html and ">否</option>" in html
    assert "---------" not in html and "未知" not in html


# --- how many rows ---------------------------------------------------------------------------------------
def test_count_hint_is_exact_below_the_limit(cast):
    queryset = Territory.objects.all()
    with CaptureQueriesContext(connection) as queries:
        hint = count_hint(queryset, limit=1000)
    assert hint == CountHint(queryset.count(), exact=True)
    assert str(hint) == f"共 {queryset.count()} 条"
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)  # never an unbounded COUNT(*)


def test_count_hint_past_the_limit_is_approximate(cast):
    hint = count_hint(Territory.objects.all(), limit=3)
    assert not hint.exact
    if connection.vendor == "postgresql":  # the planner's estimate, or the floor if it guesses lower
        assert str(hint).startswith(("约 ", "超过 3 条"))
    else:
        assert str(hint) == "超过 3 条"


def test_count_hint_uses_the_planner_estimate_where_there_is_one(cast, monkeypatch):
    monkeypatch.setattr(pagination, "_planner_estimate", lambda queryset: 123_456)
    hint = count_hint(Territory.objects.all(), limit=3)
    assert hint == CountHint(120_000, exact=False, estimated=True)
    assert str(hint) == "约 120,000 条"


def _statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_count_that_takes_too_long_gives_way_to_the_estimate(cast, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_BUDGET_MS", 20)
    slow = Territory.objects.extra(where=["pg_sleep(0.01) IS NOT NULL"])  # 10 ms a row
    assert Territory.objects.count() > 2
    before = _statement_timeout()
    hint = count_hint(slow, limit=1000)
    assert hint.estimated and not hint.exact and str(hint).startswith("约 ")
    # The request goes on in its transaction, with its own timeout.
    assert _statement_timeout() == before
    assert Territory.objects.filter(pk=cast.district.pk).exists()
    # An estimate below what the page already shows is not believed.
    monkeypatch.setattr(pagination, "_planner_estimate", lambda queryset: 3)
    assert str(count_hint(slow, limit=1000, at_least=50)) == "超过 50 条"


def test_a_count_in_time_is_exact_and_leaves_the_timeout_as_it_was(cast):
    before = _statement_timeout() if connection.vendor == "postgresql" else None
    hint = count_hint(Territory.objects.all(), limit=1000)
    assert hint == CountHint(Territory.objects.count(), exact=True)
    if before is not None:
        assert _statement_timeout() == before


def test_a_unit_name_search_looks_only_at_the_users_units(cast, client_for):
    """The name match is an id lookup of units, limited to the user's territory (a town's units, not the whole
    province's), and still finds the hazards of the user's units."""
    from anjian.hazards.tests.conftest import make_hazard

    hazard = make_hazard(cast, description="配电箱未接地")
    with CaptureQueriesContext(connection) as captured:
        html = client_for(cast.town_a_user).get("/hazards/", {"q": cast.enterprise_a.name}).content.decode()
    lookup = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "registry_enterprise"."id"'))
    assert "territory_path" in lookup and cast.town_a.path in lookup
    assert hazard.number in html


def test_list_page_shows_the_count(cast, client_for):
    html = client_for(cast.office).get("/core/territories/").content.decode()
    visible = Territory.objects.filter(path__startswith=cast.district.path).count()
    assert f'data-testid="count-hint">共 {visible} 条<' in html


def test_a_search_is_counted_only_up_to_its_own_limit(cast, client_for, settings, monkeypatch):
    """A text search counts exactly up to SEARCH_COUNT_LIMIT (its matches are scattered over the table), the
    plain list up to EXACT_COUNT_LIMIT."""
    from anjian.core.views import generic

    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 2}
    monkeypatch.setattr(generic, "SEARCH_COUNT_LIMIT", 2)
    client = client_for(cast.office)
    visible = Territory.objects.filter(path__startswith=cast.district.path)
    matching = visible.filter(code__startswith=cast.district.code[:6])
    assert matching.count() > 2

    plain = client.get("/core/territories/").content.decode()
    assert f'data-testid="count-hint">共 {visible.count()} 条<' in plain
    searched = client.get("/core/territories/", {"q": cast.district.code[:6]}).content.decode()
    hint = searched.split('data-testid="count-hint">', 1)[1].split("<", 1)[0]
    assert hint.startswith(("约 ", "超过 2 条")), hint


# --- phone cards -----------------------------------------------------------------------------------------
def test_card_parts_come_from_column_labels():
    columns = [
        Column("隐患编号", "number", link=True),
        Column("单位", "enterprise.name"),
        Column("隐患描述", "description"),
        Column("级别", "grade"),
        Column("状态", "status"),
        Column("整改期限", "deadline"),
    ]
    assert card_layout(columns, {}) == {"title": 0, "status": 4, "deadline": 5, "unit": 1}
    assert card_layout(columns, {"title": "隐患描述", "status": "状态"}) == {"title": 2, "status": 4}
    rows = [(None, ["YH1", "甲企业", "", "一般", "整改中", "2026-12-01"])]
    (card,) = cards(columns, rows, {})
    assert card["title"] == "YH1" and card["unit"] == "甲企业" and card["deadline_label"] == "整改期限"
    assert card["details"] == [("级别", "一般")]  # empty cells are left out


def test_list_html_has_a_card_per_row_for_phones(cast, client_for):
    html = client_for(cast.office).get("/core/territories/").content.decode()
    assert 'class="table-responsive d-none d-md-block"' in html
    assert 'class="d-md-none list-cards" data-testid="object-cards"' in html
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>")
    assert html.count('data-testid="object-card"') == rows > 0
    assert 'data-testid="filter-toggle"' in html  # on a phone the filters fold away behind one button


# --- a search the planner gets wrong ------------------------------------------------------------------------
def _page_rows(html: str) -> list[str]:
    body = html.split('data-testid="object-table"', 1)[1].split("</tbody>", 1)[0]
    return [row.split("</tr>", 1)[0] for row in body.split("<tr>")[2:]]


def _next_url(html: str) -> str | None:
    if 'data-testid="next-page"' not in html:
        return None
    return (
        html.split('data-testid="next-page"', 1)[0]
        .rsplit('href="', 1)[1]
        .split('"', 1)[0]
        .replace("&amp;", "&")
    )


def _pages(client, url) -> list[list[str]]:
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(_page_rows(html))
        url = _next_url(html)
    return pages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_search_whose_plan_runs_out_of_time_collects_its_matches_first(
    cast, client_for, settings, monkeypatch
):
    """The page's natural plan is cancelled at its budget; the matches are then collected first and sorted:
    the same rows in the same order on every page (an ordering of two columns), counted without a query of
    its own, and the request's transaction and timeout carry on."""
    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 3}
    cache.clear()  # no plan remembered from another test
    client = client_for(cast.office)
    url = f"/core/territories/?q={cast.district.code[:6]}"
    expected = _pages(client, url)
    timeout = _statement_timeout()
    assert len(expected) > 1 and sum(map(len, expected)) > 3

    monkeypatch.setattr(pagination, "SEARCH_PAGE_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "keyset_page", slowed_under_budget(pagination.keyset_page, 1))
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url).content.decode()
    assert any("OFFSET 0) AS matches" in q["sql"] for q in captured.captured_queries)
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)
    matching = Territory.objects.filter(
        path__startswith=cast.district.path, code__icontains=cast.district.code[:6]
    )
    assert f'data-testid="count-hint">共 {matching.count()} 条<' in first
    assert _pages(client, url) == expected
    assert _statement_timeout() == timeout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_search_whose_plan_ran_out_of_time_goes_to_its_matches_first_next_time(
    cast, client_for, settings, monkeypatch
):
    """With few matches, its next pages and a refresh do not spend the natural plan's budget again; the same list
    searched for other words, or a search with many matches, still tries the natural plan first."""
    settings.ANJIAN = {**settings.ANJIAN, "LIST_PAGE_SIZE": 3}
    cache.clear()
    url = f"/core/territories/?q={cast.district.code[:6]}"
    expected = _pages(client_for(cast.office), url)
    natural_plans = []
    slowed = slowed_under_budget(pagination.keyset_page, 1)

    def counted(*args, **kwargs):
        natural_plans.append(args)
        return slowed(*args, **kwargs)

    monkeypatch.setattr(pagination, "SEARCH_PAGE_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "keyset_page", counted)
    client = client_for(cast.office)
    client.get(url)
    assert len(natural_plans) == 1  # tried once, ran out of time
    assert _pages(client, url) == expected  # every page again: matches first at once
    assert len(natural_plans) == 1
    client.get(f"/core/territories/?q={cast.district.code[:4]}")  # other words: tried again
    assert len(natural_plans) == 2
    cache.clear()  # forgotten (as after SEARCH_PLAN_MEMORY_S): tried again
    client.get(url)
    assert len(natural_plans) == 3
    # Many matches: the natural plan finds a page at once and was only unlucky: tried again every time.
    cache.clear()
    monkeypatch.setattr(pagination, "SEARCH_COUNT_LIMIT", 1)
    client.get(url)
    client.get(url)
    assert len(natural_plans) == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_search_too_broad_for_its_scope_asks_to_narrow_it(cast, client_for, monkeypatch):
    cache.clear()
    monkeypatch.setattr(pagination, "SEARCH_PAGE_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "SEARCH_FALLBACK_BUDGET_MS", 20)
    monkeypatch.setattr(pagination, "keyset_page", slowed_under_budget(pagination.keyset_page, 1))
    monkeypatch.setattr(pagination, "matches_first_ids", slowed_under_budget(pagination.matches_first_ids, 1))
    response = client_for(cast.office).get("/core/territories/", {"q": cast.district.code[:6]})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="search-too-broad"' in html and "缩小范围" in html
    assert "没有符合条件的记录" in html and 'data-testid="count-hint"' not in html
    # Without a search the same list is unaffected.
    assert (
        'data-testid="search-too-broad"'
        not in client_for(cast.office).get("/core/territories/").content.decode()
    )


@pytest.mark.parametrize(
    "word, expected",
    [
        ("接地", {"配电箱未接地"}),  # two characters: the pair index on PostgreSQL
        ("消防通道", {"消防通道堵塞"}),  # three or more: the trigram index
        ("地", {"配电箱未接地"}),  # one: no index
        ("ab", {"AB-12 号设备漏电"}),  # either case
        ("B-1", {"AB-12 号设备漏电"}),
        ("%", set()),  # a LIKE wildcard is a character like any other
        ("_", set()),
        ("电", {"配电箱未接地", "AB-12 号设备漏电"}),
    ],
)
def test_a_search_finds_words_of_any_length(cast, client_for, word, expected):
    from anjian.hazards.tests.conftest import make_hazard

    descriptions = ["配电箱未接地", "消防通道堵塞", "AB-12 号设备漏电"]
    for description in descriptions:
        make_hazard(cast, description=description, location="车间")
    html = client_for(cast.office).get("/hazards/", {"q": word}).content.decode()
    assert {d for d in descriptions if d in html} == expected, word


def test_a_two_character_unit_name_search_finds_the_units_hazards(cast, client_for):
    from anjian.hazards.tests.conftest import make_hazard

    hazard = make_hazard(cast, description="配电箱未接地")
    name = cast.enterprise_a.name
    pair = next(
        name[i : i + 2] for i in range(len(name) - 1) if name[i : i + 2] not in cast.enterprise_b.name
    )
    with CaptureQueriesContext(connection) as captured:
        html = client_for(cast.office).get("/hazards/", {"q": pair}).content.decode()
    assert hazard.number in html
    if connection.vendor == "postgresql":  # the units' names are looked up through their pair index at once
        lookup = next(q["sql"] for q in captured if q["sql"].startswith('SELECT "registry_enterprise"."id"'))
        assert "regexp_replace" in lookup and "STRPOS" not in lookup


@pytest.mark.parametrize("word_length", [2, 4])
def test_a_unit_name_common_in_the_territory_is_checked_over_the_join(
    cast, client_for, monkeypatch, word_length
):
    """More matching units than the id lookup lists: the name is checked on each row through the join instead
    (no list of ids, no subquery over the unit table); the same hazards are found."""
    from anjian.core import filters
    from anjian.hazards.tests.conftest import make_hazard

    hazard = make_hazard(cast, description="配电箱未接地")
    other = make_hazard(cast, description="配电箱未接地", enterprise=cast.enterprise_b)
    word = cast.enterprise_a.name[:word_length]
    assert word not in cast.enterprise_b.name
    monkeypatch.setattr(filters, "MAX_RELATED_SEARCH_IDS", 0)
    with CaptureQueriesContext(connection) as captured:
        html = client_for(cast.office).get("/hazards/", {"q": word}).content.decode()
    assert hazard.number in html and other.number not in html
    page = next(q["sql"] for q in captured if 'FROM "hazards_hazard"' in q["sql"])
    assert (
        'INNER JOIN "registry_enterprise"' in page
        and '"registry_enterprise"."name"' in page.split(" WHERE ", 1)[1]
    )
