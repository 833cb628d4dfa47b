"""The photo of a failed checklist item shows as a thumbnail that opens the viewer; its thumbnail is served under
the same scope check as the photo (core.media)."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from anjian.core.media import thumbnail_url


def test_item_photo_is_a_thumbnail_within_scope_only(cast, client_for, make_inspection):
    inspection = make_inspection()
    item = inspection.items.first()
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(out, "JPEG")
    item.result, item.note = "fail", "静电接地线断开"
    item.photo.save("现场.jpg", ContentFile(out.getvalue()), save=False)
    item.save()
    page = client_for(cast.office).get(f"/inspections/{inspection.pk}/").content.decode()
    thumb = thumbnail_url(item.photo, "sm")
    assert f'src="{thumb}"' in page and 'data-viewer="inspection"' in page and "anjian/viewer.js" in page
    assert client_for(cast.office).get(thumb).status_code == 200
    assert client_for(cast.enterprise_b_user).get(thumb).status_code == 404
    assert client_for(cast.enterprise_b_user).get(item.photo.url).status_code == 404
