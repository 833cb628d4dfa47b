"""Generate the reports of every active template for the periods that have ended. Idempotent."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from anjian.core.context import acting_as

from ...services import generate_reports


class Command(BaseCommand):
    help = "按启用的报表模板生成各报告期的报表（已生成的不重复生成）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        with transaction.atomic(), acting_as(label="报表生成"):
            result = generate_reports(day)
        self.stdout.write(f"新生成报表 {result.created} 份，已存在 {result.existing} 份。")
