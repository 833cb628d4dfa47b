"""Risk-based targeting (重点检查对象排序): the score is the sum of the matched rules' points, the reasons explain
each point, the facts are counted in bulk, and the pages, export, API and plans share one scope."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.audit import history_for
from anjian.inspections import targeting
from anjian.inspections.models import (
    Inspection,
    InspectionStatus,
    Level,
    PlanKind,
    TargetingFactor,
    TargetingRule,
)
from anjian.inspections.targeting import Rule, UnitFacts, match, rank_key, score

COLOURS = ["", "major", "high", "medium", "low"]


@pytest.fixture(autouse=True)
def _rules_seeded(request):
    """The default rules come with a data migration; a transactional test elsewhere may have flushed them."""
    if "db" in request.fixturenames or "cast" in request.fixturenames:
        from anjian.inspections.data.targeting import seed_targeting_rules

        request.getfixturevalue("db")
        seed_targeting_rules(TargetingRule)


# --- the rules, pure ------------------------------------------------------------------------------------------
def expected_match(rule: Rule, f: UnitFacts) -> bool:
    """An independent reading of each factor's condition (the oracle of the property tests)."""
    t = max(rule.threshold, 1)
    return {
        "risk_colour": bool(rule.risk_level) and f.risk_level == rule.risk_level,
        "open_hazards": f.open_hazards >= t,
        "overdue_hazards": f.overdue_hazards >= t,
        "major_hazards": f.major_hazards >= t,
        "hazard_sources": f.hazard_sources >= t,
        "accidents": f.accidents.get(rule.window_days, 0) >= t,
        "blacklisted": f.blacklisted,
        "inspection_gap": f.inspections_per_year > 0
        and (
            f.days_since_inspection is None
            or f.days_since_inspection >= 365 * rule.threshold / (100 * f.inspections_per_year)
        ),
        "unacked_warnings": f.unacked_warnings.get(rule.window_days, 0) >= t,
    }[rule.factor]


windows = st.sampled_from([30, 365])
rules_strategy = st.lists(
    st.builds(
        Rule,
        factor=st.sampled_from(TargetingFactor.values),
        points=st.integers(-20, 50),
        threshold=st.integers(0, 400),
        risk_level=st.sampled_from(COLOURS),
        window_days=windows,
    ),
    max_size=12,
)
facts_strategy = st.builds(
    UnitFacts,
    risk_level=st.sampled_from(COLOURS),
    open_hazards=st.integers(0, 8),
    overdue_hazards=st.integers(0, 5),
    major_hazards=st.integers(0, 3),
    hazard_sources=st.integers(0, 3),
    accidents=st.dictionaries(windows, st.integers(0, 3)),
    blacklisted=st.booleans(),
    days_since_inspection=st.none() | st.integers(0, 1000),
    inspections_per_year=st.sampled_from([0, 1, 2, 4, 12]),
    unacked_warnings=st.dictionaries(windows, st.integers(0, 3)),
)


@given(rules_strategy, facts_strategy)
def test_score_is_the_sum_of_the_matched_rules_points(rules, facts):
    total, reasons = score(rules, facts)
    assert total == sum(r.points for r in rules if expected_match(r, facts))
    assert total == sum(r.points for r in reasons)  # every point has its reason shown
    assert len(reasons) == sum(1 for r in rules if expected_match(r, facts))
    assert [r.points for r in reasons] == sorted((r.points for r in reasons), reverse=True)


@given(st.lists(st.tuples(rules_strategy, facts_strategy), min_size=2, max_size=2), rules_strategy)
def test_ranking_puts_higher_scores_first(pairs, rules):
    rows = []
    for pk, (_, facts) in enumerate(pairs, start=1):
        total, _ = score(rules, facts)
        rows.append((rank_key(total, facts, f"单位{pk}", pk), total, facts))
    rows.sort(key=lambda r: r[0])
    scores = [total for _, total, _ in rows]
    assert scores == sorted(scores, reverse=True)
    if scores[0] == scores[1]:  # a tie: the unit waiting longer for an inspection comes first
        waits = [10**6 if f.days_since_inspection is None else f.days_since_inspection for _, _, f in rows]
        assert waits[0] >= waits[1]


@pytest.mark.parametrize(
    ("rule", "facts", "expected"),
    [
        (Rule("risk_colour", 30, risk_level="major"), UnitFacts(risk_level="major"), "+30 红色风险"),
        (Rule("risk_colour", 30, risk_level="major"), UnitFacts(risk_level="high"), None),
        (Rule("overdue_hazards", 20), UnitFacts(overdue_hazards=2), "+20 逾期隐患2处"),
        (Rule("overdue_hazards", 20), UnitFacts(overdue_hazards=0), None),
        (Rule("open_hazards", 10, threshold=3), UnitFacts(open_hazards=2), None),
        (Rule("major_hazards", 25), UnitFacts(major_hazards=1), "+25 重大事故隐患未销号1处"),
        (Rule("accidents", 25, window_days=365), UnitFacts(accidents={365: 1}), "+25 近365天发生事故1起"),
        (Rule("blacklisted", 20), UnitFacts(blacklisted=True), "+20 列入严重失信主体名单"),
        # 应每季度1次: the interval is 91.25 days; 190 days is past it, 90 days is not.
        (
            Rule("inspection_gap", 15, threshold=100),
            UnitFacts(days_since_inspection=190, inspections_per_year=4),
            "+15 距上次检查 190 天（应每季度1次）",
        ),
        (
            Rule("inspection_gap", 15, threshold=100),
            UnitFacts(days_since_inspection=90, inspections_per_year=4),
            None,
        ),
        (
            Rule("inspection_gap", 10, threshold=200),
            UnitFacts(days_since_inspection=183, inspections_per_year=4),
            "+10 距上次检查 183 天，超过应检间隔2倍",
        ),
        (
            Rule("inspection_gap", 15),
            UnitFacts(days_since_inspection=None, inspections_per_year=12),
            "+15 从未检查（应每月1次）",
        ),
        (Rule("inspection_gap", 15), UnitFacts(days_since_inspection=None, inspections_per_year=0), None),
        (
            Rule("inspection_gap", 10, threshold=200),
            UnitFacts(inspections_per_year=1),
            "+10 从未检查（超过应检间隔2倍）",
        ),
        (
            Rule("unacked_warnings", 10, window_days=30),
            UnitFacts(unacked_warnings={30: 2}),
            "+10 近30天预警逾期未签收2条",
        ),
    ],
)
def test_each_reason_reads_as_shown(rule, facts, expected):
    reason = match(rule, facts)
    assert (str(reason) if reason else None) == expected


# --- the facts, counted in bulk --------------------------------------------------------------------------------
def _rules():
    return targeting.active_rules()


def _set_colour(enterprise, colour):
    from anjian.registry.models import Enterprise

    Enterprise.objects.filter(pk=enterprise.pk).update(risk_level=colour)


def _inspected(enterprise, days_ago, level=Level.COUNTY, status=InspectionStatus.COMPLETED):
    return Inspection.objects.create(
        number=f"TX{enterprise.pk}-{days_ago}-{level}",
        level=level,
        status=status,
        enterprise=enterprise,
        territory=enterprise.territory,
        inspected_on=timezone.localdate() - timedelta(days=days_ago),
    )


def test_default_rules_are_seeded_with_their_basis(cast):
    rules = list(TargetingRule.objects.all())
    assert len(rules) >= 10
    assert all(r.note for r in rules)
    assert {r.factor for r in rules} == set(TargetingFactor.values)


def test_facts_and_reasons_of_a_unit(cast):
    from anjian.hazards.tests.conftest import make_hazard
    from anjian.registry.models import BlacklistEntry

    a, b = cast.enterprise_a, cast.enterprise_b
    _set_colour(a, "major")
    make_hazard(cast, status="rectifying", is_overdue=True)
    make_hazard(cast, status="rectifying", is_overdue=True)
    make_hazard(cast, status="plan_set", grade="major")
    make_hazard(cast, status="closed", is_overdue=False)  # closed: not counted
    _inspected(a, 190)
    _inspected(a, 5, level=Level.SELF)  # 企业自查 is not a supervision inspection
    _inspected(a, 3, status=InspectionStatus.DRAFT)  # not completed
    BlacklistEntry.objects.create(
        enterprise=b,
        ground="concealed",
        penalty_decision_no="X罚〔2026〕1号",
        decision_no="X失信〔2026〕1号",
        start_date=timezone.localdate() - timedelta(days=10),
    )

    ranking = targeting.rank_units(targeting.scoped_units(cast.office))
    by_unit = {r.enterprise_id: r for r in ranking}
    first = by_unit[a.pk]
    assert ranking[0].enterprise_id == a.pk
    assert (
        first.facts.open_hazards == 3 and first.facts.overdue_hazards == 2 and first.facts.major_hazards == 1
    )
    assert first.facts.days_since_inspection == 190
    assert first.facts.inspections_per_year == 12
    text = first.reasons_text
    assert "+30 红色风险" in text
    assert "+20 逾期隐患2处" in text
    assert "+25 重大事故隐患未销号1处" in text
    assert "+15 距上次检查 190 天（应每月1次）" in text
    assert "+10 距上次检查 190 天，超过应检间隔2倍" in text
    assert first.score == sum(r.points for r in first.reasons)
    second = by_unit[b.pk]
    assert "列入严重失信主体名单" in second.reasons_text
    assert "从未检查（应每年1次）" in second.reasons_text  # no colour yet: owed the lowest frequency


def test_rules_are_data_an_inactive_or_edited_rule_changes_the_score(cast):
    _set_colour(cast.enterprise_a, "major")
    units = targeting.scoped_units(cast.office).filter(pk=cast.enterprise_a.pk)
    before = targeting.rank_units(units)[0].score
    red = TargetingRule.objects.get(factor="risk_colour", risk_level="major")
    red.points = 50
    red.save()
    assert targeting.rank_units(units)[0].score == before + 20
    red.is_active = False
    red.save()
    assert targeting.rank_units(units)[0].score == before - 30


def test_ranking_takes_a_constant_number_of_queries(cast, django_assert_max_num_queries):
    from anjian.hazards.tests.conftest import make_hazard
    from anjian.registry.models import Enterprise
    from anjian.registry.tests.factories import valid_code

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            rows = targeting.rank_units(targeting.scoped_units(cast.office))
            targeting.attach_units(rows[:50])
            for row in rows[:50]:
                list(row.enterprise.sectors.all())
                row.enterprise.territory.name  # noqa: B018 (loaded with the page, no query)
        return len(ctx.captured_queries), len(rows)

    measure()  # the user's scope is read once and kept on the user
    few_queries, few = measure()
    for n in range(25):
        unit = Enterprise.objects.create(
            name=f"测试单位{n}", credit_code=valid_code(n + 100), territory=cast.village_a
        )
        unit.sectors.set([cast.hazchem])
        make_hazard(cast, status="rectifying", enterprise=unit, sector=cast.hazchem, is_overdue=n % 2 == 0)
        _inspected(unit, n * 10)
    many_queries, many = measure()
    assert many == few + 25
    assert many_queries == few_queries  # no query per unit
    with django_assert_max_num_queries(12):
        targeting.attach_units(targeting.rank_units(targeting.scoped_units(cast.office))[:50])


# --- pages, export, API: who may see what --------------------------------------------------------------------
ALLOWED = {"office", "inspector", "inspector_other", "town_a_user", "town_b_user", "outsider_office"}
VISIBLE = {
    "office": {"a", "b"},
    "inspector": {"a"},  # 应急: 危险化学品 only
    "inspector_other": {"b"},  # 住建: 建筑施工 only
    "town_a_user": {"a"},
    "town_b_user": {"b"},
    "outsider_office": set(),  # another district
}


@pytest.mark.parametrize(
    "who",
    [
        "office",
        "leader",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "grid_a_user",
        "enterprise_a_user",
        "enterprise_b_user",
        "outsider_office",
        "sys_admin",
        "sec_admin",
        "audit_admin",
    ],
)
def test_api_permission_and_scope_matrix(cast, api_for, who):
    user = getattr(cast, who)
    response = api_for(user).get("/api/inspections/targeting/")
    if who not in ALLOWED:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    names = {cast.enterprise_a.pk: "a", cast.enterprise_b.pk: "b"}
    seen = {names[r["enterprise"]] for r in response.json()["results"] if r["enterprise"] in names}
    assert seen == VISIBLE[who]
    assert response.json()["count"] == len(VISIBLE[who])


def test_api_returns_scores_with_reasons_and_validates_input(cast, api_for):
    _set_colour(cast.enterprise_a, "high")
    client = api_for(cast.office)
    body = client.get("/api/inspections/targeting/", {"risk_level": "high"}).json()
    assert [r["enterprise"] for r in body["results"]] == [cast.enterprise_a.pk]
    row = body["results"][0]
    assert row["score"] == sum(r["points"] for r in row["reasons"])
    assert {"factor": "risk_colour", "points": 20, "label": "橙色风险"} in row["reasons"]
    assert client.get("/api/inspections/targeting/", {"limit": "0"}).status_code == 400
    assert client.get("/api/inspections/targeting/", {"risk_level": "purple"}).status_code == 400


def test_api_is_in_the_openapi_schema(cast, api_for):
    schema = api_for(cast.office).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/inspections/targeting/" in paths
    assert "/api/inspections/plans/{id}/prioritise/" in paths


@pytest.mark.parametrize(
    "who", ["office", "inspector", "town_a_user", "leader", "grid_a_user", "enterprise_a_user"]
)
def test_page_permission(cast, client_for, who):
    response = client_for(getattr(cast, who)).get("/inspections/targeting/")
    assert response.status_code == (200 if who in ALLOWED else 403)


def test_page_filters_and_export(cast, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    _set_colour(cast.enterprise_a, "major")
    client = client_for(cast.office)
    page = client.get("/inspections/targeting/").content.decode()
    assert "+30 红色风险" in page and cast.enterprise_b.name in page
    filtered = client.get("/inspections/targeting/", {"territory": cast.town_b.pk}).content.decode()
    assert cast.enterprise_a.name not in filtered and cast.enterprise_b.name in filtered
    by_sector = client.get("/inspections/targeting/", {"sector": cast.hazchem.pk}).content.decode()
    assert cast.enterprise_b.name not in by_sector
    export = client.get("/inspections/targeting/", {"export": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "排名")
    first = values[header + 1]
    assert first[1] == cast.enterprise_a.name and "+30 红色风险" in first[6]


def test_the_office_edits_a_rule_with_history_others_may_not(cast, client_for):
    rule = TargetingRule.objects.get(factor="risk_colour", risk_level="major")
    url = f"/inspections/targeting/rules/{rule.pk}/edit/"
    assert client_for(cast.inspector).get(url).status_code == 403
    response = client_for(cast.office).post(
        url,
        {
            "factor": "risk_colour",
            "risk_level": "major",
            "threshold": 1,
            "points": 40,
            "note": rule.note,
            "is_active": "on",
            "sort_order": rule.sort_order,
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points == 40
    assert any("points" in (e.changes or {}) for e in history_for(rule))
    bad = client_for(cast.office).post(
        url, {"factor": "risk_colour", "risk_level": "", "threshold": 1, "points": 5, "sort_order": 1}
    )
    assert bad.status_code == 400 and "须选择一个风险等级" in bad.content.decode()


# --- plans take their 重点 list from the ranking ------------------------------------------------------------------
def test_plan_takes_its_priority_units_from_the_ranking(cast, make_plan, client_for):
    from anjian.core.models import AuditEntry

    _set_colour(cast.enterprise_b, "major")
    plan = make_plan(inspectors=[cast.inspector, cast.inspector_other])
    response = client_for(cast.office).post(f"/inspections/plans/{plan.pk}/prioritise/", {"count": "1"})
    assert response.status_code == 302
    task = plan.tasks.get()
    assert task.enterprise == cast.enterprise_b and task.priority_rank == 1
    assert task.inspector == cast.inspector_other  # the department of the unit's sector
    assert {"factor": "risk_colour", "points": 30, "label": "红色风险"} in task.priority_reasons
    assert task.priority_score == sum(r["points"] for r in task.priority_reasons)
    entry = AuditEntry.objects.filter(action="inspections.priority_selected").get()
    assert cast.enterprise_b.name in entry.message
    # Again: the next unit of the ranking, numbered after the first.
    client_for(cast.office).post(f"/inspections/plans/{plan.pk}/prioritise/", {"count": "5"})
    ranks = dict(plan.tasks.values_list("enterprise_id", "priority_rank"))
    assert ranks == {cast.enterprise_b.pk: 1, cast.enterprise_a.pk: 2}
    detail = client_for(cast.office).get(plan.get_absolute_url()).content.decode()
    assert "+30 红色风险" in detail and 'data-testid="priority-units"' in detail


def test_priority_selection_refusals(cast, make_plan, client_for):
    plan = make_plan()
    client = client_for(cast.office)
    response = client.post(f"/inspections/plans/{plan.pk}/prioritise/", {"count": "abc"}, follow=True)
    assert "请填写要选取的重点单位数" in response.content.decode()
    assert not plan.tasks.exists()
    from anjian.inspections.models import TargetingRule as Rules

    Rules.objects.update(is_active=False)  # nobody scores: nobody is a 重点 unit
    response = client.post(f"/inspections/plans/{plan.pk}/prioritise/", {"count": "3"}, follow=True)
    assert "没有尚未选取且有风险得分的单位" in response.content.decode()
    assert client_for(cast.leader).post(
        f"/inspections/plans/{plan.pk}/prioritise/", {"count": "3"}
    ).status_code in (
        302,
        403,
    )
    assert not plan.tasks.exists()


def test_department_selects_only_units_of_its_sectors(cast, make_plan):
    plan = make_plan(sectors=[cast.hazchem, cast.construction])  # a plan the department may see
    marked = targeting.select_priority_units(actor=cast.inspector, plan=plan, count=10)
    assert [t.enterprise_id for t in marked] == [cast.enterprise_a.pk]


def test_random_draw_leaves_out_the_priority_units(cast, make_plan, api_for):
    from anjian.inspections import services

    plan = make_plan(kind=PlanKind.RANDOM, random_count=5, inspectors=[cast.inspector, cast.inspector_other])
    response = api_for(cast.office).post(
        f"/api/inspections/plans/{plan.pk}/prioritise/", {"count": 1}, format="json"
    )
    assert response.status_code == 200
    chosen = response.json()[0]["enterprise"]
    assert services.draw_random(actor=cast.office, plan=plan, seed="abc") == 1
    plan.refresh_from_db()
    assert chosen not in plan.draw_log["candidates"]
    assert plan.tasks.count() == 2
    assert services.verify_draw(plan)


def test_rule_pages_list_and_detail_with_history(cast, client_for):
    rule = TargetingRule.objects.get(factor="blacklisted")
    listing = client_for(cast.inspector).get("/inspections/targeting/rules/").content.decode()
    assert "列入严重失信主体名单" in listing and "rules.md CR-09" in listing
    detail = client_for(cast.leader).get(f"/inspections/targeting/rules/{rule.pk}/")
    assert detail.status_code == 200 and 'data-testid="points"' in detail.content.decode()
    assert client_for(cast.enterprise_a_user).get("/inspections/targeting/rules/").status_code == 403
    add = client_for(cast.office).post(
        "/inspections/targeting/rules/add/",
        {"factor": "accidents", "threshold": 2, "window_days": 730, "points": 15, "sort_order": 200},
    )
    assert add.status_code == 302
    assert TargetingRule.objects.filter(factor="accidents", window_days=730, points=15).exists()
