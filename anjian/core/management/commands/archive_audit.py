"""Archive audit entries older than the retention period to compressed, hash-chained files.

Idempotent and safe to schedule (cron or Celery beat, e.g. monthly): entries already archived are gone from the
database, so a second run finds nothing to do. The retention never goes below six months (等保三级).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anjian.core.audit import RetentionError, archive_entries, verify_archive
from anjian.core.context import acting_as


class Command(BaseCommand):
    help = "将超过保存期限的审计记录归档到压缩文件（JSONL + SHA-256 哈希链），再从数据库中移除。保存期限不少于 6 个月。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="保存期限（月），默认取 AUDIT_RETENTION_MONTHS（12），不得少于 6",
        )
        parser.add_argument("--output", type=Path, default=None, help="归档目录，默认取 AUDIT_ARCHIVE_DIR")
        parser.add_argument("--verify", type=Path, nargs="+", default=None, help="只校验已有的归档文件")

    def handle(self, *args, months=None, output=None, verify=None, **options):
        if verify:
            for path in verify:
                try:
                    manifest = verify_archive(path)
                except (RetentionError, OSError, ValueError, KeyError) as exc:
                    raise CommandError(f"{path}：校验失败：{exc}") from exc
                self.stdout.write(f"{path.name}：校验通过，{manifest['entries']} 条。")
            return
        months = settings.AUDIT_RETENTION_MONTHS if months is None else months
        directory = output or Path(settings.AUDIT_ARCHIVE_DIR)
        try:
            with acting_as(label="审计归档任务"):
                manifest = archive_entries(directory, months)
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        if manifest is None:
            self.stdout.write(f"没有超过 {months} 个月的审计记录，无需归档。")
            return
        self.stdout.write(
            f"已归档 {manifest['entries']} 条审计记录到 {directory / manifest['file']}"
            f"（SHA-256 {manifest['sha256']}）。"
        )
