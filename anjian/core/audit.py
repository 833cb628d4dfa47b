"""The audit trail (操作留痕): two layers.

1. Automatic: every create, update and delete of an `Audited` model writes an `AuditEntry` with the field
   diff, through model signals. Many-to-many changes are recorded too.
2. Domain actions: the one service function that performs a business operation (e.g. `hazard.accepted`)
   calls `record_action()` with a human message; the same history shows both.

Who acted comes from `core.context` (set per request, per task, per command).
"""

import datetime
import decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import current_actor

ACTION_LABELS = {"create": "新建", "update": "修改", "delete": "删除", "m2m": "修改关联"}
_extra_labels: dict[str, str] = {}


def register_actions(labels: dict[str, str]) -> None:
    """Apps declare the Chinese label of their domain actions, e.g. {"hazard.accepted": "复查验收通过"}."""
    _extra_labels.update(labels)


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action) or _extra_labels.get(action) or action


class Audited(models.Model):
    """Mixin: changes of this model are recorded. `audit_exclude` lists fields never recorded."""

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = dict(zip(field_names, values, strict=False))
        return instance


def _audited_fields(instance):
    skip = set(getattr(instance, "audit_exclude", ())) | {"path", "depth", "territory_path"}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        yield field


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            if timezone.is_aware(value)
            else str(value)
        )
    if isinstance(value, datetime.date | decimal.Decimal | datetime.time):
        return str(value)
    if isinstance(value, dict | list):
        return value
    if isinstance(value, FieldFile):  # (hasattr(value, "url") raises on an empty file)
        return value.name or ""
    return str(value)


def _display(field, raw):
    """A value as people read it: choice labels, names of related records."""
    if raw in (None, ""):
        return raw
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=raw).first()
        return str(related) if related is not None else f"#{raw}"
    return _plain(raw)


def _diff(instance, created: bool) -> dict:
    snapshot = {} if created else getattr(instance, "_audit_snapshot", None)
    if snapshot is None:  # saved without being loaded (e.g. constructed with a pk): read the stored row
        stored = type(instance)._base_manager.filter(pk=instance.pk).values().first() or {}
        snapshot = stored
    changes = {}
    for field in _audited_fields(instance):
        new = getattr(instance, field.attname)
        old = snapshot.get(field.attname)
        if _plain(old) == _plain(new):
            continue
        if created and new in (None, "", False) and field.name != "is_active":
            continue
        changes[field.name] = [None if created else _display(field, old), _display(field, new)]
    return changes


def _territory_path_of(instance) -> str:
    path = getattr(instance, "territory_path", None)
    if path is None and hasattr(instance, "path"):
        path = instance.path
    return path or ""


def write_entry(instance, action: str, changes: dict | None = None, message: str = "", actor=None):
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    ctx = current_actor()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(
        timestamp=timezone.now(),
        actor=user,
        actor_name=(user.get_full_name() if user else ctx.label)[:100],
        actor_role=(user.role if user else ""),
        actor_organisation=(str(user.organisation) if user and user.organisation_id else "")[:100],
        ip=ctx.ip,
        request_id=ctx.request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        territory_path=_territory_path_of(instance) if instance is not None else "",
        changes=changes or {},
        message=message,
    )


def record_action(instance, action: str, message: str = "", changes: dict | None = None, actor=None):
    """Record a named business action (e.g. "hazard.accepted") on the instance's history."""
    return write_entry(instance, action, changes=changes, message=message, actor=actor)


def on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Audited):
        return
    changes = _diff(instance, created)
    if changes or created:
        write_entry(instance, "create" if created else "update", changes)
    instance._audit_snapshot = {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def on_post_delete(sender, instance, **kwargs):
    if not isinstance(instance, Audited):
        return
    write_entry(
        instance,
        "delete",
        {f.name: [_display(f, getattr(instance, f.attname)), None] for f in _audited_fields(instance)},
    )


def on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if (
        reverse
        or not isinstance(instance, Audited)
        or action not in ("post_add", "post_remove", "post_clear")
    ):
        return
    field = next((f for f in instance._meta.many_to_many if f.remote_field.through is sender), None)
    if field is None:
        return
    names = [str(o) for o in model._base_manager.filter(pk__in=pk_set or [])]
    verb = {"post_add": "添加", "post_remove": "移除", "post_clear": "清空"}[action]
    write_entry(instance, "m2m", {field.name: [verb, "、".join(names)]})


def history_for(instance, limit: int = 100):
    """Audit entries of one record, newest first (uses the content type + object id index)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("content_type")[:limit]


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name
