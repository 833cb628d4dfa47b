"""The audit trail (操作留痕): two layers.

1. Automatic: every create, update and delete of an `Audited` model writes an `AuditEntry` with the field
   diff, through model signals. Many-to-many changes are recorded too.
2. Domain actions: the one service function that performs a business operation (e.g. `hazard.accepted`)
   calls `record_action()` with a human message; the same history shows both.

Who acted comes from `core.context` (set per request, per task, per command).
"""

import datetime
import decimal
import gzip
import hashlib
import json
import os
from pathlib import Path

from celery import shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import acting_as, current_actor

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


# --- bulk: records inserted with bulk_create (large imports) ---------------------------------------------------
def _entry_fields(actor=None) -> dict:
    """Who acted, as write_entry records it, worked out once for a whole batch of entries."""
    ctx = current_actor()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return {
        "actor": user,
        "actor_name": (user.get_full_name() if user else ctx.label)[:100],
        "actor_role": (user.role if user else ""),
        "actor_organisation": (str(user.organisation) if user and user.organisation_id else "")[:100],
        "ip": ctx.ip,
        "request_id": ctx.request_id,
    }


def _related_labels(instances, fields) -> dict:
    """{(field name, value): label}: choice labels, and names of related records from the objects the instances
    already hold (an importer sets them), with one query per related model for the rest."""
    labels, missing = {}, {}
    dicts = [instance.__dict__ for instance in instances]
    # Instances holding related objects (fields_cache is created on first access: read it without creating it).
    holding = [i for i in instances if i._state.__dict__.get("fields_cache")]
    for field in fields:
        if field.choices and not field.is_relation:
            labels.update({(field.name, value): str(label) for value, label in field.flatchoices})
        if not field.is_relation:
            continue
        attname, cache_name = field.attname, field.cache_name
        values = {row.get(attname) for row in dicts} - {None, ""}
        for instance in holding:
            cached = instance._state.fields_cache.get(cache_name)
            raw = instance.__dict__.get(attname)
            if cached is not None and raw not in (None, ""):
                labels[(field.name, raw)] = str(cached)
        unknown = {value for value in values if (field.name, value) not in labels}
        if unknown:
            missing[field] = unknown
    for field, pks in missing.items():
        found = {obj.pk: str(obj) for obj in field.related_model._base_manager.filter(pk__in=pks)}
        for pk in pks:
            labels[(field.name, pk)] = found.get(pk, f"#{pk}")
    return labels


# Values a create entry shows as they are (what _plain returns unchanged).
_AS_IS = frozenset({str, int, float, bool})


def _change_plan(fields) -> list[tuple]:
    """(name, attname, is relation, has choices) of each audited field, worked out once for many records."""
    return [(f.name, f.attname, f.is_relation, bool(f.choices)) for f in fields]


def _created_changes(instance, fields, labels, shown_times: dict | None = None, plan=None) -> dict:
    """The `changes` of a create entry, exactly as on_post_save writes them (_diff with created=True).
    `shown_times` remembers how each moment was written (a bulk of records shares a few); `plan` is
    _change_plan(fields), passed by callers that write many entries."""
    changes = {}
    values = instance.__dict__  # every concrete field of a saved or bulk-built instance is there
    for name, attname, relation, choices in plan or _change_plan(fields):
        new = values[attname]
        if new is None or (not new and new in ("", False) and name != "is_active"):
            continue  # (0 == False: zeros are left out too, as _diff leaves them out)
        kind = type(new)
        if relation:
            shown = labels.get((name, new), f"#{new}")
        elif choices:
            shown = labels.get((name, new), str(new))
        elif kind in _AS_IS:
            shown = new
        elif kind is datetime.date:
            shown = new.isoformat()
        elif shown_times is not None and isinstance(new, datetime.datetime):
            shown = shown_times.get(new)
            if shown is None:
                shown = shown_times[new] = _plain(new)
        else:
            shown = _plain(new)
        changes[name] = [None, shown]
    return changes


def record_bulk_creation(instances, actions: dict[str, list[str]] | None = None, actor=None) -> int:
    """Audit records that were inserted with bulk_create (which sends no signals): for each instance the same
    "create" entry on_post_save writes, then for each named action (e.g. {"hazard.registered": [message per
    instance]}) the entry record_action writes. Labels of related records come from the objects the instances
    hold (one query per related model for the others); the entries go in at once (COPY on PostgreSQL, built as
    rows of values rather than model instances). Instances must have their primary keys. Returns the number of
    entries written."""
    from django.contrib.contenttypes.models import ContentType

    from .importing.bulk import copy_values
    from .models import AuditEntry

    instances = list(instances)
    if not instances:
        return 0
    who = _entry_fields(actor)
    user = who.pop("actor")
    fields = [f for f in AuditEntry._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    common = {"timestamp": timezone.now(), "actor_id": user.pk if user else None, **who}
    template = [common.get(name) for name in names]
    at = {name: names.index(name) for name in names}
    action_at, type_at, id_at = at["action"], at["content_type_id"], at["object_id"]
    repr_at, path_at, changes_at, message_at = (
        at["object_repr"],
        at["territory_path"],
        at["changes"],
        at["message"],
    )

    rows = []
    shown_times = {}
    for model in {type(i) for i in instances}:
        positions = [n for n, i in enumerate(instances) if type(i) is model]
        of_model = [instances[n] for n in positions]
        content_type_id = ContentType.objects.get_for_model(model).pk
        audited = list(_audited_fields(of_model[0]))
        labels = _related_labels(of_model, audited)
        plan = _change_plan(audited)
        heads = []
        for instance in of_model:
            head = template.copy()
            head[type_at] = content_type_id
            head[id_at] = str(instance.pk)
            head[repr_at] = str(instance)[:200]
            head[path_at] = _territory_path_of(instance)
            heads.append(head)
            row = head.copy()
            row[action_at], row[message_at] = "create", ""
            row[changes_at] = _created_changes(instance, audited, labels, shown_times, plan)
            rows.append(row)
        for action, messages in (actions or {}).items():
            for position, head in zip(positions, heads, strict=True):
                row = head.copy()
                row[action_at], row[changes_at] = action, {}
                row[message_at] = messages[position]
                rows.append(row)
    if connection.vendor == "postgresql":
        copy_values(AuditEntry, fields, rows)
    else:
        AuditEntry.objects.bulk_create(
            (AuditEntry(**dict(zip(names, row, strict=True))) for row in rows), batch_size=1000
        )
    return len(rows)


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


# --- retention: archive old entries to files ---------------------------------------------------------------------
# 等保 2.0 三级 (GB/T 22239-2019 8.1.4.3): audit records are kept at least six months. Entries older than the
# retention leave the database only through `archive_entries`, which first writes them to a compressed JSONL
# file whose lines are hash-chained to the previous archive, then records the archive itself in the trail.
MINIMUM_RETENTION_MONTHS = 6
ARCHIVE_ACTION = "audit.archived"
register_actions({ARCHIVE_ACTION: "审计记录归档"})


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's last day), in UTC,
    as PostgreSQL's `now() - interval 'N months'` counts them."""
    moment = moment.astimezone(datetime.UTC)
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _entry_line(entry) -> str:
    ct = entry.content_type
    data = {
        "id": entry.pk,
        "timestamp": entry.timestamp.astimezone(datetime.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "actor_role": entry.actor_role,
        "actor_organisation": entry.actor_organisation,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "action": entry.action,
        "content_type": f"{ct.app_label}.{ct.model}" if ct else None,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "territory_path": entry.territory_path,
        "changes": entry.changes,
        "message": entry.message,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


def chain_hash(previous: str, line: str) -> str:
    return hashlib.sha256(f"{previous}\n{line}".encode()).hexdigest()


def last_archive_chain() -> str:
    """The chain value the next archive continues from: the last archive's final hash ("" before the first)."""
    from .models import AuditEntry

    last = AuditEntry.objects.filter(action=ARCHIVE_ACTION).order_by("-id").first()
    return (last.changes.get("chain_end") or "") if last else ""


class RetentionError(Exception):
    pass


def archive_entries(directory: Path, months: int, now: datetime.datetime | None = None) -> dict | None:
    """Move entries older than `months` months into `directory`; returns the manifest, or None if none are due.

    One transaction: write and fsync the file, delete exactly the archived rows (on PostgreSQL the trigger lets
    these through and nothing else), record the archive as an audit entry. A failure removes the file again.
    """
    from django.db import connection, transaction

    from .models import AuditEntry

    if months < MINIMUM_RETENTION_MONTHS:
        raise RetentionError(
            f"审计记录至少保存 {MINIMUM_RETENTION_MONTHS} 个月（等保三级），不能设为 {months} 个月。"
        )
    directory.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        if now is None and connection.vendor == "postgresql":
            # The trigger measures six months from the transaction's now(): take the cutoff from the same clock.
            with connection.cursor() as cursor:
                cursor.execute("SELECT now()")
                now = cursor.fetchone()[0]
        now = now or timezone.now()
        cutoff = months_before(now, months)
        due = AuditEntry.objects.filter(timestamp__lt=cutoff).exclude(action=ARCHIVE_ACTION)
        upto = due.order_by("-id").values_list("id", flat=True).first()
        if upto is None:
            return None
        due = due.filter(id__lte=upto).select_related("content_type").order_by("id")
        chain_start = last_archive_chain()
        name = f"audit-{now.astimezone(datetime.UTC):%Y%m%d-%H%M%S}-{upto}"
        path = directory / f"{name}.jsonl.gz"
        temporary = path.with_suffix(".part")
        chain, count, first, last = chain_start, 0, None, None
        try:
            with open(temporary, "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
                    for entry in due.iterator(chunk_size=2000):
                        line = _entry_line(entry)
                        out.write(line.encode() + b"\n")
                        chain = chain_hash(chain, line)
                        count += 1
                        first = first or entry
                        last = entry
                raw.flush()  # the gzip trailer is written on close: sync after it, before rows are deleted
                os.fsync(raw.fileno())
            temporary.replace(path)
            manifest = {
                "file": path.name,
                "sha256": _sha256(path),
                "entries": count,
                "first_id": first.pk,
                "last_id": last.pk,
                "first_timestamp": first.timestamp.astimezone(datetime.UTC).isoformat(),
                "last_timestamp": last.timestamp.astimezone(datetime.UTC).isoformat(),
                "cutoff": cutoff.isoformat(),
                "retention_months": months,
                "chain_start": chain_start,
                "chain_end": chain,
                "created_at": now.astimezone(datetime.UTC).isoformat(),
            }
            (directory / f"{name}.manifest.json").write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT set_config('anjian.audit_archived_upto', %s, true)", [str(upto)])
                cursor.execute(
                    "DELETE FROM core_auditentry WHERE id <= %s AND timestamp < %s AND action <> %s",
                    [upto, connection.ops.adapt_datetimefield_value(cutoff), ARCHIVE_ACTION],
                )
                deleted = cursor.rowcount
            if deleted != count:
                raise RetentionError(f"归档 {count} 条，但删除了 {deleted} 条，已回滚。")
            write_entry(
                None,
                ARCHIVE_ACTION,
                changes={
                    k: manifest[k] for k in ("file", "sha256", "entries", "first_id", "last_id", "chain_end")
                },
                message=(
                    f"归档 {count} 条审计记录（{manifest['first_timestamp'][:10]} 至 {manifest['last_timestamp'][:10]}）"
                    f"到 {path.name}，SHA-256 {manifest['sha256']}"
                ),
            )
        except BaseException:
            for leftover in (temporary, path, directory / f"{name}.manifest.json"):
                leftover.unlink(missing_ok=True)
            raise
    return manifest


def verify_archive(path: Path) -> dict:
    """Re-read an archive: file hash, entry count and hash chain must match its manifest. Returns the manifest."""
    manifest_path = path.with_name(path.name.removesuffix(".jsonl.gz") + ".manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if _sha256(path) != manifest["sha256"]:
        raise RetentionError(f"{path.name}：文件 SHA-256 与清单不符。")
    chain, count = manifest["chain_start"], 0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            chain = chain_hash(chain, line.rstrip("\n"))
            count += 1
    if count != manifest["entries"] or chain != manifest["chain_end"]:
        raise RetentionError(f"{path.name}：条数或哈希链与清单不符。")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@shared_task(name="core.archive_audit")
def archive_audit_task() -> dict | None:
    """The scheduled archive (Celery beat, see CELERY_BEAT_SCHEDULE); cron runs `manage.py archive_audit`."""
    from django.conf import settings

    with acting_as(label="审计归档任务"):
        return archive_entries(Path(settings.AUDIT_ARCHIVE_DIR), settings.AUDIT_RETENTION_MONTHS)
