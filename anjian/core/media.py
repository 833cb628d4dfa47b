"""Uploaded files (photos, signatures, evidence) are served only to users who may see the record they belong to.

Uploads are evidence about enterprises and people (a whistle-blower's photo, an inspector's signature): never a
public web directory. `/media/<path>` finds the record that owns the file from the table below and answers with
the file only if `core.scope.can_view` allows that record; otherwise 404, exactly like a missing file.

Each row: (path prefix, model label, file field, relation from the owning row to the scoped record or "").
"""

import mimetypes

from django.apps import apps
from django.http import FileResponse, Http404

from .scope import can_view

MEDIA_OWNERS = [
    ("inspections/signatures/", "inspections.Inspection", "inspector_signature", ""),
    ("inspections/signatures/", "inspections.Inspection", "unit_signature", ""),
    ("inspections/photos/", "inspections.InspectionItem", "photo", "inspection"),
    ("tips/", "operations.TipPhoto", "image", "tip"),
]


def find_file(path: str):
    """(the stored file, the scoped record it belongs to), or (None, None)."""
    for prefix, label, field, via in MEDIA_OWNERS:
        if not path.startswith(prefix):
            continue
        row = apps.get_model(label)._default_manager.filter(**{field: path}).first()
        if row is None:
            continue
        record = row
        for part in filter(None, via.split(".")):
            record = getattr(record, part)
        return getattr(row, field), record
    return None, None


def protected_media(request, path):
    stored, record = find_file(path)
    if stored is None or not can_view(request.user, record):
        raise Http404("文件不存在或不在您的数据范围内。")
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(stored.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response
