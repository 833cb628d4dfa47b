"""Scan deadlines and drain the outbox once. For cron in the embedded mode (no broker), e.g. every 5 minutes:

    */5 * * * * cd /srv/anjian && .venv/bin/python manage.py run_deadlines

Idempotent: running it twice, or after a long pause, fires every due step exactly once (and catches up).
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anjian.notifications import services


class Command(BaseCommand):
    help = "扫描各类期限，触发到期提醒、逾期提醒与升级，并发送待发的邮件和短信（可重复执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以指定时间运行（ISO 格式，如 2026-11-30T09:00），用于补跑和演示")
        parser.add_argument("--no-drain", action="store_true", help="只扫描期限，不发送邮件和短信")

    def handle(self, *args, now=None, no_drain=False, **options):
        when = None
        if now:
            try:
                when = datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"时间格式不正确：{now}") from exc
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        scan = services.scan_deadlines(when)
        self.stdout.write(str(scan))
        if not no_drain:
            self.stdout.write(str(services.drain_outbox(when)))
        if scan.errors:  # cron mails non-zero exits: a broken provider is never silent
            raise CommandError(f"以下期限类型扫描失败，详见日志：{'、'.join(scan.errors)}")
