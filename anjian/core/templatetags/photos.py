"""Photo galleries: thumbnails (served by core.media) that open the viewer (static/anjian/viewer.js).

    {% load photos %}
    {% photo_items hazard_photos kind="after" prefix="整改后" as after %}
    {% include "core/partials/photos.html" with items=after gallery="hazard" %}

Pages that show a gallery load static/anjian/viewer.css and viewer.js.
"""

import os

from django import template
from django.db.models import Model
from django.db.models.fields.files import FieldFile

from anjian.core.media import is_image_name, thumbnail_url

register = template.Library()


def _caption(row, stored, caption):
    text = getattr(row, caption, "") if caption else ""
    if callable(text):
        text = text()
    return text or getattr(row, "original_name", "") or os.path.basename(stored.name)


@register.simple_tag
def photo_items(rows, field="file", caption="", kind=None, prefix="", label=""):
    """Gallery items from stored files, or from rows (or one row) holding one in `field`.

    kind: keep only rows whose `kind` equals it; caption: attribute of the row shown under the photo (default
    its `original_name`, else the file name); label: a fixed caption instead; prefix: put before the caption."""
    if rows is None or rows == "":
        return []
    if isinstance(rows, (FieldFile, Model)):
        rows = [rows]
    items = []
    for row in rows:
        if kind is not None and getattr(row, "kind", None) != kind:
            continue
        stored = row if isinstance(row, FieldFile) else getattr(row, field, None)
        if not stored:
            continue
        text = label or _caption(row, stored, caption)
        image = is_image_name(stored.name)
        items.append(
            {
                "url": stored.url,
                "caption": f"{prefix} · {text}" if prefix else text,
                "is_image": image,
                "is_pdf": stored.name.lower().endswith(".pdf"),
                "thumb": thumbnail_url(stored, "sm") if image else "",
                "medium": thumbnail_url(stored, "md") if image else "",
                "large": thumbnail_url(stored, "lg") if image else "",
            }
        )
    return items
