"""Audit retention (等保三级): at least six months in the database; older entries leave only through the archive,
into hash-chained files, and the archive itself stays in the trail."""

import datetime
import gzip
import json

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from anjian.core.audit import (
    ARCHIVE_ACTION,
    RetentionError,
    archive_entries,
    months_before,
    record_action,
    verify_archive,
)
from anjian.core.context import acting_as
from anjian.core.models import AuditEntry


def old_entry(cast, days: int, message: str) -> AuditEntry:
    return AuditEntry.objects.create(
        timestamp=timezone.now() - datetime.timedelta(days=days),
        actor=cast.inspector,
        actor_name="inspector",
        actor_role="inspector",
        action="test.checked",
        object_repr="测试对象",
        message=message,
    )


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2026-12-01T12:00:00+00:00", 6, "2026-06-01T12:00:00+00:00"),
        ("2026-08-31T00:00:00+00:00", 6, "2026-02-28T00:00:00+00:00"),  # clamped to the month's last day
        ("2026-03-15T08:00:00+08:00", 12, "2025-03-15T00:00:00+00:00"),  # counted in UTC, like PostgreSQL
    ],
)
def test_months_before(moment, months, expected):
    assert months_before(datetime.datetime.fromisoformat(moment), months) == datetime.datetime.fromisoformat(
        expected
    )


@pytest.mark.parametrize("months", [0, 1, 5])
def test_retention_under_six_months_is_refused(db, tmp_path, months):
    with pytest.raises(RetentionError):
        archive_entries(tmp_path, months)
    with pytest.raises(CommandError, match="至少保存 6 个月"):
        call_command("archive_audit", months=months, output=tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_short_configured_retention_fails_the_system_check(settings):
    settings.AUDIT_RETENTION_MONTHS = 3
    assert "anjian.E010" in {m.id for m in run_checks()}
    settings.AUDIT_RETENTION_MONTHS = 6
    assert "anjian.E010" not in {m.id for m in run_checks()}


def test_old_entries_are_archived_to_a_verified_file_and_the_archive_is_recorded(cast, tmp_path):
    archived = [old_entry(cast, 400, f"旧记录{i}") for i in range(3)]
    kept_old = old_entry(cast, 215, "七个月前")  # older than 6 months, younger than the 12-month retention
    with acting_as(user=cast.office):
        record_action(cast.enterprise_a, "test.checked", "今天")

    call_command("archive_audit", months=12, output=tmp_path)

    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and files[0].endswith(".jsonl.gz") and files[1].endswith(".manifest.json")
    manifest = verify_archive(tmp_path / files[0])
    assert manifest["entries"] == 3 and manifest["chain_start"] == ""
    with gzip.open(tmp_path / files[0], "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert [line["message"] for line in lines] == ["旧记录0", "旧记录1", "旧记录2"]
    assert {line["actor_name"] for line in lines} == {"inspector"}  # who did what travels with the entry
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in archived]).exists()
    assert AuditEntry.objects.filter(pk=kept_old.pk).exists()

    record = AuditEntry.objects.get(action=ARCHIVE_ACTION)
    assert record.actor_name == "审计归档任务"
    assert record.changes["sha256"] == manifest["sha256"] and record.changes["entries"] == 3
    assert "归档 3 条审计记录" in record.message

    # Nothing more is due: a second run is a no-op.
    call_command("archive_audit", months=12, output=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2


def test_the_next_archive_continues_the_hash_chain(cast, tmp_path):
    old_entry(cast, 400, "第一批")
    first = archive_entries(tmp_path, 12)
    old_entry(cast, 300, "第二批")
    second = archive_entries(tmp_path, 6)
    assert second["chain_start"] == first["chain_end"] != ""
    assert second["entries"] == 1
    # The archive records are never archived themselves: the chain of archives stays in the database.
    assert AuditEntry.objects.filter(action=ARCHIVE_ACTION).count() == 2


def test_a_tampered_archive_fails_verification(cast, tmp_path):
    old_entry(cast, 400, "原文")
    manifest = archive_entries(tmp_path, 12)
    path = tmp_path / manifest["file"]
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text.replace("原文", "篡改"))
    with pytest.raises(CommandError, match="校验失败"):
        call_command("archive_audit", verify=[path])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger exists on PostgreSQL only")
def test_database_allows_only_archived_entries_older_than_six_months(cast):
    recent = old_entry(cast, 90, "三个月前")
    old = old_entry(cast, 215, "七个月前")
    upto = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    # Even with the archive path open, nothing younger than six months can be deleted.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('anjian.audit_archived_upto', %s, true)", [str(upto)])
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [recent.pk])
    # Without it, not even old entries.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [old.pk])
    # Updates stay refused on the archive path.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('anjian.audit_archived_upto', %s, true)", [str(upto)])
        cursor.execute("UPDATE core_auditentry SET message = 'x' WHERE id = %s", [old.pk])
    assert AuditEntry.objects.filter(pk__in=[recent.pk, old.pk]).count() == 2


def test_the_archive_is_scheduled_monthly_and_runs_as_a_task(cast, settings, tmp_path):
    from anjian.celery import app
    from anjian.core.audit import archive_audit_task

    entry = app.conf.beat_schedule["core-archive-audit"]
    assert entry["task"] == archive_audit_task.name == "core.archive_audit"
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    old_entry(cast, 400, "到期")
    manifest = archive_audit_task.delay().get()
    assert manifest["entries"] == 1 and (tmp_path / manifest["file"]).exists()


def test_the_cutoff_is_exact_at_six_months(cast, tmp_path):
    """Entries a minute either side of the six-month line: only the older one leaves (and the database agrees)."""
    from django.db.models.functions import Now

    if connection.vendor == "postgresql":
        now = AuditEntry.objects.annotate(t=Now()).values_list("t", flat=True).first()
    else:
        now = timezone.now()
    cutoff = months_before(now, 6)
    older = AuditEntry.objects.create(timestamp=cutoff - datetime.timedelta(minutes=1), action="test.older")
    younger = AuditEntry.objects.create(
        timestamp=cutoff + datetime.timedelta(minutes=1), action="test.younger"
    )
    manifest = archive_entries(tmp_path, 6)
    assert manifest["last_id"] >= older.pk
    assert not AuditEntry.objects.filter(pk=older.pk).exists()
    assert AuditEntry.objects.filter(pk=younger.pk).exists()
