"""Validation of photos sent with public tips: count, size, and type by content (never by name or header)."""

import hashlib
import io
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from . import rules

try:  # Pillow is installed with the project; magic bytes remain the fallback.
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs
except ImportError:  # pragma: no cover
    Image = None

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass
class CheckedPhoto:
    file: ContentFile
    content_type: str
    size: int
    sha256: str


def check_photo(upload) -> CheckedPhoto:
    name = getattr(upload, "name", "照片")
    if upload.size > rules.MAX_PHOTO_BYTES:
        raise ValidationError(f"照片“{name}”超过 5 MB，请压缩后再上传。")
    data = upload.read(rules.MAX_PHOTO_BYTES + 1)
    if len(data) > rules.MAX_PHOTO_BYTES:
        raise ValidationError(f"照片“{name}”超过 5 MB，请压缩后再上传。")
    mime = rules.sniff_magic(data[:16])
    if mime is None:
        raise ValidationError(f"文件“{name}”不是 JPEG、PNG 或 WebP 图片。")
    if Image is not None:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                fmt = image.format
        except Exception as exc:  # any decoder error, truncated file or bomb
            raise ValidationError(f"文件“{name}”不是有效的图片。") from exc
        if rules.ALLOWED_IMAGE_FORMATS.get(fmt) != mime:
            raise ValidationError(f"文件“{name}”不是 JPEG、PNG 或 WebP 图片。")
    # Stored under a generated name: the reporter's file name never reaches the file system.
    return CheckedPhoto(
        file=ContentFile(data, name=f"{uuid.uuid4().hex}.{EXTENSIONS[mime]}"),
        content_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_photos(files) -> list[CheckedPhoto]:
    files = [f for f in files if f]
    if len(files) > rules.MAX_PHOTOS:
        raise ValidationError(f"最多上传 {rules.MAX_PHOTOS} 张照片。")
    return [check_photo(f) for f in files]
