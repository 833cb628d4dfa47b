"""Cases and 约谈 on the enterprise file (一企一档, enforcement/enterprise_tabs.py)."""

import pytest

from anjian.registry.tests.enterprise_file import file_url, open_tab, tab_badges

from .factories import open_case

pytestmark = pytest.mark.django_db


def test_cases_of_the_unit_per_role(cast, client_for):
    case = open_case(cast, enterprise=cast.enterprise_a)
    open_case(cast, user=cast.inspector_other, enterprise=cast.enterprise_b, sector=cast.construction)
    for user in (cast.office, cast.inspector, cast.town_a_user, cast.leader):
        client = client_for(user)
        assert tab_badges(client.get(file_url(cast.enterprise_a)).content.decode())["cases"] == "1"
        pane = open_tab(client, cast.enterprise_a, "cases").content.decode()
        assert case.number in pane
        more = f'href="/enforcement/cases/?enterprise={cast.enterprise_a.pk}"'
        assert more in pane  # 查看全部: the case list narrowed to this unit
        listed = client.get(f"/enforcement/cases/?enterprise={cast.enterprise_a.pk}").content.decode()
        assert case.number in listed
    # Enterprise staff and grid staff have no enforcement pages: no tab, and the tab URL is not found.
    staff = client_for(cast.enterprise_a_user)
    assert "cases" not in tab_badges(staff.get(file_url(cast.enterprise_a)).content.decode())
    assert open_tab(staff, cast.enterprise_a, "cases").status_code == 404
    assert client_for(cast.town_b_user).get(file_url(cast.enterprise_a, "cases")).status_code == 404
