"""Uploaded files (core.media) are served only to users who may see the record they belong to."""

from django.core.files.base import ContentFile

from anjian.inspections.models import Inspection


def test_signature_is_served_within_scope_only(cast, client_for, make_inspection):
    inspection = make_inspection()
    inspection.inspector_signature.save("sig.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=False)
    Inspection.objects.filter(pk=inspection.pk).update(
        inspector_signature=inspection.inspector_signature.name
    )
    url = f"/media/{inspection.inspector_signature.name}"
    response = client_for(cast.office).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client_for(cast.enterprise_b_user).get(url).status_code == 404  # another enterprise's record
    assert client_for(cast.town_b_user).get(url).status_code == 404  # another town
    assert client_for(cast.office).get("/media/inspections/signatures/none.png").status_code == 404
    assert (
        client_for(cast.office).get("/media/imports/2026/01/secret.xlsx").status_code == 404
    )  # never served


def test_media_needs_login(db, client):
    assert client.get("/media/tips/2026/01/a.png").status_code == 302
