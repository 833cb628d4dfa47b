"""List, add or remove the header words an importer understands (the same data as the import page's list).

    manage.py import_synonyms list [--importer hazards]
    manage.py import_synonyms add hazards description 问题隐患
    manage.py import_synonyms remove hazards 问题隐患

Adding a word that is already there changes nothing (idempotent); an empty importer ("") applies to all.
"""

from django.core.management.base import BaseCommand, CommandError

from anjian.core.importing import get_importer, normalise_header, registered
from anjian.core.models import ImportColumnSynonym


class Command(BaseCommand):
    help = "维护导入列名同义词：list / add <导入类型> <字段> <写法> / remove <导入类型> <写法>"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "add", "remove"])
        parser.add_argument("words", nargs="*")
        parser.add_argument("--importer", default=None)

    def handle(self, *_args, action, words, importer=None, **options):
        args = words
        if action == "list":
            return self.list(importer)
        if action == "add":
            if len(args) != 3:
                raise CommandError("用法：add <导入类型> <字段> <写法>")
            key, field, word = args
            fields = self.fields(key)
            if field not in fields:
                raise CommandError(f"字段“{field}”不存在，可选：{'、'.join(sorted(fields))}")
            _synonym, created = ImportColumnSynonym.objects.get_or_create(
                importer=key, synonym=word, defaults={"field": field}
            )
            self.stdout.write(f"{'已添加' if created else '已存在'}：{word} → {field}")
            return None
        if len(args) != 2:
            raise CommandError("用法：remove <导入类型> <写法>")
        deleted, _ = ImportColumnSynonym.objects.filter(importer=args[0], synonym=args[1]).delete()
        self.stdout.write(f"已删除 {deleted} 条")
        return None

    def fields(self, key: str) -> set[str]:
        if key == "":
            return {c.field for importer in registered() for c in importer(None).columns}
        importer = get_importer(key)
        if importer is None:
            raise CommandError(f"没有导入类型“{key}”，可选：{'、'.join(i.key for i in registered())}")
        return {c.field for c in importer(None).columns}  # some importers build their columns per user

    def list(self, key):
        for importer in registered():
            if key and importer.key != key:
                continue
            columns = importer(None).columns
            self.stdout.write(f"[{importer.key}] {importer.title}")
            for column in columns:
                added = ImportColumnSynonym.objects.filter(
                    importer__in=[importer.key, ""], field=column.field
                )
                words = [*column.synonyms, *(f"{s.synonym}（添加）" for s in added)]
                self.stdout.write(f"  {column.header} ({column.field}): {'、'.join(words) or '—'}")
        example = "  隐患 级别（一般/重大）* "
        self.stdout.write(
            f"比较列名时忽略全半角、空格、括号中的说明和*：“{example}”按“{normalise_header(example)}”比较"
        )
