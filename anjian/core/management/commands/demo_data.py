"""Load the demo district. Idempotent: does nothing if the demo is already loaded (use --reset to rebuild)."""

import random
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from anjian.core import demo
from anjian.core.context import acting_as
from anjian.core.data import seed_sectors
from anjian.core.models import Sector, Territory


class Command(BaseCommand):
    help = "生成演示数据（虚构的青山区）。已存在时跳过；--reset 清空数据库后重建。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="清空数据库后重新生成（不可恢复）")

    def handle(self, *args, reset=False, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            seed_sectors(Sector)  # reference data that flush removed
        if Territory.objects.filter(code=demo.DISTRICT[0]).exists():
            self.stdout.write("演示数据已存在，跳过。（如需重建：manage.py demo_data --reset）")
            return
        ctx = demo.DemoContext(rng=random.Random(demo.SEED), today=timezone.localdate())
        with transaction.atomic(), acting_as(label="演示数据生成"):
            modules = []
            for config in apps.get_app_configs():
                if not config.name.startswith("anjian."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.build(ctx)
                modules.append(module)
            # A step that reads what later apps made (e.g. assessment indicators over 督办 tasks) runs last.
            for module in modules:
                if hasattr(module, "build_late"):
                    module.build_late(ctx)
        for line in ctx.log:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成。所有演示账号的密码：{demo.DEMO_PASSWORD}"))
