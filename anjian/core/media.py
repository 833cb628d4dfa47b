"""Uploaded files (photos, signatures, evidence) are served only to users who may see the record they belong to.

Uploads are evidence about enterprises and people (a whistle-blower's photo, an inspector's signature): never a
public web directory. `/media/<path>` finds the record that owns the file from the table below and answers with
the file only if `core.scope.can_view` allows that record; otherwise 404, exactly like a missing file.

Thumbnails: `/media/thumbs/<size>/<path>` is a smaller JPEG of the photo at `/media/<path>`. It goes through the
same lookup and the same check as the original, so it is refused exactly when the original is refused. Thumbnails
are made on first request with Pillow and kept under MEDIA_ROOT/thumbs/ (never served on their own: a request for
a cached file is answered only after the original's owner has been checked again).

Each row: (path prefix, model label, file field, relation from the owning row to the scoped record or "", the
permission that opens that record's page). Apps added later declare their rows as `MEDIA_OWNERS` in
`<app>/uploads.py`, found like navigation and deadlines (an upload without a row is never served). A row may
add a sixth element: the dotted path of a function `(user, record) -> bool` that replaces the scope check, for
records whose pages show them to fewer (or other) people than the territorial scope would — a file is served
exactly to those who may open its record's page. Both checks apply: the system, security and audit administrators hold
no business permission and see no upload, whatever their territory (三员分立), exactly as on the pages.
"""

import io
import mimetypes
import os
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.module_loading import import_string
from PIL import Image, ImageOps, UnidentifiedImageError

from .permissions import has_perm
from .scope import can_view

MEDIA_OWNERS = [
    (
        "inspections/signatures/",
        "inspections.Inspection",
        "inspector_signature",
        "",
        "inspections.view_inspection",
    ),
    (
        "inspections/signatures/",
        "inspections.Inspection",
        "unit_signature",
        "",
        "inspections.view_inspection",
    ),
    (
        "inspections/photos/",
        "inspections.InspectionItem",
        "photo",
        "inspection",
        "inspections.view_inspection",
    ),
    ("hazards/", "hazards.HazardPhoto", "file", "hazard", "hazards.view_hazard"),
    ("tips/", "operations.TipPhoto", "image", "tip", "operations.view_tip"),
]

THUMBS_DIR = "thumbs"
# Longest side in pixels: "sm" for thumbnail strips, "md" for a lead photo, "lg" for the viewer (a phone need
# not load a 12 MP photo; the original stays one click away).
THUMB_SIZES = {"sm": 320, "md": 800, "lg": 1600}
# Formats a thumbnail is made from. PDF scans and HEIC (no decoder shipped) are offered as files instead.
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# A 10 MB upload may still decompress to a huge bitmap; refuse anything above ~50 megapixels.
MAX_PIXELS = 50_000_000


class NotAnImage(ValueError):
    """The file is not a picture a thumbnail can be made from."""


def is_image_name(name: str) -> bool:
    return os.path.splitext(name or "")[1].lower() in IMAGE_EXTENSIONS


def make_thumbnail(source, size: int) -> bytes:
    """A JPEG whose longest side is at most `size` pixels, turned upright as the camera's EXIF orientation says.

    `source` is a binary file object. Raises NotAnImage for anything Pillow cannot read as a photo."""
    try:
        with Image.open(source) as image:
            if image.format not in IMAGE_FORMATS:
                raise NotAnImage(f"unsupported format {image.format}")
            if image.width * image.height > MAX_PIXELS:
                raise NotAnImage("image too large")
            # JPEG can decode at 1/2, 1/4, 1/8 scale directly: far less memory for a big photo.
            image.draft("RGB", (size * 2, size * 2))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((size, size), Image.Resampling.LANCZOS)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.getchannel("A"))
                image = background
            elif image.mode != "RGB":
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
            return out.getvalue()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise NotAnImage(str(exc)) from exc


def thumbnail_name(path: str, size: str) -> str:
    """Where the thumbnail of `path` is kept in the default storage."""
    return f"{THUMBS_DIR}/{size}/{path}.jpg"


def thumbnail_url(stored, size: str = "sm") -> str:
    """The URL of a stored file's thumbnail (served by `protected_media`)."""
    if size not in THUMB_SIZES:
        raise ValueError(f"unknown thumbnail size {size}")
    return reverse("media", kwargs={"path": f"{THUMBS_DIR}/{size}/{stored.name}"})


def cached_thumbnail(stored, size: str) -> bytes:
    """The thumbnail bytes, made once and kept in the default storage. Upload names are unique per upload and
    never overwritten, so a kept thumbnail never goes stale."""
    name = thumbnail_name(stored.name, size)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    with stored.open("rb") as source:
        data = make_thumbnail(source, THUMB_SIZES[size])
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # two first requests at once, or a name the storage changed: keep no second copy
            default_storage.delete(saved)
    return data


@cache
def media_owners() -> tuple:
    rows = list(MEDIA_OWNERS)
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.label == "core":
            continue
        try:
            module = import_module(f"{config.name}.uploads")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.uploads":
                raise
            continue
        rows.extend(getattr(module, "MEDIA_OWNERS", ()))
    return tuple(rows)


def find_file(path: str):
    """(the stored file, the record it belongs to, the permission to see it, the visibility check), or Nones."""
    for prefix, label, field, via, permission, *check in media_owners():
        if not path.startswith(prefix):
            continue
        row = apps.get_model(label)._default_manager.filter(**{field: path}).first()
        if row is None:
            continue
        record = row
        for part in filter(None, via.split(".")):
            record = getattr(record, part)
        return getattr(row, field), record, permission, (import_string(check[0]) if check else can_view)
    return None, None, None, None


def protected_media(request, path):
    size = None
    if path.startswith(f"{THUMBS_DIR}/"):
        size, _, path = path[len(THUMBS_DIR) + 1 :].partition("/")
        if size not in THUMB_SIZES:
            raise Http404("文件不存在。")
    stored, record, permission, visible = find_file(path)
    if stored is None or not has_perm(request.user, permission) or not visible(request.user, record):
        raise Http404("文件不存在或不在您的数据范围内。")
    if size is not None:
        if not is_image_name(path):
            raise Http404("该文件不是图片，没有缩略图。")
        try:
            data = cached_thumbnail(stored, size)
        except NotAnImage as exc:
            raise Http404("该文件无法生成缩略图。") from exc
        response = HttpResponse(data, content_type="image/jpeg")
    else:
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response
