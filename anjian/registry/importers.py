"""Excel import of enterprise lists (core.importing): template, preview, row errors, all-or-nothing.

Rows are matched by 统一社会信用代码 (normalised), so importing the same file again changes nothing.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from anjian.core.importing import ImportColumn, Importer, register
from anjian.core.models import Sector, Territory
from anjian.core.scope import can_view, restrict

from . import rules
from .forms import EnterpriseImportForm
from .models import Enterprise, EnterpriseScale

SCALE_BY_LABEL = {label: value for value, label in EnterpriseScale.choices}
SCALE_BY_LABEL.update({"规上": "above", "规下": "below", "小微": "small"})
SEPARATORS = "、,，;；/ "


def parse_credit_code(text: str) -> str:
    result = rules.validate_credit_code(text)
    if not result.valid:
        raise ValidationError(result.errors)
    return result.normalized


def parse_scale(text: str) -> str:
    if text not in SCALE_BY_LABEL:
        raise ValidationError(f"企业规模应为{'、'.join(label for _, label in EnterpriseScale.choices)}之一")
    return SCALE_BY_LABEL[text]


def parse_decimal(text: str) -> str:
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{text}”不是数字") from None
    return text


def split_names(text: str) -> list[str]:
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


class EnterpriseImporter(Importer):
    key = "enterprises"
    title = "生产经营单位"
    key_label = "统一社会信用代码"
    permission = "registry.import_enterprise"
    form_class = EnterpriseImportForm
    model = Enterprise
    key_field = "credit_code"
    list_url = "registry:enterprise_list"

    def __init__(self, user):
        super().__init__(user)
        self._territories = None
        self._sectors = {s.name: s.pk for s in Sector.objects.filter(is_active=True)}
        self.columns = [
            ImportColumn("单位名称", "name", required=True, example="青山示例化工有限公司"),
            ImportColumn(
                "统一社会信用代码",
                "credit_code",
                required=True,
                help="18位，按GB 32100-2015校验；已登记的代码将更新原记录",
                example="91990102MA0000001X",
                parse=parse_credit_code,
            ),
            ImportColumn(
                "所属区划",
                "territory",
                required=True,
                help="区划代码（如990102101201）或名称（如青石村）；必须在您的辖区内",
                example="990102101201",
                parse=self.parse_territory,
            ),
            ImportColumn(
                "监管行业领域",
                "sectors",
                help="多个用顿号分隔，名称见“监管行业领域”列表",
                example="危险化学品、有限空间",
                parse=self.parse_sectors,
            ),
            ImportColumn("地址", "address"),
            ImportColumn("法定代表人", "legal_representative"),
            ImportColumn("主要负责人", "principal_name"),
            ImportColumn("主要负责人电话", "principal_phone"),
            ImportColumn("安全管理人员", "safety_manager_name"),
            ImportColumn("安全管理人员电话", "safety_manager_phone"),
            ImportColumn(
                "国民经济行业代码", "industry_code", help="GB/T 4754-2017 代码，如 2614", example="2614"
            ),
            ImportColumn(
                "企业规模",
                "scale",
                choices=tuple(label for _, label in EnterpriseScale.choices),
                parse=parse_scale,
            ),
            ImportColumn("从业人员数", "employees", example="120"),
            ImportColumn("经度", "longitude", parse=parse_decimal),
            ImportColumn("纬度", "latitude", parse=parse_decimal),
        ]

    def territories(self) -> dict[str, int]:
        if self._territories is None:
            self._territories = {}
            names: dict[str, list[int]] = {}
            for pk, code, name in restrict(Territory.objects.all(), self.user).values_list(
                "pk", "code", "name"
            ):
                self._territories[code] = pk
                names.setdefault(name, []).append(pk)
            for name, pks in names.items():
                self._territories.setdefault(name, pks[0] if len(pks) == 1 else -1)
        return self._territories

    def parse_territory(self, text: str) -> int:
        pk = self.territories().get(text)
        if pk is None:
            raise ValidationError(f"区划“{text}”不存在或不在您的辖区内")
        if pk == -1:
            raise ValidationError(f"区划名称“{text}”不唯一，请填写区划代码")
        return pk

    def parse_sectors(self, text: str) -> list[int]:
        names = split_names(text)
        unknown = [n for n in names if n not in self._sectors]
        if unknown:
            raise ValidationError(f"未知的监管行业领域：{'、'.join(unknown)}")
        return sorted({self._sectors[n] for n in names})

    def validate_row(self, number, values):
        row = super().validate_row(number, values)
        # A code registered in another district must not be overwritten from here.
        if row.existing_pk and not can_view(self.user, Enterprise(pk=row.existing_pk)):
            row.errors.append(("统一社会信用代码", "该统一社会信用代码已由其他辖区登记，不能在此导入"))
        return row

    def form_initial(self, existing) -> dict:
        initial = super().form_initial(existing)
        if existing is not None:
            # The form compares primary keys: turn related objects into ids.
            initial["sectors"] = sorted(s.pk for s in initial.get("sectors", []))
        return initial


register(EnterpriseImporter)
