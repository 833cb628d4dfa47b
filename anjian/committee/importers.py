"""Excel import of responsibility-list items (责任清单事项): offices often hold the lists in spreadsheets.

Each row is validated by the same form as the page and saved through `services.save_duty_item`; a row matches an
existing item of the same unit with the same text, so importing the same file twice changes nothing."""

from dataclasses import replace

from django.core.exceptions import ValidationError

from anjian.core.forms import ScopedModelForm
from anjian.core.importing import ImportColumn, Importer, register
from anjian.core.models import Organisation
from anjian.core.scope import restrict

from . import services
from .models import LIST_KINDS, DutyCategory, DutyItem

CATEGORY_BY_LABEL = {label: value for value, label in DutyCategory.choices}


def parse_category(text: str) -> str:
    if text in CATEGORY_BY_LABEL:
        return CATEGORY_BY_LABEL[text]
    if text in DutyCategory.values:
        return text
    raise ValidationError(f"类别“{text}”无效，可选：{'、'.join(CATEGORY_BY_LABEL)}。")


class DutyItemImportForm(ScopedModelForm):
    class Meta:
        model = DutyItem
        fields = ["organisation", "category", "text", "basis", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = self.fields["organisation"].queryset.filter(
            kind__in=LIST_KINDS
        )


@register
class DutyItemImporter(Importer):
    key = "committee-duties"
    title = "责任清单事项"
    permission = (
        "committee.confirm_dutyitem"  # the 安委办 imports whole lists; units draft theirs on the page
    )
    form_class = DutyItemImportForm
    model = DutyItem
    list_url = "committee:duty_list"
    columns = [
        ImportColumn(
            "责任单位",
            "organisation",
            required=True,
            example="青山区应急管理局",
            help="单位全称或简称",
            synonyms=("单位", "单位名称", "部门"),
        ),
        ImportColumn(
            "类别",
            "category",
            required=True,
            example="行业监管",
            choices=tuple(CATEGORY_BY_LABEL),
            parse=parse_category,
            synonyms=("职责类别", "分类"),
        ),
        ImportColumn(
            "职责内容",
            "text",
            required=True,
            example="负责危险化学品安全监督管理。",
            synonyms=("职责", "内容", "责任事项", "事项内容"),
        ),
        ImportColumn(
            "依据", "basis", example="《中华人民共和国安全生产法》第十条", synonyms=("法律依据", "设定依据")
        ),
        ImportColumn("排序", "sort_order", example="1", synonyms=("序号", "顺序")),
    ]

    def __init__(self, user):
        super().__init__(user)
        self._units = None
        # The unit column is read against the units in this user's scope (one query per import).
        self.columns = [
            replace(c, parse=self._unit_id) if c.field == "organisation" else c for c in type(self).columns
        ]

    def _unit_id(self, text: str) -> int:
        if self._units is None:
            rows = restrict(Organisation.objects.filter(kind__in=LIST_KINDS), self.user).values_list(
                "pk", "name", "short_name"
            )
            self._units = {}
            for pk, name, short in rows:
                self._units.setdefault(name, pk)
                if short:
                    self._units.setdefault(short, pk)
        if text not in self._units:
            raise ValidationError(f"单位“{text}”不存在或不在您的辖区内。")
        return self._units[text]

    def find_existing(self, data):
        if not data.get("organisation") or not data.get("text"):
            return None
        return DutyItem.objects.filter(organisation_id=data["organisation"], text=data["text"]).first()

    def save_row(self, form):
        return services.save_duty_item(self.user, form.save(commit=False))
