"""The dashboard's 安委会 work row: 督办 tasks, 督查 problems and reports as the user sees them, every card a link
to the list filtered to exactly its records (issue: "the dashboard reads the new data")."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.urls import resolve
from django.utils import timezone

from anjian.dashboard import committee_work
from anjian.oversight.tests.conftest import make_visit, rectify, town_problem
from anjian.supervision import services as supervision
from anjian.supervision.tests.factories import issue


def _work(cast):
    done = issue(cast, lead=[cast.yingji], title="已办结的督办事项")
    assignment = done.assignments.get()
    supervision.report_progress(assignment, by=cast.inspector, text="已完成", final=True)
    supervision.accept(assignment, by=cast.office)
    issue(cast, lead=[cast.yingji, cast.town_a_org], title="办理中的督办事项")
    visit = make_visit(cast)
    rectify(town_problem(visit), cast.town_a_user)
    return visit


def _cards(user) -> dict:
    return {c["key"]: c for c in committee_work.cards(user)}


def test_office_cards_show_the_summaries_and_link_to_real_filters(cast, client_for):
    _work(cast)
    cards = _cards(cast.office)
    assert cards["tasks_open"]["value"] == 1 and cards["tasks_completion_rate"]["value"] == "50.0%"
    assert cards["problems_overdue"]["value"] == 0
    assert {"reports_on_time_rate", "reports_late", "reports_missing"} <= cards.keys()
    for card in cards.values():
        match = resolve(urlsplit(card["url"]).path)
        filterset = getattr(match.func.view_class, "filterset_class", None)
        for name in parse_qs(urlsplit(card["url"]).query):
            assert filterset is not None and name in filterset.base_filters, (card["key"], name)
        assert client_for(cast.office).get(card["url"]).status_code == 200, card["url"]

    page = client_for(cast.office).get("/dashboard/").content.decode()
    assert 'data-testid="committee-work"' in page
    figure = re.search(r'data-testid="figure-tasks_open">.*?>(\d+)<', page, re.S)
    assert figure and figure.group(1) == "1"


def test_overdue_task_card_lands_on_exactly_those_tasks(cast, client_for):
    _work(cast)
    late = issue(cast, lead=[cast.zhujian], title="逾期的督办事项", days=1)
    late.assignments.update(deadline=timezone.localdate() - timedelta(days=1))  # as if the day had passed
    card = _cards(cast.office)["tasks_overdue"]
    assert card["value"] == 1
    page = client_for(cast.office).get(card["url"]).content.decode()
    assert "逾期的督办事项" in page and "办理中的督办事项" not in page


def test_cards_follow_the_roles(cast):
    _work(cast)
    # An enterprise has no 督办 tasks or 督查 problems; its own statistics reports (HZ-16) are all it sees.
    assert {c["key"] for c in committee_work.cards(cast.enterprise_a_user)} <= {
        "reports_on_time_rate",
        "reports_late",
        "reports_missing",
    }
    assert committee_work.cards(cast.sys_admin) == []
    town = _cards(cast.town_a_user)
    assert town["tasks_open"]["value"] == 1  # the town's own part only
    leader = _cards(cast.leader)
    assert leader["tasks_open"]["value"] == 1 and leader["problems_rectification_rate"]["value"] == "0.0%"
