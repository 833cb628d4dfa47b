"""Home page per role: the role's next step first (big buttons), its panels, a handful of shortcuts; the leader
lands on the dashboard. Every button and shortcut a role is shown opens for that role."""

import re

import pytest
from django.urls import reverse

from anjian.core.homepage import ROLE_HOMES
from anjian.core.navigation import all_groups

pytestmark = pytest.mark.django_db


def actions(html: str) -> list[tuple[str, str]]:
    """(label, url) of the big buttons, in page order."""
    if 'data-testid="home-actions"' not in html:
        return []
    block = html.split('data-testid="home-actions"', 1)[1].split("</div>", 1)[0]
    return [
        (label, url.replace("&amp;", "&"))
        for url, label in re.findall(r'href="([^"]+)" data-testid="home-action">.*?<span>(.+?)</span>', block)
    ]


def shortcuts(html: str) -> list[str]:
    block = html.split('data-testid="shortcuts"', 1)[1].split("</div>\n      </div>", 1)[0]
    return re.findall(r'class="btn btn-outline-secondary" href="([^"]+)"', block)


def panels(html: str) -> list[str]:
    return re.findall(r'data-testid="panel-([\w-]+)"', html)


@pytest.mark.parametrize("user_name", ["grid_a_user", "inspector"])
def test_field_roles_lead_with_report_and_inspect(cast, client_for, user_name):
    html = client_for(getattr(cast, user_name)).get("/").content.decode()
    labels = dict(actions(html))
    assert labels["上报隐患"] == reverse("hazards:hazard_add")
    assert labels["开始检查"] == reverse("inspections:inspection_add")
    assert "panel-todo" in html and "panel-inspection_tasks" in html  # today's work


def test_inspector_starts_an_inspection_first(cast, client_for):
    html = client_for(cast.inspector).get("/").content.decode()
    assert [label for label, _ in actions(html)] == ["开始检查", "上报隐患"]


def test_enterprise_leads_with_its_rectifications(cast, client_for):
    html = client_for(cast.enterprise_a_user).get("/").content.decode()
    assert actions(html)[0] == ("我的整改", reverse("hazards:hazard_list") + "?open=true")
    assert panels(html)[0] == "my_rectification"
    assert "panel-dashboard" not in html and "panel-accidents" not in html


def test_town_sees_its_open_and_overdue_hazards_and_todos(cast, client_for):
    html = client_for(cast.town_a_user).get("/").content.decode()
    assert panels(html)[:2] == ["dashboard", "todo"]
    assert "未销号隐患" in html and "逾期未整改" in html


def test_office_sees_todos_and_key_counts_without_big_buttons(cast, client_for):
    html = client_for(cast.office).get("/").content.decode()
    assert 'data-testid="home-actions"' not in html
    assert panels(html)[:2] == ["todo", "dashboard"]
    assert {"enforcement", "accidents"} <= set(panels(html))


def test_leader_lands_on_the_dashboard(cast, client_for):
    response = client_for(cast.leader).get("/")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")
    assert client_for(cast.leader).get("/", follow=True).status_code == 200


@pytest.mark.parametrize(
    "user_name",
    [
        "grid_a_user",
        "inspector",
        "enterprise_a_user",
        "town_a_user",
        "office",
        "sys_admin",
        "sec_admin",
        "audit_admin",
    ],
)
def test_a_handful_of_shortcuts_each_of_which_opens(cast, client_for, user_name):
    client = client_for(getattr(cast, user_name))
    html = client.get("/").content.decode()
    links = shortcuts(html)
    assert 1 <= len(links) <= 8  # not the whole menu (the navigation keeps the rest)
    for url in links + [url for _, url in actions(html)]:
        assert client.get(url).status_code == 200, (user_name, url)


def test_role_table_names_real_menu_entries():
    """A typo in ROLE_HOMES would silently drop a shortcut: every name must be a navigation entry."""
    entries = {item.url_name for group in all_groups() for item in group.items}
    for role, home in ROLE_HOMES.items():
        assert set(home.shortcuts) <= entries, role
        assert 4 <= len(home.shortcuts) <= 8 or role.endswith("admin"), role
        for action in home.actions:
            reverse(action.url_name)


def test_no_role_no_buttons(cast, client_for):
    cast.grid_a_user.role = ""
    cast.grid_a_user.save(update_fields=["role"])
    html = client_for(cast.grid_a_user).get("/").content.decode()
    assert "home-actions" not in html and panels(html) == []
    assert "尚未被授予角色" in html


def test_panels_the_todo_list_repeats_stay_off_phones(cast, client_for):
    """督办 tasks also reach the to-do list: their own panel shows on wide screens only (a phone's home stays about
    two screens long), the to-do panel everywhere."""
    from anjian.supervision.tests.factories import issue

    issue(cast, lead=[cast.yingji])
    html = client_for(cast.inspector).get("/").content.decode()
    wrapper = html[: html.index('data-testid="panel-supervision_tasks"')].rsplit("<div class=", 2)[-2]
    assert "d-none d-md-block" in wrapper
    todo = html[: html.index('data-testid="panel-todo"')].rsplit("<div class=", 2)[-2]
    assert "d-none" not in todo
