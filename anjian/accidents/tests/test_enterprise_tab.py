"""Accidents on the enterprise file (一企一档, accidents/enterprise_tabs.py)."""

import pytest

from anjian.registry.tests.enterprise_file import open_tab

from .factories import file

pytestmark = pytest.mark.django_db


def test_accidents_of_the_unit_per_role(cast, client_for):
    file(cast.office, enterprise=cast.enterprise_a, sector=cast.hazchem, title="甲单位中毒事故")
    file(cast.office, enterprise=cast.enterprise_b, sector=cast.construction, title="乙单位高处坠落")
    for user in (cast.office, cast.inspector, cast.enterprise_a_user):
        pane = open_tab(client_for(user), cast.enterprise_a, "accidents").content.decode()
        assert "甲单位中毒事故" in pane and "乙单位高处坠落" not in pane
    assert open_tab(client_for(cast.enterprise_b_user), cast.enterprise_a, "accidents").status_code == 404
