"""Hazard photos on the page: thumbnails served through the scope-checked media view (core.media), refused exactly
when the original is refused; before and after side by side on the detail page."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anjian.core.media import thumbnail_url
from anjian.hazards.models import HazardPhoto

from .conftest import make_hazard


def jpeg(name="现场.jpg", size=(1200, 900)):
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def attach(hazard, kind, upload):
    return HazardPhoto.objects.create(hazard=hazard, kind=kind, file=upload, original_name=upload.name)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_thumbnail_is_refused_exactly_when_the_original_is(cast, client_for):
    photo = attach(make_hazard(cast, "registered"), "before", jpeg())
    original, thumb = photo.file.url, thumbnail_url(photo.file, "sm")
    assert thumb.startswith("/media/thumbs/sm/hazards/")
    seen = {}
    for name, user in cast.users().items():
        client = client_for(user)
        seen[name] = (client.get(original).status_code, client.get(thumb).status_code)
        assert seen[name][0] == seen[name][1], (name, seen[name])
    # The matrix is not trivially "all refused": readers of the hazard get both, other scopes neither.
    assert seen["office"] == seen["enterprise_a_user"] == seen["town_a_user"] == (200, 200)
    assert seen["town_b_user"] == seen["enterprise_b_user"] == seen["inspector_other"] == (404, 404)
    # As on the hazard pages, the system / security / audit administrators see no business record (三员分立).
    assert seen["sys_admin"] == seen["sec_admin"] == seen["audit_admin"] == (404, 404)
    # The same answers as the hazard's own page (allowed / forbidden role / out of scope).
    for name, user in cast.users().items():
        page = client_for(user).get(f"/hazards/{photo.hazard_id}/").status_code
        assert (page == 200) == (seen[name] == (200, 200)), (name, page, seen[name])


def test_thumbnail_is_a_small_jpeg_kept_for_the_next_request(cast, client_for, settings):
    photo = attach(make_hazard(cast, "registered"), "before", jpeg())
    client = client_for(cast.office)
    response = client.get(thumbnail_url(photo.file, "sm"))
    assert response["Content-Type"] == "image/jpeg" and response["Cache-Control"] == "private, max-age=300"
    assert Image.open(io.BytesIO(body(response))).size == (320, 240)
    assert (settings.MEDIA_ROOT / "thumbs" / "sm" / f"{photo.file.name}.jpg").exists()
    assert body(client.get(thumbnail_url(photo.file, "sm"))) == body(response)  # from the kept file
    assert Image.open(io.BytesIO(body(client.get(thumbnail_url(photo.file, "lg"))))).size == (1200, 900)


def test_no_thumbnail_of_a_document_or_unreadable_picture(cast, client_for):
    hazard = make_hazard(cast, "reported")  # its after-photo is a PNG signature with nothing behind it
    pdf = attach(hazard, "document", SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"))
    client = client_for(cast.office)
    assert client.get(pdf.file.url).status_code == 200  # the file itself is served
    assert client.get(f"/media/thumbs/sm/{pdf.file.name}").status_code == 404
    broken = hazard.photos.get(kind="after")
    assert client.get(thumbnail_url(broken.file)).status_code == 404
    assert client.get(f"/media/thumbs/xl/{broken.file.name}").status_code == 404  # unknown size
    assert client.get("/media/thumbs/sm/hazards/2026/01/none.jpg").status_code == 404
    # The kept thumbnails themselves are never a way in.
    assert client.get("/media/thumbs/sm/thumbs/sm/x.jpg").status_code == 404


def test_detail_shows_before_and_after_side_by_side(cast, client_for):
    hazard = make_hazard(cast, "reported")
    attach(hazard, "before", jpeg("发现.jpg"))
    attach(hazard, "after", jpeg("整改.jpg"))
    attach(hazard, "document", SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"))
    page = client_for(cast.office).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "整改前后对比" in page
    assert page.index('data-testid="photos-before"') < page.index('data-testid="photos-after"')
    assert 'class="col-md-6"' in page  # two columns from tablets up, stacked on phones
    assert page.count('data-viewer="hazard"') == 3  # two new photos and the factory's after-photo
    assert "/media/thumbs/md/hazards/" in page and "/media/thumbs/sm/hazards/" in page
    assert 'data-testid="photo-file"' in page and "方案.pdf" in page
    assert "anjian/viewer.js" in page and "anjian/viewer.css" in page


def test_detail_with_only_before_photos_has_no_comparison(cast, client_for):
    hazard = make_hazard(cast, "registered")
    attach(hazard, "before", jpeg())
    page = client_for(cast.office).get(f"/hazards/{hazard.pk}/").content.decode()
    assert "照片与附件" in page and "整改前后对比" not in page and 'class="col-12"' in page
