"""The one place that calls the hazards app to register a hazard from a failed checklist item.

Kept small on purpose: if the hazards service's signature changes, only this function changes.
"""

import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from .models import FollowUp, Inspection, InspectionItem

STOP_ORDERS = {FollowUp.PARTIAL_STOP: "partial", FollowUp.TOTAL_STOP: "total"}


def describe(item: InspectionItem) -> str:
    text = f"检查项“{item.text}”不符合要求"
    return f"{text}：{item.note.strip()}" if item.note.strip() else f"{text}。"


def _photo_copy(item: InspectionItem):
    """A fresh copy of the item's photo, so the hazard owns its own file."""
    if not item.photo:
        return ()
    with item.photo.open("rb") as handle:
        return (ContentFile(handle.read(), name=os.path.basename(item.photo.name)),)


def register_for_item(*, actor, inspection: Inspection, item: InspectionItem, source: str):
    from anjian.hazards.models import Grade, StopOrder
    from anjian.hazards.services import register_hazard
    from anjian.hazards.workflow import TransitionRefused

    grade = Grade.MAJOR if item.is_major else Grade.GENERAL
    stop = STOP_ORDERS.get(item.follow_up) if item.is_major else None
    try:
        return register_hazard(
            actor=actor,
            enterprise=inspection.enterprise,
            description=describe(item),
            grade=grade,
            sector=inspection.sector,
            location=inspection.location,
            category=item.template_item.category if item.template_item_id else "",
            source=source,
            inspection=inspection,
            deadline=item.rectify_deadline,
            major_clause=item.major_clause if item.is_major else "",
            rectified_on_spot=item.rectified_on_spot,
            confirmed_by=actor if item.rectified_on_spot else None,
            photos=_photo_copy(item),
            found_on=inspection.inspected_on,
            inspector_names="、".join(
                f"{u.get_full_name()}（{u.certificate_no}）" if u.certificate_no else u.get_full_name()
                for u in inspection.inspectors.all()
            ),
            stop_order=StopOrder(stop) if stop else StopOrder.NONE,
        )
    except TransitionRefused as exc:
        raise ValidationError(f"第 {item.order} 项：{exc}") from exc
    except ValidationError as exc:
        messages = "；".join(exc.messages)
        raise ValidationError(f"第 {item.order} 项：{messages}") from exc
