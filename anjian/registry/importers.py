"""Excel import of enterprise lists (core.importing): template, preview, row errors, all-or-nothing.

Rows are matched by 统一社会信用代码 (normalised), so importing the same file again changes nothing.
"""

import difflib
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from anjian.core.importing import ImportColumn, Importer, normalise_header, register, remembered_units
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


# Words that every company name carries: a match on what is left is what tells two names apart.
_LEGAL_FORM = re.compile(r"(股份)?有限(责任)?公司|有限公司|分公司|公司|厂|店|合作社|个体工商户$")


def _name_key(name: str) -> str:
    return normalise_header(name)


def _core_name(key: str) -> str:
    return _LEGAL_FORM.sub("", key)


class EnterpriseMatcher:
    """Finds the unit a ledger names, within the user's scope: by credit code, exact name, name as written
    (full-/half-width, spaces, brackets), or a name the user confirmed before. A unique close match is never
    taken silently: it is offered for confirmation (`confirmations`) and the row is refused until confirmed."""

    def __init__(self, user):
        self.user = user
        self._by_code: dict[str, int] | None = None
        self._by_name: dict[str, list[int]] = {}
        self._objects: dict[int, Enterprise] = {}
        self._cache: dict[str, int | ValidationError] = {}
        self.confirmations: dict[str, dict] = {}

    def load(self):
        if self._by_code is not None:
            return
        self._by_code = {}
        for pk, name, code in restrict(Enterprise.objects.all(), self.user).values_list(
            "pk", "name", "credit_code"
        ):
            self._by_code[code] = pk
            self._by_name.setdefault(_name_key(name), []).append(pk)
        self._names = None
        self._remembered = remembered_units(self.user)

    def resolve(self, text: str) -> int:
        """The enterprise's pk, or ValidationError with what to do."""
        if text not in self._cache:
            try:
                self._cache[text] = self._resolve(text)
            except ValidationError as exc:
                self._cache[text] = exc
        found = self._cache[text]
        if isinstance(found, ValidationError):
            raise found
        return found

    def _resolve(self, text: str) -> int:
        self.load()
        code = rules.normalize_credit_code(text)
        if code in self._by_code:
            return self._by_code[code]
        key = _name_key(text)
        pks = self._by_name.get(key, [])
        if len(pks) == 1:
            return pks[0]
        if len(pks) > 1:
            raise ValidationError(f"单位“{text}”有重名，请改填统一社会信用代码。")
        confirmed = self._remembered.get(key)
        if confirmed in self._by_code:
            return self._by_code[confirmed]
        close = self.close_matches(key)
        if len(close) == 1:
            enterprise = Enterprise.objects.only("name", "credit_code").get(pk=close[0])
            self.confirmations[key] = {
                "source": text,
                "target": enterprise.credit_code,
                "label": f"{enterprise.name}（{enterprise.credit_code}）",
            }
            raise ValidationError(
                f"找不到单位“{text}”。是否为“{enterprise.name}”？请在预览中确认对应，或改填准确名称。"
            )
        if close:
            raise ValidationError(f"找不到单位“{text}”，有多个相近单位，请改填统一社会信用代码。")
        raise ValidationError(f"找不到单位“{text}”（或不在您的数据范围内），请先在企业名录中登记。")

    def close_matches(self, key: str) -> list[int]:
        core = _core_name(key)
        if len(core) < 2:
            return []
        if self._names is None:
            self._names = {}
            for name, pks in self._by_name.items():
                if len(pks) == 1:
                    self._names.setdefault(_core_name(name), []).append(pks[0])
        pks = set(self._names.get(core, []))
        for name in difflib.get_close_matches(core, list(self._names), n=3, cutoff=0.85):
            pks.update(self._names[name])
        return sorted(pks)

    def objects(self, pks) -> dict[int, Enterprise]:
        """Enterprises by pk with their sectors, loaded in one query for all rows."""
        missing = [pk for pk in pks if pk not in self._objects]
        if missing:
            loaded = Enterprise.objects.filter(pk__in=missing).select_related("territory")
            for enterprise in loaded.prefetch_related("sectors"):
                self._objects[enterprise.pk] = enterprise
        return self._objects

    def get(self, text: str) -> Enterprise:
        pk = self.resolve(text)
        return self.objects([pk])[pk]


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
            ImportColumn(
                "单位名称",
                "name",
                required=True,
                example="青山示例化工有限公司",
                synonyms=("企业名称", "单位", "企业", "生产经营单位", "生产经营单位名称"),
            ),
            ImportColumn(
                "统一社会信用代码",
                "credit_code",
                required=True,
                help="18位，按GB 32100-2015校验；已登记的代码将更新原记录",
                example="91990102MA0000001X",
                parse=parse_credit_code,
                synonyms=("信用代码", "社会信用代码", "统一代码", "组织机构代码", "营业执照号码"),
            ),
            ImportColumn(
                "所属区划",
                "territory",
                required=True,
                help="区划代码（如990102101201）或名称（如青石村）；必须在您的辖区内",
                example="990102101201",
                parse=self.parse_territory,
                synonyms=(
                    "所在区划",
                    "所属镇街",
                    "所在镇街",
                    "镇街",
                    "所属乡镇",
                    "所属村社区",
                    "区划",
                    "属地",
                ),
            ),
            ImportColumn(
                "监管行业领域",
                "sectors",
                help="多个用顿号分隔，名称见“监管行业领域”列表",
                example="危险化学品、有限空间",
                parse=self.parse_sectors,
                synonyms=("行业领域", "监管行业", "所属行业领域", "行业类别"),
            ),
            ImportColumn("地址", "address", synonyms=("单位地址", "企业地址", "经营地址", "生产经营地址")),
            ImportColumn("法定代表人", "legal_representative", synonyms=("法人", "法人代表")),
            ImportColumn("主要负责人", "principal_name", synonyms=("负责人",)),
            ImportColumn(
                "主要负责人电话", "principal_phone", synonyms=("负责人电话", "联系电话", "负责人联系电话")
            ),
            ImportColumn("安全管理人员", "safety_manager_name", synonyms=("安全员", "安全管理员")),
            ImportColumn(
                "安全管理人员电话", "safety_manager_phone", synonyms=("安全员电话", "安全管理员电话")
            ),
            ImportColumn(
                "国民经济行业代码", "industry_code", help="GB/T 4754-2017 代码，如 2614", example="2614"
            ),
            ImportColumn(
                "企业规模",
                "scale",
                choices=tuple(label for _, label in EnterpriseScale.choices),
                parse=parse_scale,
                synonyms=("规模",),
            ),
            ImportColumn(
                "从业人员数",
                "employees",
                example="120",
                synonyms=("从业人数", "员工人数", "职工人数", "从业人员"),
            ),
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
