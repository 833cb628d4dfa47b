"""Import of an existing accident ledger (事故台账, .xlsx) through core.importing.

Each row is filed through `services.file_accident` (grade computed, never taken from the file; chain and first
version written), with the history noting "按原台账导入". The 原编号 column prevents importing a row twice.
"""

import dataclasses
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from anjian.core import importing
from anjian.core.audit import record_action
from anjian.core.importing import ImportColumn, Importer, register
from anjian.core.models import Sector, Territory
from anjian.core.scope import restrict
from anjian.registry.importers import EnterpriseMatcher
from anjian.registry.models import Enterprise

from . import rules, services
from .models import Accident, IndustryGroup

CATEGORY_BY_LABEL = {label: f"1986-{code}" for code, label in rules.CATEGORIES_GB6441_1986}
for _code, _label in rules.CATEGORIES_GB6441_2025:
    CATEGORY_BY_LABEL.setdefault(_label, f"2025-{_code}")
GROUP_BY_LABEL = {label: value for value, label in IndustryGroup.choices}


def parse_datetime(text: str) -> datetime:
    """2025-03-15 14:30, 2025.3.15 14:30, 2025年3月15日14时30分, a date cell or an Excel serial (core.importing)."""
    return timezone.make_aware(importing.parse_datetime(text))


def parse_category(text: str) -> str:
    value = text.strip()
    if value not in CATEGORY_BY_LABEL:
        raise ValidationError("事故类别应为 GB 6441 中的类别名称，如“高处坠落”“物体打击”。")
    return CATEGORY_BY_LABEL[value]


def parse_group(text: str) -> str:
    value = text.strip()
    if value not in GROUP_BY_LABEL:
        raise ValidationError(f"统计分组只能填写：{'、'.join(GROUP_BY_LABEL)}。")
    return GROUP_BY_LABEL[value]


def parse_count(text: str) -> int:
    try:
        value = int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise ValidationError("应填写整数。") from None
    if value < 0:
        raise ValidationError("不能为负数。")
    return value


def parse_money(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise ValidationError("直接经济损失应填写金额（元），如 350000。") from None
    if value < 0 or not value.is_finite():
        raise ValidationError("直接经济损失不能为负数。")
    return value.quantize(Decimal("0.01"))


class AccidentImportForm(forms.Form):
    external_ref = forms.CharField(max_length=60, required=False)
    title = forms.CharField(max_length=200)
    enterprise = forms.Field(required=False)  # an Enterprise, found by the importer's matcher
    unit_name = forms.CharField(max_length=200, required=False)
    territory = forms.CharField(max_length=100)
    sector = forms.CharField(max_length=60, required=False)
    occurred_at = forms.DateTimeField()
    place = forms.CharField(max_length=200)
    category = forms.CharField(max_length=8)
    industry_group = forms.CharField(max_length=32)
    summary = forms.CharField()
    measures = forms.CharField(required=False)
    deaths = forms.IntegerField(min_value=0, required=False)
    missing = forms.IntegerField(min_value=0, required=False)
    serious_injuries = forms.IntegerField(min_value=0, required=False)
    minor_injuries = forms.IntegerField(min_value=0, required=False)
    direct_loss = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)

    def __init__(self, *args, instance=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user

    def has_changed(self):
        return True

    def clean_enterprise(self):
        value = self.cleaned_data["enterprise"]
        if value in (None, ""):
            return None
        if not isinstance(value, Enterprise):
            raise ValidationError("请填写生产经营单位名称或统一社会信用代码。")
        return value

    def clean_territory(self):
        value = self.cleaned_data["territory"].strip()
        matches = list(restrict(Territory.objects.filter(Q(name=value) | Q(code=value)), self.user)[:2])
        if len(matches) != 1:
            raise ValidationError(f"区划“{value}”不存在、不在您的数据范围内或有重名（可改填区划代码）。")
        return matches[0]

    def clean_sector(self):
        value = self.cleaned_data["sector"].strip()
        if not value:
            return None
        sector = Sector.objects.filter(Q(name=value) | Q(code=value)).first()
        if sector is None:
            raise ValidationError(f"行业领域“{value}”不存在。")
        return sector

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now():
            raise ValidationError("事故发生时间不能晚于当前时间。")
        return value

    def clean(self):
        data = super().clean()
        if self.instance is not None:
            raise ValidationError(f"原台账编号已导入（{self.instance}），请勿重复导入。")
        if not data.get("enterprise") and not (data.get("unit_name") or "").strip():
            self.add_error("unit_name", "未填写生产经营单位时，请填写当事方名称。")
        return data


@register
class AccidentImporter(Importer):
    key = "accidents"
    title = "事故台账导入"
    permission = "accidents.import_accident"
    form_class = AccidentImportForm
    model = Accident
    key_field = "external_ref"
    list_url = "accidents:accident_list"

    def __init__(self, user):
        super().__init__(user)
        self.matcher = EnterpriseMatcher(user)
        self.columns = [
            column if column.field != "enterprise" else dataclasses.replace(column, parse=self.matcher.get)
            for column in self.COLUMNS
        ]

    def confirmations(self):
        return list(self.matcher.confirmations.values())

    COLUMNS = [
        ImportColumn(
            "原编号",
            "external_ref",
            help="原台账中的编号，用于防止重复导入",
            example="SG-2025-007",
            synonyms=("事故编号", "原事故编号"),
        ),
        ImportColumn(
            "事故名称",
            "title",
            required=True,
            example="某公司“3·15”高处坠落事故",
            synonyms=("事故简称", "事故标题", "事故"),
        ),
        ImportColumn(
            "单位",
            "enterprise",
            help="生产经营单位名称或统一社会信用代码",
            example="甲化工有限公司",
            synonyms=("事故单位", "事故发生单位", "发生单位", "单位名称", "企业名称", "生产经营单位"),
        ),
        ImportColumn(
            "当事方名称",
            "unit_name",
            help="道路交通等非生产经营单位事故填写",
            synonyms=("当事方", "当事人", "肇事方"),
        ),
        ImportColumn(
            "发生地区划",
            "territory",
            required=True,
            help="镇街/村社区名称或区划代码",
            example="青石镇",
            synonyms=("发生地", "所属镇街", "所在镇街", "镇街", "区划", "属地"),
        ),
        ImportColumn("行业领域", "sector", example="建筑施工", synonyms=("行业", "所属行业", "监管行业")),
        ImportColumn(
            "发生时间",
            "occurred_at",
            required=True,
            parse=parse_datetime,
            example="2025-03-15 14:30",
            synonyms=("事故发生时间", "事故时间", "发生日期", "事故日期"),
        ),
        ImportColumn(
            "发生地点",
            "place",
            required=True,
            example="3号楼施工现场",
            synonyms=("地点", "事故地点", "事故发生地点"),
        ),
        ImportColumn(
            "事故类别",
            "category",
            required=True,
            parse=parse_category,
            choices=tuple(label for _code, label in rules.CATEGORIES_GB6441_1986),
            example="高处坠落",
            synonyms=("事故类型", "类别"),
        ),
        ImportColumn(
            "统计分组",
            "industry_group",
            required=True,
            parse=parse_group,
            choices=tuple(GROUP_BY_LABEL),
            example="工矿商贸",
            synonyms=("分组", "统计类别"),
        ),
        ImportColumn(
            "简要经过",
            "summary",
            required=True,
            example="作业人员在脚手架上作业时坠落",
            synonyms=("事故经过", "事故简要经过", "经过", "事故概况", "基本情况"),
        ),
        ImportColumn("已采取措施", "measures", synonyms=("采取措施", "处置措施", "已采取的措施")),
        ImportColumn("死亡人数", "deaths", parse=parse_count, example="1", synonyms=("死亡",)),
        ImportColumn("失踪人数", "missing", parse=parse_count, example="0", synonyms=("失踪",)),
        ImportColumn(
            "重伤人数",
            "serious_injuries",
            parse=parse_count,
            help="含急性工业中毒",
            example="0",
            synonyms=("重伤",),
        ),
        ImportColumn("轻伤人数", "minor_injuries", parse=parse_count, example="0", synonyms=("轻伤",)),
        ImportColumn(
            "直接经济损失（元）",
            "direct_loss",
            parse=parse_money,
            example="850000",
            synonyms=("直接经济损失", "经济损失"),
        ),
    ]

    def find_existing(self, data):
        ref = data.get("external_ref")
        if not ref:
            return None
        return restrict(Accident.reports.filter(external_ref=ref), self.user).first()

    def save_row(self, form):
        data = form.cleaned_data
        accident = Accident(
            title=data["title"],
            enterprise=data["enterprise"],
            unit_name=data.get("unit_name") or "",
            territory=data["territory"],
            sector=data["sector"],
            occurred_at=data["occurred_at"],
            place=data["place"],
            category=data["category"],
            industry_group=data["industry_group"],
            summary=data["summary"],
            measures=data.get("measures") or "",
            external_ref=data.get("external_ref") or "",
        )
        figures = services.Figures(
            deaths=data.get("deaths") or 0,
            missing=data.get("missing") or 0,
            serious_injuries=data.get("serious_injuries") or 0,
            minor_injuries=data.get("minor_injuries") or 0,
            direct_loss=data.get("direct_loss") or Decimal("0"),
        )
        try:
            accident = services.file_accident(self.user, accident, figures)
        except ValidationError as exc:  # re-validated inside the transaction: roll the whole file back
            raise ValidationError(f"第“{data['title']}”行：{'；'.join(exc.messages)}") from exc
        record_action(accident, "accident.imported", "按原台账导入；逐级上报时间以原始记录为准，系统未登记")
        return accident
