"""Importers of the core app: offices hold their village and grid lists in Excel."""

from django.core.exceptions import ValidationError

from .forms_admin import TerritoryForm
from .importing import ImportColumn, Importer, register
from .models import Territory, TerritoryKind

KIND_BY_LABEL = {label: value for value, label in TerritoryKind.choices}


def parse_kind(text: str) -> str:
    if text in KIND_BY_LABEL:
        return KIND_BY_LABEL[text]
    if text in TerritoryKind.values:
        return text
    raise ValidationError(f"类型“{text}”无效，可选：{'、'.join(KIND_BY_LABEL)}。")


def parse_parent(text: str) -> int:
    territory = Territory.objects.filter(code=text).only("pk").first()
    if territory is None:
        raise ValidationError(f"上级区划代码“{text}”不存在，请先导入上级区划。")
    return territory.pk


@register
class TerritoryImporter(Importer):
    key = "territories"
    title = "行政区划（村、社区、网格）"
    permission = "core.change_territory"
    form_class = TerritoryForm
    model = Territory
    key_field = "code"
    key_label = "区划代码"
    list_url = "core:territory_list"
    columns = [
        ImportColumn(
            "区划代码",
            "code",
            required=True,
            example="990102101201001",
            help="统计用区划代码；网格为村级代码+3位",
            synonyms=("代码", "统计用区划代码", "行政区划代码"),
        ),
        ImportColumn(
            "名称",
            "name",
            required=True,
            example="青石村第1网格",
            synonyms=("区划名称", "村社区名称", "网格名称"),
        ),
        ImportColumn(
            "类型",
            "kind",
            required=True,
            example="网格",
            choices=tuple(KIND_BY_LABEL),
            parse=parse_kind,
            synonyms=("区划类型", "层级"),
        ),
        ImportColumn(
            "上级区划代码",
            "parent",
            required=True,
            example="990102101201",
            parse=parse_parent,
            synonyms=("上级代码", "所属上级代码"),
        ),
        ImportColumn("排序", "sort_order", example="1", synonyms=("顺序", "排序号")),
    ]
