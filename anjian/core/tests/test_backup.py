"""Backup and restore: every record and every uploaded file comes back in an empty database, and the audit
trail is still append-only there.

The restore runs as an operator would run it: `manage.py restore` in another process, pointed by DATABASE_URL
at a new database (a temporary SQLite file, or `<test database>_restore` on PostgreSQL, created and dropped
here) and by MEDIA_ROOT at an empty directory.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from anjian.core.audit import record_action
from anjian.core.context import acting_as
from anjian.core.management.commands.backup import count_rows, counted_tables
from anjian.core.models import AuditEntry, ImportBatch, Organisation, OrganisationKind

ROOT = Path(__file__).resolve().parents[3]

INSPECT_RESTORED = """
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.settings")
django.setup()
from django.db import DatabaseError, connection, transaction
from anjian.core.management.commands.backup import count_rows, counted_tables
with connection.cursor() as cursor:
    counts = count_rows(cursor, counted_tables())
refused = {}
for verb, sql in (("update", "UPDATE core_auditentry SET message = 'x'"), ("delete", "DELETE FROM core_auditentry")):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            raise LookupError  # never keep a change that got through
    except DatabaseError:
        refused[verb] = True
    except LookupError:
        refused[verb] = False
print(json.dumps({"counts": counts, "refused": refused}))
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_of(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): digest(p) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def records(live_cast, settings):
    """The cast plus a few records of other kinds: audited changes, a domain action, m2m links, uploads."""
    cast = live_cast
    with acting_as(user=cast.office, ip="10.0.0.8"):
        org = Organisation.objects.create(
            name="区林业局", kind=OrganisationKind.DEPARTMENT, territory=cast.district
        )
        org.sectors.add(cast.construction)
        record_action(cast.enterprise_a, "test.checked", "现场检查完毕")
        batch = ImportBatch(importer="territories", original_name="区划.xlsx", created_by=cast.office)
        batch.file.save("区划.xlsx", ContentFile(b"PK\x03\x04 spreadsheet"), save=True)
    media = Path(settings.MEDIA_ROOT)
    (media / "hazards" / "2026" / "12").mkdir(parents=True, exist_ok=True)
    (media / "hazards" / "2026" / "12" / "现场照片.jpg").write_bytes(bytes(range(256)) * 40)
    return cast


def restore_target(tmp_path: Path):
    """(DATABASE_URL, cleanup) for an empty database next to the test database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{quote(str(db['PASSWORD']))}" if db.get("PASSWORD") else ""
    url = f"postgres://{quote(db.get('USER') or '')}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{name}"
    return url, drop


def run(env_overrides, *command):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT", "DEPLOYMENT"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("method", ["auto", "dumpdata"])
def test_backup_restores_every_record_and_file_into_an_empty_database(records, settings, tmp_path, method):
    backup = tmp_path / "backup"
    call_command("backup", output=backup, method=method, verbosity=0)
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))

    with connection.cursor() as cursor:
        source_counts = count_rows(cursor, counted_tables())
    source_files = files_of(Path(settings.MEDIA_ROOT))
    assert len(source_files) == 2 and source_counts["core.auditentry"] > 0
    assert manifest["media"]["files"] == source_files
    expected = {k: v for k, v in manifest["database"]["counts"].items() if v is not None}
    assert expected == {k: source_counts[k] for k in expected}
    assert expected["core.user"] == source_counts["core.user"] and expected["registry.enterprise"] >= 2

    url, drop = restore_target(tmp_path)
    restored_media = tmp_path / "restored-media"
    try:
        result = run(
            {"DATABASE_URL": url, "MEDIA_ROOT": str(restored_media)}, "manage.py", "restore", str(backup)
        )
        assert result.returncode == 0, result.stderr + result.stdout
        assert "恢复完成并已核对" in result.stdout
        inspected = run({"DATABASE_URL": url}, "-c", INSPECT_RESTORED)
        assert inspected.returncode == 0, inspected.stderr
        restored = json.loads(inspected.stdout.strip().splitlines()[-1])

        # A second restore into the now-filled database is refused.
        again = run(
            {"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "m2")}, "manage.py", "restore", str(backup)
        )
        assert again.returncode != 0 and "不是空的" in again.stderr
    finally:
        drop()

    assert {k: restored["counts"][k] for k in expected} == expected
    assert files_of(restored_media) == source_files
    assert restored["refused"]["update"] is True
    if connection.vendor == "postgresql":
        assert restored["refused"]["delete"] is True  # the append-only trigger came back with the schema


def test_restore_refuses_a_damaged_backup(records, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", output=backup, verbosity=0)
    with open(backup / "media.tar.gz", "ab") as fh:
        fh.write(b"junk")
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", backup)
    assert AuditEntry.objects.exists()  # nothing was touched


def test_backup_refuses_a_directory_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", output=tmp_path)
