"""manage.py generate_province: fill an empty PostgreSQL database with a whole generated province."""

from django.core.management.base import BaseCommand, CommandError

from anjian.core.province.build import GeneratorRefused, generate
from anjian.core.province.plan import Plan


class Command(BaseCommand):
    help = (
        "生成一个虚构省份的全量数据（1 省、约14市、120县、1500镇街及村、网格；100万单位、1000万隐患等），用于容量与"
        "性能测试。只支持 PostgreSQL（COPY 装入）。批量装入的数据不写审计记录（是生成的，不是谁改的）。"
        "所有账号使用同一个已知密码（--password）。用 --scale 或 --units/--hazards 控制规模，--seed 决定数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=None, help="规模系数，1 为全量（默认 1）")
        parser.add_argument("--units", type=int, default=None, help="单位数（覆盖 --scale）")
        parser.add_argument("--hazards", type=int, default=None, help="隐患数（覆盖 --scale）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，同一种子生成相同数据（默认 1）")
        parser.add_argument("--password", default="Anjian#2026bench", help="所有生成账号的密码")
        parser.add_argument("--reset", action="store_true", help="先清空现有业务数据（不可恢复）")

    def handle(self, *args, **options):
        if options["scale"] is not None and options["scale"] <= 0:
            raise CommandError("--scale 必须大于 0。")
        plan = Plan.build(
            scale=options["scale"],
            units=options["units"],
            hazards=options["hazards"],
            seed=options["seed"],
            password=options["password"],
        )
        self.stdout.write(f"生成：单位 {plan.units}，隐患 {plan.hazards}，种子 {plan.seed}")
        try:
            summary = generate(plan, reset=options["reset"], log=self.stdout.write)
        except GeneratorRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {summary['seconds']} 秒。"))
        for level, username in (summary.get("usernames") or {}).items():
            self.stdout.write(f"  {level}: {username}")
