from django import forms

from anjian.core.forms import ScopedModelForm, StyledForm, refuse_control_characters

from . import metrics
from .models import FieldKind, ReportTemplate, TemplateField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TemplateForm(ScopedModelForm):
    class Meta:
        model = ReportTemplate
        fields = [
            "name",
            "code",
            "frequency",
            "due_months_after",
            "due_day",
            "due_in_working_days",
            "once_start",
            "once_end",
            "once_due",
            "starts_on",
            "reporter_kind",
            "receiver_kind",
            "territory",
            "sectors",
            "requires_principal_signature",
            "aggregate_from",
            "basis",
            "description",
            "is_active",
        ]
        widgets = {"once_start": DATE, "once_end": DATE, "once_due": DATE, "starts_on": DATE}
        error_messages = {"code": {"unique": "该代码已被其他报表使用。"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "aggregate_from" in self.fields and self.instance.pk:
            self.fields["aggregate_from"].queryset = self.fields["aggregate_from"].queryset.exclude(
                pk=self.instance.pk
            )


class FieldForm(ScopedModelForm):
    metric = forms.CharField(
        label="平台指标",
        required=False,
        help_text="自动生成的字段填写平台指标代码，可选："
        + "、".join(f"{k}（{m.label}）" for k, m in metrics.REGISTRY.items()),
    )

    class Meta:
        model = TemplateField
        fields = ["section", "key", "label", "kind", "unit", "source", "metric", "required", "order"]
        error_messages = {"key": {"invalid": "字段代码只能包含英文字母、数字、下划线和连字符。"}}

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        if template is not None:
            self.instance.template = template

    def clean_key(self):
        key = self.cleaned_data["key"]
        template = self.instance.template
        clash = TemplateField.objects.filter(template=template, key=key).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("本报表已有同一代码的字段。")
        return key


class ReturnForm(StyledForm):
    reason = forms.CharField(label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


def value_field(definition: dict, auto: bool) -> forms.Field:
    label = definition["label"] + (f"（{definition['unit']}）" if definition.get("unit") else "")
    common = {"label": label, "required": False, "disabled": auto}
    if auto:
        common["help_text"] = "由平台数据自动生成"
    kind = definition["kind"]
    if kind == FieldKind.INTEGER:
        return forms.CharField(
            widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}), **common
        )
    if kind == FieldKind.DECIMAL:
        return forms.CharField(
            widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}), **common
        )
    if kind == FieldKind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, **common)


class ReportForm(StyledForm):
    """The report's fields, built from its definitions: figures from the platform are shown, not typed."""

    narrative = forms.CharField(
        label="工作情况", required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    signer_name = forms.CharField(label="签字人", required=False, max_length=50)
    signer_confirmed = forms.BooleanField(label="本表已经签字人审阅签字", required=False)

    def __init__(self, *args, definitions=(), report=None, **kwargs):
        self.definitions = list(definitions)
        self.field_keys = []
        super().__init__(*args, **kwargs)
        ordered = {}
        for definition in self.definitions:
            name = f"v_{definition['key']}"
            auto = definition["source"] == TemplateField.Source.AUTO
            ordered[name] = value_field(definition, auto)
            ordered[name].section = definition.get("section", "")
            self.field_keys.append((name, definition))
        self.fields = {**ordered, **self.fields}
        if report is not None and report.template.requires_principal_signature:
            principal = report.reporter_enterprise.principal_name if report.reporter_enterprise_id else ""
            self.fields["signer_name"].label = "主要负责人（签字人）"
            self.fields["signer_name"].help_text = (
                f"须为企业登记的主要负责人：{principal}" if principal else "企业信息中尚未登记主要负责人。"
            )
            self.fields[
                "signer_confirmed"
            ].label = "本统计表已经主要负责人审阅并签字（总局令第16号 第十四条）"
        for name in ordered:
            self.fields[name].widget.attrs["class"] = "form-control"
        refuse_control_characters(self)

    def values(self) -> dict:
        """The hand-typed values (call after is_valid())."""
        return {
            definition["key"]: self.cleaned_data.get(name, "")
            for name, definition in self.field_keys
            if definition["source"] != TemplateField.Source.AUTO
        }
