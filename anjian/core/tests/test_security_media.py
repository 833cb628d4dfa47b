"""Uploaded business files never reach the system, security and audit administrators (三员分立), whatever their
territory: an inspection signature, a photo attached to a public tip and a hazard photo, each refused to the three
and served to the committee office of the same district."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from anjian.hazards.tests.conftest import make_hazard, png
from anjian.inspections.models import Inspection
from anjian.inspections.tests.conftest import make_inspection, templates  # noqa: F401 (fixtures)
from anjian.operations import services as operations
from anjian.operations.models import TipPhoto

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def signature_url(make_inspection):  # noqa: F811
    inspection = make_inspection()
    inspection.inspector_signature.save("sig.png", ContentFile(PNG), save=False)
    Inspection.objects.filter(pk=inspection.pk).update(
        inspector_signature=inspection.inspector_signature.name
    )
    return f"/media/{inspection.inspector_signature.name}"


def tip_photo_url(cast):
    tip, _code = operations.submit_tip(
        data={"content": "工地无防护", "territory": cast.village_b, "unit_name": cast.enterprise_b.name}
    )
    photo = TipPhoto(tip=tip, content_type="image/png", size=len(PNG), sha256=hashlib.sha256(PNG).hexdigest())
    photo.image.save("tip.png", ContentFile(PNG))
    return f"/media/{photo.image.name}"


def hazard_photo_url(cast):
    from anjian.hazards.models import HazardPhoto

    hazard = make_hazard(cast, "registered")
    photo = HazardPhoto.objects.create(
        hazard=hazard, kind="before", file=png("现场.png"), original_name="现场.png"
    )
    return f"/media/{photo.file.name}"


@pytest.fixture
def business_files(cast, make_inspection):  # noqa: F811
    return {
        "inspection signature": signature_url(make_inspection),
        "tip photo": tip_photo_url(cast),
        "hazard photo": hazard_photo_url(cast),
    }


@pytest.mark.parametrize("admin", ["sys_admin", "sec_admin", "audit_admin"])
def test_three_administrators_get_no_business_file(cast, client_for, business_files, admin):
    client = client_for(getattr(cast, admin))
    for what, url in business_files.items():
        assert client.get(url).status_code in (403, 404), (admin, what, url)


def test_the_office_of_the_same_district_gets_them(cast, client_for, business_files):
    client = client_for(cast.office)
    for what, url in business_files.items():
        response = client.get(url)
        assert response.status_code == 200, (what, url)
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_administrators_are_in_scope_of_the_records(cast, business_files):
    """The refusal above is the role's, not the territory's: the records lie inside the administrators' scope."""
    from anjian.core.scope import can_view
    from anjian.hazards.models import HazardPhoto

    hazard = HazardPhoto.objects.latest("pk").hazard
    assert can_view(cast.sys_admin, hazard) and can_view(cast.sec_admin, hazard)
