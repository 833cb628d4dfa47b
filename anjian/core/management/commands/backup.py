"""Back up the database and the uploaded files into one directory, with a manifest to check a restore against.

    manage.py backup --output /srv/backup/anjian-2026-12-01

The directory holds:
- the database: PostgreSQL as a `pg_dump` custom-format file when pg_dump is installed (else Django's dumpdata,
  gzipped), SQLite as a copy made with SQLite's online backup API;
- media.tar.gz: everything under MEDIA_ROOT;
- manifest.json: the rows per model and the SHA-256 of every file, counted in the same snapshot as the dump.

Consistency: on PostgreSQL the counts and pg_dump (or dumpdata) read one REPEATABLE READ snapshot; SQLite's
backup API copies one consistent state and the counts are read from the copy. Files are archived after the
database, so every file a backed-up record names is in the archive unless it was deleted meanwhile.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
# Rebuilt by `migrate` on the target; referenced from the dump by natural key.
DUMPDATA_EXCLUDE = ["contenttypes", "auth.permission"]


def counted_tables() -> dict[str, str]:
    """{"app_label.model": table} for every table Django manages, including many-to-many link tables."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in tables.values():
            tables[meta.label_lower] = meta.db_table
    return dict(sorted(tables.items()))


def count_rows(cursor, tables: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, table in tables.items():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # Django's own table names: nothing to escape
        counts[label] = cursor.fetchone()[0]
    return counts


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _HashingReader:
    """Hands tarfile the bytes of a file and hashes exactly what it archived."""

    def __init__(self, fh):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def archive_media(media_root: Path, target: Path) -> dict[str, str]:
    files = {}
    with tarfile.open(target, "w:gz") as tar:
        if media_root.is_dir():
            for path in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                name = path.relative_to(media_root).as_posix()
                with open(path, "rb") as fh:
                    info = tar.gettarinfo(fileobj=fh, arcname=name)
                    reader = _HashingReader(fh)
                    tar.addfile(info, reader)
                files[name] = reader.digest.hexdigest()
    return files


def pg_environment(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore (password through the environment, never argv)."""
    args = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个目录（含校验清单 manifest.json），可用 restore 命令恢复到空数据库。"

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True, help="备份目录（不存在或为空）")
        parser.add_argument(
            "--method",
            choices=["auto", "dumpdata"],
            default="auto",
            help="auto：PostgreSQL 用 pg_dump（未安装时用 dumpdata），SQLite 用在线备份；dumpdata：与数据库无关的 JSON",
        )

    def handle(self, *args, output: Path, method: str, **options):
        if output.exists() and any(output.iterdir()):
            raise CommandError(f"备份目录 {output} 不是空的。")
        output.mkdir(parents=True, exist_ok=True)
        vendor = connection.vendor
        if method == "dumpdata":
            database = self.dump_with_dumpdata(output)
        elif vendor == "postgresql" and shutil.which("pg_dump"):
            database = self.dump_postgresql(output)
        elif vendor == "postgresql":
            database = self.dump_with_dumpdata(output)
        elif vendor == "sqlite":
            database = self.dump_sqlite(output)
        else:
            raise CommandError(f"不支持的数据库：{vendor}")
        media_root = Path(settings.MEDIA_ROOT)
        files = archive_media(media_root, output / MEDIA_ARCHIVE)
        database["sha256"] = sha256_file(output / database["file"])
        manifest = {
            "format": 1,
            "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
            "database": database,
            "media": {"file": MEDIA_ARCHIVE, "sha256": sha256_file(output / MEDIA_ARCHIVE), "files": files},
        }
        (output / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        rows = sum(n for n in database["counts"].values() if n)
        self.stdout.write(f"备份完成：{output}（{database['method']}，{rows} 行数据，{len(files)} 个文件）。")

    def dump_postgresql(self, output: Path) -> dict:
        target = output / "database.pgdump"
        args, env = pg_environment(connection.settings_dict)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor, counted_tables())
            result = subprocess.run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", *args],
                env=env,
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            raise CommandError(
                f"pg_dump 失败：{result.stderr.strip()}（pg_dump 版本须不低于服务器；也可用 --method dumpdata）"
            )
        return {"vendor": "postgresql", "method": "pg_dump", "file": target.name, "counts": counts}

    def dump_with_dumpdata(self, output: Path) -> dict:
        target = output / "database.json.gz"
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts = count_rows(cursor, counted_tables())
            call_command(
                "dumpdata",
                natural_foreign=True,
                exclude=DUMPDATA_EXCLUDE,
                output=str(target),
                verbosity=0,
            )
        for label in counts:
            if label.split(".")[0] in DUMPDATA_EXCLUDE or label in DUMPDATA_EXCLUDE:
                counts[label] = None  # rebuilt by migrate, not restored from the dump
        return {"vendor": connection.vendor, "method": "dumpdata", "file": target.name, "counts": counts}

    def dump_sqlite(self, output: Path) -> dict:
        target = output / "database.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(target)) as copy:
            connection.connection.backup(copy)
            counts = count_rows(copy.cursor(), counted_tables())
        return {"vendor": "sqlite", "method": "sqlite-backup", "file": target.name, "counts": counts}
