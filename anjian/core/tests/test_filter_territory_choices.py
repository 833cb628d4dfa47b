"""The 区划 drop-down of a province user lists three levels below them (not every village of the province), and a
deeper territory chosen by a link is still accepted and shown as chosen."""

import pytest

from anjian.core.models import Territory

pytestmark = pytest.mark.django_db


def options(html: str) -> list[str]:
    import re

    select = re.search(r'<select name="territory".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"( selected)?>', select)


def test_a_province_user_sees_territories_down_to_the_towns(cast, client_for):
    province = Territory.objects.get(parent=None)
    cast.office.territory = province
    cast.office.save()
    shown = {value for value, _selected in options(client_for(cast.office).get("/hazards/").content.decode())}
    assert str(cast.town_a.pk) in shown and str(cast.district.pk) in shown
    assert str(cast.village_a.pk) not in shown

    page = client_for(cast.office).get(f"/hazards/?territory={cast.village_a.pk}").content.decode()
    assert (str(cast.village_a.pk), " selected") in options(page)
    assert "is-invalid" not in page.split('name="territory"')[0][-300:]


def test_a_county_user_still_sees_the_villages(cast, client_for):
    shown = {value for value, _selected in options(client_for(cast.office).get("/hazards/").content.decode())}
    assert str(cast.village_a.pk) in shown
