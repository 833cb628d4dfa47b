"""Inspection records on the enterprise file (一企一档, inspections/enterprise_tabs.py)."""

import pytest

from anjian.registry.tests.enterprise_file import file_url, open_tab, tab_badges

pytestmark = pytest.mark.django_db


def test_inspections_of_the_unit_per_role(cast, client_for, make_inspection):
    mine = make_inspection()
    other = make_inspection(actor=cast.inspector_other, enterprise=cast.enterprise_b, template=None)
    for user in (cast.office, cast.inspector, cast.enterprise_a_user):
        client = client_for(user)
        assert tab_badges(client.get(file_url(cast.enterprise_a)).content.decode())["inspections"] == "1"
        pane = open_tab(client, cast.enterprise_a, "inspections").content.decode()
        assert mine.number in pane and other.number not in pane
    assert open_tab(client_for(cast.enterprise_b_user), cast.enterprise_a, "inspections").status_code == 404
    assert open_tab(client_for(cast.inspector_other), cast.enterprise_a, "inspections").status_code == 404
