"""The deadlines engine's view of reports, the to-do lists, the 过程考核 indicators and the dashboard summary."""

from datetime import date

from django.utils import timezone

from anjian.assessment import indicators
from anjian.assessment.periods import Period, Target
from anjian.core.demo import clock_at
from anjian.reporting import deadlines, overview, services

from .conftest import aware, report_of


def test_open_reports_are_deadline_items_with_escalation(cast, generated):
    items = list(deadlines.deadline_items("reporting.report", aware(date(2026, 11, 5), 12)))
    october = [i for i in items if i.obj.period_start == date(2026, 10, 1)]
    assert len(october) == 2
    item = next(i for i in october if i.obj.reporter_org_id == cast.town_a_org.pk)
    assert item.responsible == (cast.town_a_user,)
    assert cast.office in item.escalation[0]  # the receiving office
    assert timezone.localtime(item.due_at).date() == date(2026, 11, 5)
    # Submitted reports are no longer reminded.
    services.submit(item.obj, cast.town_a_user, values={"meetings": "1"}, signer_name="甲")
    items = list(deadlines.deadline_items("reporting.report", aware(date(2026, 11, 5), 12)))
    assert item.obj.pk not in {i.obj.pk for i in items}


def test_todo_for_reporter_and_receiver(cast, generated):
    mine = deadlines.todo_items(cast.town_a_user)
    assert {t.action for t in mine} == {"填报"} and len(mine) == 2
    assert deadlines.todo_items(cast.office) == []
    services.submit(
        report_of(generated, cast.town_a_org), cast.town_a_user, values={"meetings": "1"}, signer_name="甲"
    )
    assert [t.action for t in deadlines.todo_items(cast.office)] == ["确认报表"]


def test_indicators_count_on_time_late_and_missing(cast, generated):
    # October reports fall due on 5 November: town A on time, town B late; September: both missing.
    with clock_at(aware(date(2026, 11, 4))):
        services.submit(
            report_of(generated, cast.town_a_org),
            cast.town_a_user,
            values={"meetings": "1"},
            signer_name="甲",
        )
    with clock_at(aware(date(2026, 11, 8))):
        services.submit(
            report_of(generated, cast.town_b_org),
            cast.town_b_user,
            values={"meetings": "1"},
            signer_name="乙",
        )
    quarter = Period.quarter(2026, 4)
    district = Target.for_territory(cast.district)
    rate = indicators.compute("report_on_time_rate", district, quarter)
    assert (rate.numerator, rate.denominator) == (1, 4)  # 2 due in October (September's) + 2 in November
    bad = indicators.compute("report_late_or_missing", district, quarter)
    assert bad.value == 3  # town B late + two September reports never sent
    town_b = indicators.compute("report_late_or_missing", Target.for_territory(cast.town_b), quarter)
    assert town_b.value == 2
    assert "reporting/" in rate.drilldown_url


def test_summary_for_the_dashboard(cast, generated, django_assert_max_num_queries):
    today = date(2026, 11, 20)
    with clock_at(aware(date(2026, 11, 4))):
        services.submit(
            report_of(generated, cast.town_a_org),
            cast.town_a_user,
            values={"meetings": "1"},
            signer_name="甲",
        )
    with django_assert_max_num_queries(2):
        figures = overview.summary(cast.office, today)
    assert (figures["due"], figures["submitted"], figures["late"], figures["missing"]) == (2, 1, 0, 1)
    assert figures["rate"] == 0.5
    assert "timeliness=missing" in figures["urls"]["missing"]
    assert overview.summary(cast.sys_admin, today) == {}
    assert overview.summary(cast.town_b_user, today)["due"] == 1


def test_home_panel_lists_reports_due_soon(cast, generated, rf):
    from anjian.reporting.homepage import reports_due_panel

    request = rf.get("/")
    request.user = cast.town_a_user
    panel = reports_due_panel(request)
    assert len(panel["items"]) == 2 and panel["items"][0]["alert"]
    request.user = cast.leader
    assert reports_due_panel(request) is None
