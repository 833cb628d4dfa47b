"""Uploaded documents (attachments, minutes, scans) are checked by their content, not their name: the first bytes
must match the type the extension claims, and the size is bounded. Photos have their own check (Pillow) in
anjian.hazards.services.validate_photo / anjian.operations.uploads."""

import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MAX_BYTES = 20 * 1024 * 1024
# Extension -> the magic numbers its content must start with (the name alone is not trusted).
_PDF, _PNG, _JPEG = (b"%PDF-",), (b"\x89PNG\r\n\x1a\n",), (b"\xff\xd8\xff",)
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
SIGNATURES = {
    ".pdf": _PDF,
    ".png": _PNG,
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".ofd": _ZIP,  # GB/T 33190 版式文件: a ZIP package
    ".zip": _ZIP,
    ".wps": _OLE,  # WPS 文字 (compound document)
}
ALLOWED_TEXT = "PDF、Word、Excel、OFD、JPG、PNG 或 ZIP"


@dataclass
class CheckedFile:
    file: ContentFile
    name: str
    size: int


def check_file(upload, allowed=None, allowed_text: str = ALLOWED_TEXT) -> CheckedFile:
    """The upload, checked; `allowed` narrows the extensions (e.g. minutes: no spreadsheets or archives)."""
    name = os.path.basename(getattr(upload, "name", "") or "附件")[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in SIGNATURES or (allowed is not None and extension not in allowed):
        raise ValidationError(f"“{name}”的文件类型不支持，请上传 {allowed_text} 文件。")
    if upload.size > MAX_BYTES:
        raise ValidationError(f"“{name}”超过 20 MB，请压缩或拆分后上传。")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"“{name}”超过 20 MB，请压缩或拆分后上传。")
    if not any(data.startswith(sig) for sig in SIGNATURES[extension]):
        raise ValidationError(f"“{name}”的内容与文件类型不符。")
    # Stored under a generated name (models.attachment_path): the uploader's name is kept only as a label.
    return CheckedFile(ContentFile(data, name=f"{uuid.uuid4().hex}{extension}"), name, len(data))


def check_files(files, max_files: int) -> list[CheckedFile]:
    files = [f for f in files or () if f]
    if len(files) > max_files:
        raise ValidationError(f"每次最多上传 {max_files} 个附件。")
    return [check_file(f) for f in files]
