"""Fines as officials write them (thousands separators) and no internal rule keys on the provision page."""

import pytest

from .factories import add_fine, open_case, provision

pytestmark = pytest.mark.django_db


def test_fine_amounts_have_thousands_separators(cast, client_for):
    case = open_case(cast)
    add_fine(case, cast.inspector, amount="30000")
    page = client_for(cast.inspector).get(case.get_absolute_url()).content.decode()
    assert "<td>30,000" in page
    assert "30000.00" not in page


def test_provision_page_shows_no_internal_rule_key(cast, client_for):
    p = provision("L1-102")
    p.source_ref = "HZ-63"
    p.save()
    page = client_for(cast.office).get(p.get_absolute_url()).content.decode()
    assert "HZ-63" not in page and "规则出处" not in page
