from django.core.management.base import BaseCommand, CommandError

from anjian.stats import counts, units


class Command(BaseCommand):
    help = (
        "隐患与单位数量汇总表：verify 与按隐患、单位记录重新统计的结果核对（有差异时退出码为1）；"
        "rebuild 按记录重建。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "rebuild"])
        parser.add_argument("--limit", type=int, default=50, help="最多列出的差异条数")

    def handle(self, *args, action, limit, **options):
        if action == "rebuild":
            rows = counts.rebuild()
            self.stdout.write(f"已重建隐患数量汇总表：{rows} 行。")
            rows = units.rebuild()
            self.stdout.write(f"已重建单位数量汇总表：{rows} 行。")
            return
        differences = counts.verify() + units.verify()
        if not differences:
            self.stdout.write("隐患、单位数量汇总表与记录一致。")
            return
        for difference in differences[:limit]:
            self.stdout.write(str(difference))
        if len(differences) > limit:
            self.stdout.write(f"……另有 {len(differences) - limit} 处差异未列出。")
        raise CommandError(
            f"数量汇总表有 {len(differences)} 处与记录不一致；运行 hazard_counts rebuild 修复。",
            returncode=1,
        )
