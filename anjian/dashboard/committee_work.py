"""The 安委会 work row of the dashboard: 督办 tasks, 督查 problems and periodic reports, as the signed-in user sees
them. Each app answers with its own summary (a few aggregate queries); this module only turns them into cards,
each linking to the list filtered to that figure. Figures follow the user's data scope, not the territory chosen
above the cards: tasks and problems belong to the bodies that issued them, not to a piece of the map."""

from anjian.assessment.measures import percent
from anjian.core.permissions import has_perm


def _card(label: str, value, url: str, key: str, danger: bool = False, sub=None) -> dict:
    return {"label": label, "value": value, "url": url, "key": key, "danger": danger, "sub": sub}


def _tasks(user) -> list[dict]:
    from anjian.supervision.services import summary

    s = summary(user)
    return [
        _card("督办事项（办理中）", s["open"], s["urls"]["open"], "tasks_open"),
        _card("逾期督办事项", s["overdue"], s["urls"]["overdue"], "tasks_overdue", danger=True),
        _card(
            "督办办结率",
            percent(s["completed"], s["total"]),
            s["urls"]["completed"],
            "tasks_completion_rate",
            sub=s["completed"],
        ),
    ]


def _problems(user) -> list[dict]:
    from anjian.oversight.services import summary

    s = summary(user)
    return [
        _card(
            "督查问题整改率",
            percent(s["closed"], s["total"]),
            s["urls"]["closed"],
            "problems_rectification_rate",
            sub=s["closed"],
        ),
        _card("逾期督查问题", s["overdue"], s["urls"]["overdue"], "problems_overdue", danger=True),
    ]


def _reports(user) -> list[dict]:
    from anjian.reporting.overview import summary

    s = summary(user)
    if not s:
        return []
    return [
        _card(
            f"报表按时报送率（{s['period']}到期）",
            percent(s["on_time"], s["due"]),
            s["urls"]["due"],
            "reports_on_time_rate",
        ),
        _card("迟报报表", s["late"], s["urls"]["late"], "reports_late", danger=True),
        _card("未报报表（已过截止日）", s["missing"], s["urls"]["missing"], "reports_missing", danger=True),
    ]


SECTIONS = (
    ("supervision.view_task", _tasks),
    ("oversight.view_problem", _problems),
    ("reporting.view_report", _reports),
)


def cards(user) -> list[dict]:
    result = []
    for permission, build in SECTIONS:
        if has_perm(user, permission):
            result.extend(build(user))
    return result
