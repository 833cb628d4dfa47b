"""The hazards tab of the enterprise file (一企一档, hazards/enterprise_tabs.py): scope per role, the timeline,
the htmx pane, the link to the ledger and bounded queries."""

import pytest

from anjian.registry.tests.enterprise_file import active_tab, file_url, open_tab, tab_badges
from anjian.registry.tests.factories import make_enterprise

from .conftest import make_hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(cast):
    """A unit in two sectors, one hazard in each: 应急 supervises the first, 住建 the second."""
    unit = make_enterprise(cast.village_a, sectors=[cast.hazchem, cast.construction], name="甲村混合经营公司")
    make_hazard(cast, enterprise=unit, sector=cast.hazchem, description="储罐区静电接地线断开")
    make_hazard(cast, enterprise=unit, sector=cast.construction, description="脚手架连墙件缺失")
    return unit


@pytest.mark.parametrize(
    "user, seen, unseen",
    [
        ("office", ["储罐区静电接地线断开", "脚手架连墙件缺失"], []),
        ("inspector", ["储罐区静电接地线断开"], ["脚手架连墙件缺失"]),
        ("inspector_other", ["脚手架连墙件缺失"], ["储罐区静电接地线断开"]),
        ("town_a_user", ["储罐区静电接地线断开", "脚手架连墙件缺失"], []),
    ],
)
def test_each_role_sees_the_hazards_of_its_scope(cast, client_for, mixed, user, seen, unseen):
    client = client_for(getattr(cast, user))
    assert tab_badges(client.get(file_url(mixed)).content.decode())["hazards"] == str(len(seen))
    pane = open_tab(client, mixed, "hazards").content.decode()
    assert all(text in pane for text in seen)
    assert not any(text in pane for text in unseen)
    timeline = open_tab(client, mixed, "timeline").content.decode()
    assert all(text[:10] in timeline for text in seen)
    assert not any(text[:10] in timeline for text in unseen)  # another sector's hazard does not leak here


def test_town_of_another_town_and_other_units_get_404(cast, client_for, mixed):
    assert client_for(cast.town_b_user).get(file_url(mixed, "hazards")).status_code == 404
    assert open_tab(client_for(cast.town_b_user), mixed, "hazards").status_code == 404
    assert open_tab(client_for(cast.enterprise_b_user), cast.enterprise_a, "hazards").status_code == 404


def test_enterprise_staff_see_their_own_hazards(cast, client_for):
    make_hazard(cast, enterprise=cast.enterprise_a, description="甲单位的隐患")
    make_hazard(cast, enterprise=cast.enterprise_b, description="乙单位的隐患")
    pane = open_tab(client_for(cast.enterprise_a_user), cast.enterprise_a, "hazards").content.decode()
    assert "甲单位的隐患" in pane and "乙单位的隐患" not in pane


def test_plain_link_and_htmx_and_the_ledger_link(cast, client_for):
    hazard = make_hazard(cast, enterprise=cast.enterprise_a)
    make_hazard(cast, enterprise=cast.enterprise_b)
    client = client_for(cast.office)
    page = client.get(file_url(cast.enterprise_a, "hazards")).content.decode()
    assert active_tab(page) == "hazards" and hazard.number in page and "<html" in page
    pane = open_tab(client, cast.enterprise_a, "hazards").content.decode()
    assert hazard.number in pane and "<html" not in pane and 'data-testid="enterprise-tabs"' not in pane
    link = f"/hazards/?enterprise={cast.enterprise_a.pk}"
    assert f'href="{link}"' in pane
    ledger = client.get(link).content.decode()
    assert hazard.number in ledger


def test_queries_do_not_grow_with_the_hazards(cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.inspector)
    make_hazard(cast, enterprise=cast.enterprise_a)
    client.get(file_url(cast.enterprise_a))
    for _ in range(20):
        make_hazard(cast, enterprise=cast.enterprise_a)
    with django_assert_max_num_queries(40):
        client.get(file_url(cast.enterprise_a, "hazards"))
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "hazards")
    with django_assert_max_num_queries(10):
        open_tab(client, cast.enterprise_a, "timeline")
