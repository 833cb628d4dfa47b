"""Thumbnails of uploaded photos (core.media.make_thumbnail): size, EXIF orientation, anything else refused."""

import io

import pytest
from PIL import Image

from anjian.core.media import NotAnImage, is_image_name, make_thumbnail


def picture(size=(2000, 1000), fmt="JPEG", mode="RGB", exif_orientation=None, halves=False):
    image = Image.new(mode, size, "gray" if mode == "RGB" else (0, 0, 0, 0))
    if halves:  # left half red, right half blue: shows which way the picture was turned
        image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
        image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif
    image.save(out, fmt, **kwargs)
    out.seek(0)
    return out


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(
    ("source", "size", "expected"),
    [
        ((2000, 1000), 320, (320, 160)),  # landscape: the longest side is the size
        ((900, 1800), 320, (160, 320)),  # portrait
        ((4000, 3000), 1600, (1600, 1200)),
        ((100, 50), 320, (100, 50)),  # never enlarged
    ],
)
def test_thumbnail_fits_the_size_and_keeps_the_shape(source, size, expected):
    thumb = opened(make_thumbnail(picture(source), size))
    assert thumb.format == "JPEG" and thumb.size == expected


def test_thumbnail_turns_the_photo_upright_from_exif():
    # Orientation 6: the camera was held turned; the picture must be shown rotated 90° clockwise. Large enough
    # that the JPEG is decoded at reduced scale first (draft), which must keep the orientation.
    thumb = opened(make_thumbnail(picture((4000, 2000), exif_orientation=6, halves=True), 320))
    assert thumb.size == (160, 320)
    red, blue = thumb.getpixel((80, 20)), thumb.getpixel((80, 300))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60


def test_transparent_png_gets_a_white_background():
    thumb = opened(make_thumbnail(picture((200, 200), fmt="PNG", mode="RGBA"), 320))
    assert thumb.mode == "RGB" and thumb.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",  # a scanned document, not a photo
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a PNG signature with nothing readable behind it
        b"MZ\x90\x00 an executable",
        b"",
    ],
)
def test_anything_but_a_picture_is_refused(content):
    with pytest.raises(NotAnImage):
        make_thumbnail(io.BytesIO(content), 320)


def test_image_names():
    assert is_image_name("hazards/2026/01/1-before.JPG") and is_image_name("a.webp")
    assert not is_image_name("a.pdf") and not is_image_name("a.heic") and not is_image_name("")
