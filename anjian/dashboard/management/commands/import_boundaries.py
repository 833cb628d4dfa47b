"""Import administrative boundaries from a GeoJSON file for one level of the territory tree.

    manage.py import_boundaries counties.geojson --level county --code-property adcode --name-property name
    manage.py import_boundaries towns.geojson --level town --parent 990102

Idempotent: importing the same file again replaces the same boundaries. A file with an unusable feature is
rejected whole; features matching no territory are listed and the others imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anjian.core.context import acting_as
from anjian.core.models import Territory
from anjian.dashboard.boundaries import LEVEL_KINDS, BoundaryFileError, import_boundaries


class Command(BaseCommand):
    help = "从 GeoJSON 文件导入某一层级行政区划的边界（按区划代码或名称匹配）。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON 文件（FeatureCollection，面要素，经纬度坐标）")
        parser.add_argument("--level", required=True, choices=sorted(LEVEL_KINDS), help="区划层级")
        parser.add_argument("--code-property", default="code", help="要素中存放区划代码的属性名（默认 code）")
        parser.add_argument("--name-property", default="name", help="要素中存放区划名称的属性名（默认 name）")
        parser.add_argument("--parent", help="只匹配该区划（代码）之下的区划，用于名称重复时")

    def handle(self, *args, file, level, code_property, name_property, parent=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        parent_territory = None
        if parent:
            parent_territory = Territory.objects.filter(code=parent).first()
            if parent_territory is None:
                raise CommandError(f"找不到上级区划代码 {parent}。")
        try:
            with acting_as(label="边界导入命令"):
                report = import_boundaries(
                    path.read_bytes(),
                    level=level,
                    code_property=code_property,
                    name_property=name_property,
                    parent=parent_territory,
                    source=path.name,
                )
        except BoundaryFileError as exc:
            raise CommandError("文件未导入：\n" + "\n".join(exc.problems)) from exc
        for line in report.unmatched:
            self.stderr.write(f"未匹配：{line}")
        if not report.imported:
            raise CommandError(
                "没有任何要素匹配到区划，未导入。请检查 --level、--code-property 和 --name-property。"
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
