"""Attachments of progress reports (进展报告附件): checked by content before they are stored, and served only to
those who may see the assignment they belong to (core.media: one MEDIA_OWNERS row)."""

import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MEDIA_OWNERS = [
    (
        "supervision/",
        "supervision.ReportAttachment",
        "file",
        "report.assignment",
        "supervision.view_task",
        "anjian.supervision.services.can_see_assignment",
    ),
]

MAX_FILES = 10
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
}
ALLOWED_TEXT = "PDF、Word、Excel、OFD、JPG、PNG 或 ZIP"


@dataclass
class CheckedFile:
    file: ContentFile
    name: str
    size: int


def check_file(upload) -> CheckedFile:
    name = os.path.basename(getattr(upload, "name", "") or "附件")[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in SIGNATURES:
        raise ValidationError(f"“{name}”的文件类型不支持，请上传 {ALLOWED_TEXT} 文件。")
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


def check_files(files) -> list[CheckedFile]:
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise ValidationError(f"每次最多上传 {MAX_FILES} 个附件。")
    return [check_file(f) for f in files]
