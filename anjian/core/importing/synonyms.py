"""The header words an administrator adds to an importer (ImportColumnSynonym): checking, adding, changing and
removing them, each change written to the audit trail (the synonym's history on its page)."""

from django.db import transaction

from ..audit import write_entry
from .values import normalise_header


def synonym_problem(importer, field: str, word: str, exclude_pk=None) -> str:
    """Why `word` cannot be added for `field` of `importer` (a Chinese sentence), or "" when it can."""
    from ..models import ImportColumnSynonym

    labels = dict(importer.field_options())
    if field not in labels:
        return f"没有字段“{field}”。"
    key = normalise_header(word)
    if not key:
        return "请填写表头写法（去掉空格、括号说明和*后不能为空）。"
    for column in importer.columns:  # the importer's own words
        if key in {normalise_header(column.header), *map(normalise_header, column.synonyms)}:
            if column.field == field:
                return f"“{word}”已是“{column.header}”的内置写法，无需添加。"
            return f"“{word}”已对应“{column.header}”，不能再对应“{labels[field]}”。"
    added = ImportColumnSynonym.objects.filter(importer__in=(importer.key, "")).exclude(pk=exclude_pk)
    for other_field, other_word in added.values_list("field", "synonym"):
        if normalise_header(other_word) != key:
            continue
        if other_field == field:
            return f"“{word}”与已添加的“{other_word}”重复。"
        return f"“{word}”已对应“{labels.get(other_field, other_field)}”，不能再对应“{labels[field]}”。"
    return ""


def _labels(importer, synonym) -> dict:
    return {
        "importer": importer.title,
        "field": dict(importer.field_options()).get(synonym.field, synonym.field),
        "synonym": synonym.synonym,
    }


def add_synonym(importer, field: str, word: str, actor):
    from ..models import ImportColumnSynonym

    with transaction.atomic():
        synonym = ImportColumnSynonym.objects.create(importer=importer.key, field=field, synonym=word.strip())
        write_entry(
            synonym,
            "create",
            {name: [None, value] for name, value in _labels(importer, synonym).items()},
            actor=actor,
        )
    return synonym


def change_synonym(importer, synonym, field: str, word: str, actor):
    with transaction.atomic():
        before = _labels(importer, synonym)
        synonym.field, synonym.synonym = field, word.strip()
        synonym.save(update_fields=["field", "synonym"])
        after = _labels(importer, synonym)
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        if changes:
            write_entry(synonym, "update", changes, actor=actor)
    return synonym


def delete_synonym(importer, synonym, actor) -> None:
    with transaction.atomic():
        write_entry(
            synonym,
            "delete",
            {name: [value, None] for name, value in _labels(importer, synonym).items()},
            actor=actor,
        )
        synonym.delete()
