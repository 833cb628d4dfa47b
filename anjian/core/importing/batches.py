"""An import batch on its way: the parse result stored for the preview, and the user's answers remembered."""

from .base import IGNORE, ParseResult
from .values import normalise_header


def store_parse_result(batch, result: ParseResult) -> None:
    """Write what the preview shows onto the batch and set its status (mapping, invalid or ready)."""
    from ..models import ImportBatch

    batch.total_rows = batch.processed_rows = result.total
    batch.errors = [list(e) for e in result.errors]
    notes = [
        f"{row.sheet + ' ' if len(result.sheets) > 1 else ''}第{row.number}行：{note}"
        for row in result.rows
        for note in row.notes
    ]
    batch.warnings = result.warnings + notes[:200]
    batch.preview = [
        {
            "number": r.number,
            "sheet": r.sheet if len(result.sheets) > 1 else "",
            "values": {k: str(v) for k, v in r.values.items()},
            "update": bool(r.existing_pk),
        }
        for r in result.rows[:20]
    ]
    batch.summary = {"new": result.new, "existing": result.existing}
    # Said only when the file is not laid out like the template (header on row 1 of one sheet).
    if result.table_note and (len(result.sheets) > 1 or not result.table_note.startswith("第1行")):
        batch.summary["table"] = result.table_note
    for name in ("unknown_headers", "samples", "confirmations"):
        if getattr(result, name):
            batch.summary[name] = getattr(result, name)
    if result.needs_mapping:
        batch.status = ImportBatch.Status.MAPPING
    elif result.error_count:
        batch.status = ImportBatch.Status.INVALID
    else:
        batch.status = ImportBatch.Status.READY
    batch.save()


def remember_columns(user, importer_key: str, answers: dict[str, str]) -> None:
    """Store the user's header → field answers (IGNORE for 忽略) for their organisation."""
    from ..models import ImportMapping

    for header, target in answers.items():
        ImportMapping.objects.update_or_create(
            organisation_id=getattr(user, "organisation_id", None),
            importer=importer_key,
            kind=ImportMapping.Kind.COLUMN,
            source=normalise_header(header),
            defaults={"target": target or IGNORE, "created_by": user},
        )


def remember_units(user, importer_key: str, answers: dict[str, str]) -> None:
    """Store unit names the user confirmed as a unit (name as written → unit key, e.g. the credit code)."""
    from ..models import ImportMapping

    for source, target in answers.items():
        ImportMapping.objects.update_or_create(
            organisation_id=getattr(user, "organisation_id", None),
            importer="",  # a unit is the same unit in every ledger
            kind=ImportMapping.Kind.UNIT,
            source=normalise_header(source),
            defaults={"target": target, "created_by": user},
        )


def remembered_units(user) -> dict[str, str]:
    from ..models import ImportMapping

    return dict(
        ImportMapping.objects.filter(
            organisation_id=getattr(user, "organisation_id", None), kind=ImportMapping.Kind.UNIT
        ).values_list("source", "target")
    )
