"""Import of a 督查组's problem list (问题清单): feedback usually arrives as a spreadsheet of 序号/存在问题/责任单位/
整改时限. The generic import pages (core.views.imports) show the preview with row-level errors; rows are saved
through services.add_problem into the visit chosen on its page (ImportTarget)."""

from dataclasses import replace

from django import forms
from django.core.exceptions import ValidationError

from anjian.core.importing import ImportColumn, Importer, normalise_text, parse_date, register
from anjian.core.importing.base import ParseResult
from anjian.core.models import Organisation
from anjian.core.scope import restrict

from . import services
from .forms import RESPONSIBLE_KINDS, ProblemForm
from .models import CATEGORY_CHOICES, ImportTarget, Problem

CATEGORY_BY_LABEL = {label: value for value, label in CATEGORY_CHOICES}
NO_TARGET = "请先打开要导入的督查记录，点击“导入问题清单”后再上传文件。"


class ProblemImportForm(ProblemForm):
    deadline = forms.DateField(label="整改时限", required=False)


def parse_category(text: str) -> str:
    if text in CATEGORY_BY_LABEL:
        return CATEGORY_BY_LABEL[text]
    if text in CATEGORY_BY_LABEL.values():
        return text
    raise ValidationError(f"问题类别“{text}”无效，可选：{'、'.join(CATEGORY_BY_LABEL)}。")


def parse_sequence(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError:
        raise ValidationError(f"序号“{text}”应为数字。") from None
    if value < 1:
        raise ValidationError("序号应为正整数。")
    return value


@register
class ProblemImporter(Importer):
    key = "oversight-problems"
    title = "督查问题清单"
    permission = "oversight.import_problem"
    form_class = ProblemImportForm
    model = Problem
    key_field = "sequence"
    key_label = "序号"
    list_url = "oversight:problem_list"
    columns = [
        ImportColumn(
            "序号", "sequence", example="1", parse=parse_sequence, synonyms=("编号", "问题序号", "问题编号")
        ),
        ImportColumn(
            "存在问题",
            "description",
            required=True,
            example="部分成员单位未制定年度安全生产监管执法计划。",
            synonyms=("问题描述", "问题", "存在的问题", "主要问题", "问题内容", "发现问题", "反馈问题"),
        ),
        ImportColumn(
            "责任单位",
            "responsible_unit",
            required=True,
            example="测试区应急管理局",
            help="平台中的机构名称或简称",
            synonyms=("整改责任单位", "整改单位", "责任部门", "牵头单位", "责任主体", "整改责任部门"),
        ),
        ImportColumn(
            "整改时限",
            "deadline",
            example="2026-12-31",
            parse=parse_date,
            synonyms=("整改期限", "完成时限", "完成时间", "整改时间", "时限要求", "整改完成时限"),
        ),
        ImportColumn(
            "问题类别",
            "category",
            example="责任落实",
            choices=tuple(CATEGORY_BY_LABEL),
            parse=parse_category,
            synonyms=("类别", "问题类型", "类型"),
        ),
        ImportColumn(
            "依据", "basis", example="安全生产法第九条", synonyms=("检查依据", "法规依据", "依据条款")
        ),
        ImportColumn("责任人", "responsible_person", example="张三", synonyms=("整改责任人", "责任领导")),
        ImportColumn("整改措施", "measures", synonyms=("整改要求", "整改意见", "措施")),
    ]

    def __init__(self, user):
        super().__init__(user)
        self._units = None
        target = ImportTarget.objects.filter(user=user).select_related("visit").first() if user else None
        self.visit = target.visit if target else None
        # The 责任单位 column is read against the importing user's organisations: bound per importer.
        self.columns = [
            replace(c, parse=self.parse_unit) if c.field == "responsible_unit" else c
            for c in type(self).columns
        ]

    # --- units by name ------------------------------------------------------------------------------------
    def units(self) -> dict[str, int]:
        if self._units is None:
            self._units = {}
            rows = restrict(
                Organisation.objects.filter(kind__in=RESPONSIBLE_KINDS, is_active=True), self.user
            )
            for pk, name, short in rows.values_list("pk", "name", "short_name"):
                for label in (name, short):
                    if label:
                        self._units.setdefault(normalise_text(label), pk)
        return self._units

    def parse_unit(self, text: str) -> int:
        pk = self.units().get(normalise_text(text))
        if pk is None:
            raise ValidationError(f"责任单位“{text}”在平台中不存在或不在您的范围内，请填写机构全称或简称。")
        return pk

    def find_existing(self, data):
        if self.visit is None or not data.get("sequence"):
            return None
        return Problem.objects.filter(visit=self.visit, sequence=data["sequence"]).first()

    def skip_existing(self, existing) -> bool:
        return True  # a problem already on the list keeps its own history; re-importing changes nothing

    def parse(self, file, progress=None) -> ParseResult:
        if self.visit is None:
            return ParseResult(rows=[], file_errors=[NO_TARGET])
        return super().parse(file, progress)

    def commit(self, file, progress=None) -> dict:
        if self.visit is None:
            return {"created": 0, "updated": 0, "unchanged": 0, "errors": 1}
        counts = super().commit(file, progress)
        if counts.get("created"):
            from anjian.core.audit import record_action

            record_action(
                self.visit, "oversight.problems_imported", f"导入问题 {counts['created']} 个", actor=self.user
            )
        return counts

    def save_row(self, form):
        data = dict(form.cleaned_data)
        sequence = data.pop("sequence", None)
        return services.add_problem(self.visit, actor=self.user, sequence=sequence, **data)
