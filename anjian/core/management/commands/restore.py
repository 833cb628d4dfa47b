"""Restore a backup made by `manage.py backup` into an empty database and an empty MEDIA_ROOT, then check it.

    DATABASE_URL=postgres://…/anjian_new manage.py restore /srv/backup/anjian-2026-12-01

Refuses a database that already has tables (PostgreSQL: create it with `createdb`; SQLite: a new file) and a
MEDIA_ROOT that already has files. Before touching anything it checks the backup's SHA-256 sums; afterwards it
compares the rows per model and every file's SHA-256 with the manifest and fails on any difference. The audit
trail's append-only triggers come back with the schema (pg_restore, the SQLite copy, or `migrate`).
"""

import json
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models.signals import m2m_changed

from anjian.core import audit
from anjian.core.management.commands.backup import (
    MANIFEST,
    count_rows,
    counted_tables,
    pg_environment,
    sha256_file,
)


class Command(BaseCommand):
    help = "将 backup 命令生成的备份恢复到空数据库和空的上传文件目录，并按清单核对每个模型的行数和每个文件的 SHA-256。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="backup 命令生成的备份目录")

    def handle(self, *args, directory: Path, **options):
        manifest = self.read_manifest(directory)
        database = manifest["database"]
        media_root = Path(settings.MEDIA_ROOT)
        if connection.introspection.table_names():
            raise CommandError("目标数据库不是空的：请恢复到新建的空数据库。")
        if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
            raise CommandError(f"上传文件目录 {media_root} 不是空的。")

        method = database["method"]
        if method == "pg_dump":
            self.restore_postgresql(directory / database["file"])
        elif method == "sqlite-backup":
            self.restore_sqlite(directory / database["file"])
        elif method == "dumpdata":
            self.restore_dumpdata(directory / database["file"])
        else:
            raise CommandError(f"未知的备份方式：{method}")
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(directory / manifest["media"]["file"], "r:gz") as tar:
            tar.extractall(media_root, filter="data")

        problems = self.compare(database["counts"], manifest["media"]["files"], media_root)
        if problems:
            raise CommandError("恢复后核对不一致：\n" + "\n".join(problems))
        rows = sum(n for n in database["counts"].values() if n)
        self.stdout.write(
            f"恢复完成并已核对：{rows} 行数据，{len(manifest['media']['files'])} 个文件。"
            "如备份来自较早的版本，请再运行 manage.py migrate。"
        )

    def read_manifest(self, directory: Path) -> dict:
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"读不到备份清单 {directory / MANIFEST}：{exc}") from exc
        for part in (manifest["database"], manifest["media"]):
            path = directory / part["file"]
            if not path.is_file() or sha256_file(path) != part["sha256"]:
                raise CommandError(f"备份文件 {path.name} 缺失或已损坏（SHA-256 与清单不符）。")
        return manifest

    def restore_postgresql(self, dump: Path):
        if connection.vendor != "postgresql":
            raise CommandError(
                "这是 PostgreSQL 备份（pg_dump），请设置 DATABASE_URL 指向 PostgreSQL 空数据库。"
            )
        args, env = pg_environment(connection.settings_dict)
        result = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *args,
                str(dump),
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore 失败：{result.stderr.strip()}")

    def restore_sqlite(self, copy: Path):
        if connection.vendor != "sqlite":
            raise CommandError("这是 SQLite 备份，请设置 DATABASE_URL 指向新的 SQLite 文件。")
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as source:
            source.backup(connection.connection)

    def restore_dumpdata(self, fixture: Path):
        call_command("migrate", interactive=False, verbosity=0)
        # Migrations seed reference data (sectors) that the dump carries too, maybe under other ids: start from
        # empty tables (flush recreates content types and permissions, which the dump names by natural key).
        call_command("flush", interactive=False, verbosity=0)
        # Loading many-to-many links would otherwise write new audit entries ("修改关联") for old changes.
        m2m_changed.disconnect(dispatch_uid="anjian.audit.m2m")
        try:
            call_command("loaddata", str(fixture), verbosity=0)
        finally:
            m2m_changed.connect(audit.on_m2m_changed, dispatch_uid="anjian.audit.m2m")

    def compare(self, expected_counts: dict, expected_files: dict, media_root: Path) -> list[str]:
        problems = []
        with connection.cursor() as cursor:
            actual = count_rows(cursor, {k: v for k, v in counted_tables().items() if k in expected_counts})
        for label, expected in expected_counts.items():
            if expected is not None and actual.get(label) != expected:
                problems.append(f"{label}：备份 {expected} 行，恢复后 {actual.get(label)} 行")
        for name, digest in expected_files.items():
            path = media_root / name
            if not path.is_file() or sha256_file(path) != digest:
                problems.append(f"文件 {name} 缺失或内容不同")
        return problems
