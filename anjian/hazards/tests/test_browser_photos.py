"""Real browser: an official opens a hazard with photos, clicks a thumbnail and pages through the viewer — the
photos come through the scope-checked media view, the viewer is a static script under the CSP."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from .conftest import make_hazard

pytestmark = pytest.mark.browser


def jpeg(name, colour):
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def loaded(image, tries=50) -> bool:
    """The picture arrived and decoded (polled: the page's CSP forbids wait_for_function's eval)."""
    for _ in range(tries):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            return True
        image.page.wait_for_timeout(100)
    return False


def test_thumbnail_opens_the_viewer(live_cast, page, login):
    from anjian.hazards.models import HazardPhoto

    hazard = make_hazard(live_cast, "registered")
    for name, colour in (("配电箱.jpg", "orange"), ("接地线.jpg", "teal")):
        HazardPhoto.objects.create(hazard=hazard, kind="before", file=jpeg(name, colour), original_name=name)
    problems = []  # refused scripts or styles (CSP), pictures that did not load; the site has no favicon
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location.get("url", "").endswith("favicon.ico")
            else None
        ),
    )

    login(page, live_cast.office)
    page.goto(f"{page.base_url}/hazards/{hazard.pk}/")
    thumbs = page.locator("[data-testid=photos-before] [data-testid=photo-thumb]")
    assert thumbs.count() == 2
    assert loaded(thumbs.first.locator("img"))
    thumbs.first.click()

    viewer = page.locator("[data-testid=photo-viewer]")
    expect(viewer).to_be_visible()
    caption = page.locator("[data-testid=photo-viewer-caption]")
    assert caption.inner_text() == "发现时 · 配电箱.jpg"
    assert loaded(page.locator("[data-testid=photo-viewer-image]"))
    src = page.locator("[data-testid=photo-viewer-image]").get_attribute("src")
    assert src.startswith("/media/thumbs/lg/hazards/")

    page.keyboard.press("ArrowRight")
    assert caption.inner_text() == "发现时 · 接地线.jpg"
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    assert problems == []
