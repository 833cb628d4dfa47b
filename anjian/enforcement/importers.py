"""Excel import of the provision library: offices hold their 裁量基准 / 权责清单 in spreadsheets (rules.md EN-20:
discretion tables are data). Rows match existing provisions by 编号, so re-importing changes nothing."""

from django.core.exceptions import ValidationError

from anjian.core.importing import ImportColumn, Importer, register

from .forms import ProvisionForm
from .models import MEASURE_CHOICES, PartyKind, Provision

MEASURE_BY_LABEL = {label: value for value, label in MEASURE_CHOICES}
PARTY_BY_LABEL = {label: value for value, label in PartyKind.choices}


def parse_measures(text: str) -> list[str]:
    values, unknown = [], []
    for part in text.replace("，", "、").replace(",", "、").replace("；", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        value = MEASURE_BY_LABEL.get(part) or (part if part in dict(MEASURE_CHOICES) else None)
        (values if value else unknown).append(value or part)
    if unknown:
        raise ValidationError(f"未知的措施：{'、'.join(unknown)}。可选：{'、'.join(MEASURE_BY_LABEL)}")
    return values


def parse_party(text: str) -> str:
    if text in PARTY_BY_LABEL:
        return PARTY_BY_LABEL[text]
    if text in PartyKind.values:
        return text
    raise ValidationError("处罚对象只能是“单位”或“个人”。")


def parse_money(text: str) -> str:
    cleaned = text.replace(",", "").replace("元", "").strip()
    if cleaned.endswith("万"):
        from decimal import Decimal, InvalidOperation

        try:
            return str(Decimal(cleaned[:-1]) * 10000)
        except InvalidOperation as exc:
            raise ValidationError(f"金额“{text}”无效。") from exc
    return cleaned


def parse_bool(text: str) -> bool:
    if text in ("是", "启用", "1", "true", "True"):
        return True
    if text in ("否", "停用", "0", "false", "False"):
        return False
    raise ValidationError("请填写“是”或“否”。")


@register
class ProvisionImporter(Importer):
    key = "provisions"
    title = "法律依据库（裁量基准）"
    permission = "enforcement.change_provision"
    form_class = ProvisionForm
    model = Provision
    key_field = "code"
    key_label = "编号"
    list_url = "enforcement:provision_list"
    columns = [
        ImportColumn("编号", "code", required=True, example="L1-102", help="本单位内唯一"),
        ImportColumn("法律法规", "law", required=True, example="《中华人民共和国安全生产法》"),
        ImportColumn("条款", "article", required=True, example="第一百零二条"),
        ImportColumn("违法行为", "violation", required=True, example="未采取措施消除事故隐患"),
        ImportColumn(
            "处罚规定", "penalty_text", required=True, example="责令立即消除或者限期消除，处五万元以下的罚款"
        ),
        ImportColumn(
            "处罚对象", "party_kind", example="单位", choices=tuple(PARTY_BY_LABEL), parse=parse_party
        ),
        ImportColumn("罚款下限（元）", "fine_min", example="", help="可写“5万”", parse=parse_money),
        ImportColumn("罚款上限（元）", "fine_max", example="50000", help="可写“5万”", parse=parse_money),
        ImportColumn(
            "可采取的措施",
            "measures_allowed",
            example="责令限期整改、罚款",
            help="用顿号分隔",
            parse=parse_measures,
        ),
        ImportColumn("出处", "source_ref", example="HZ-63"),
        ImportColumn("启用", "is_active", example="是", choices=("是", "否"), parse=parse_bool),
    ]

    def make_form(self, data: dict, existing):
        if existing is None:
            data = {"party_kind": PartyKind.UNIT, "is_active": True, **data}
        return super().make_form(data, existing)
