"""Delete background export files past their retention (ANJIAN EXPORT_RETENTION_DAYS). Idempotent; Celery beat
runs it daily at 03:15 (task core.expire_exports), cron can run this command instead."""

from django.core.management.base import BaseCommand

from anjian.core.export_jobs import delete_expired_exports


class Command(BaseCommand):
    help = "删除超过保留期的导出文件。"

    def handle(self, *args, **options):
        count = delete_expired_exports()
        self.stdout.write(f"已删除 {count} 个过期的导出任务及其文件。")
