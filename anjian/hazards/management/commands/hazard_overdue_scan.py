from django.core.management.base import BaseCommand

from anjian.hazards.tasks import refresh_overdue


class Command(BaseCommand):
    help = "标记逾期未整改的隐患（可重复运行）。"

    def handle(self, *args, **options):
        flagged = refresh_overdue()
        self.stdout.write(f"新标记逾期隐患 {flagged} 条。")
