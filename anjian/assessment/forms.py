"""Forms of the assessment pages."""

from django import forms
from django.core.exceptions import ValidationError

from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Territory
from anjian.core.scope import restrict

from . import indicators
from .models import AssessmentScheme, BodyKind, Bulletin, BulletinKind, Indicator, VetoRule


class SchemeForm(ScopedModelForm):
    class Meta:
        model = AssessmentScheme
        fields = [
            "year",
            "name",
            "territory",
            "body_kind",
            "bodies",
            "status",
            "process_weight",
            "result_weight",
            "excellent_min",
            "good_min",
            "pass_min",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = self.fields["territory"].queryset.filter(depth__lte=3)
        self.fields["bodies"].queryset = self.fields["bodies"].queryset.filter(
            kind__in=[BodyKind.LOCAL_GOVERNMENT, BodyKind.DEPARTMENT]
        )
        self.fields["bodies"].widget.attrs["size"] = 10

    def clean(self):
        data = super().clean()
        kind, bodies = data.get("body_kind"), data.get("bodies")
        if kind and bodies is not None:
            wrong = [str(b) for b in bodies if b.kind != kind]
            if wrong:
                raise ValidationError(f"被考核单位类型与方案不一致：{'、'.join(wrong)}")
        territory = data.get("territory")
        if territory and bodies is not None:
            outside = [str(b) for b in bodies if not b.territory.path.startswith(territory.path)]
            if outside:
                raise ValidationError(f"被考核单位不在组织考核的区划内：{'、'.join(outside)}")
        return data


class IndicatorForm(ScopedModelForm):
    key = forms.ChoiceField(label="计算指标", required=False)

    class Meta:
        model = Indicator
        fields = [
            "part",
            "name",
            "method",
            "key",
            "max_score",
            "weight",
            "params",
            "scoring_rule",
            "evidence_required",
            "sort_order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "（评审打分）"), *indicators.choices()]
        self.fields["key"].widget.attrs["class"] = "form-select"
        self.fields["params"].help_text = '如 {"target": 0.9} 或 {"per_item": 2}；留空使用默认值'

    def clean(self):
        data = super().clean()
        if (
            data.get("method") == "computed"
            and data.get("key")
            and not (data.get("scoring_rule") or "").strip()
        ):
            # The rule the assessed body reads defaults to the indicator's own description.
            data["scoring_rule"] = indicators.REGISTRY[data["key"]].rule
            self.instance.scoring_rule = data["scoring_rule"]
        return data


class VetoRuleForm(ScopedModelForm):
    class Meta:
        model = VetoRule
        fields = ["name", "kind", "params", "basis", "is_active"]


class ManualScoreForm(StyledForm):
    points = forms.DecimalField(label="得分", max_digits=6, decimal_places=2, min_value=0)
    note = forms.CharField(label="评分说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label="佐证材料", required=False)


class BulletinCreateForm(StyledForm):
    kind = forms.ChoiceField(label="通报类型", choices=BulletinKind.choices)
    territory = forms.ModelChoiceField(label="通报范围", queryset=Territory.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"), (0, "全年")],
        required=False,
        empty_value=None,
    )
    period_start = forms.DateField(
        label="统计期起（专项通报）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label="统计期止（专项通报）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scheme = forms.ModelChoiceField(
        label="引用考核结果", queryset=AssessmentScheme.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = restrict(Territory.objects.filter(depth__lte=3), user)
        self.fields["scheme"].queryset = restrict(AssessmentScheme.objects.all(), user)

    def clean(self):
        data = super().clean()
        if data.get("kind") == BulletinKind.AD_HOC:
            if not (data.get("period_start") and data.get("period_end")):
                raise ValidationError("专项通报请填写统计期起止日期。")
            if data["period_end"] < data["period_start"]:
                raise ValidationError("统计期止不能早于统计期起。")
        elif data.get("quarter") is None:
            raise ValidationError("季度通报请选择季度。")
        return data


class BulletinEditForm(ScopedModelForm):
    class Meta:
        model = Bulletin
        fields = [
            "title",
            "issuer",
            "recipient",
            "copy_to",
            "intro",
            "overview",
            "praise",
            "criticism",
            "requirements",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("intro", "overview", "praise", "criticism", "requirements")
        }
