"""Forms of the accident pages. They validate input; the services in services.py do the writing."""

from decimal import Decimal

from django import forms

from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Sector, Territory
from anjian.core.roles import Role
from anjian.core.scope import restrict

from .models import (
    NEAR_MISS_CONFIDENCE,
    Accident,
    AccidentKind,
    IndustryGroup,
    Investigation,
    NearMissCriterion,
    ResponsibleParty,
)
from .services import Figures
from .statistics import DIMENSIONS


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _count(label):
    return forms.IntegerField(label=label, min_value=0, max_value=100000, initial=0)


class FiguresMixin(forms.Form):
    """Casualties and loss (493号令 第十二条第（四）项); 重伤 includes acute industrial poisoning (第三条)."""

    deaths = _count("死亡人数")
    missing = _count("失踪人数")
    serious_injuries = _count("重伤人数（含急性工业中毒）")
    minor_injuries = _count("轻伤人数")
    direct_loss = forms.DecimalField(
        label="直接经济损失（元）",
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        initial=Decimal("0"),
        help_text="初步估计值，单位：元",
    )

    def figures(self) -> Figures:
        data = self.cleaned_data
        return Figures(
            deaths=data["deaths"],
            missing=data["missing"],
            serious_injuries=data["serious_injuries"],
            minor_injuries=data["minor_injuries"],
            direct_loss=data["direct_loss"],
        )


class AccidentForm(FiguresMixin, ScopedModelForm):
    """The first report (事故快报)."""

    county_received_at = forms.DateTimeField(
        label="县级部门接报时间",
        required=False,
        widget=DateTimeInput(),
        help_text="已接到单位报告的，填写接报时间",
    )
    reporter = forms.CharField(label="报告人", max_length=100, required=False)
    receiver = forms.CharField(label="接报人", max_length=100, required=False)

    class Meta:
        model = Accident
        fields = [
            "title",
            "enterprise",
            "unit_name",
            "territory",
            "sector",
            "occurred_at",
            "unit_received_at",
            "place",
            "category",
            "industry_group",
            "kind",
            "is_near_miss",
            "near_miss_criteria",
            "summary",
            "measures",
        ]
        widgets = {
            "occurred_at": DateTimeInput(),
            "unit_received_at": DateTimeInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        *Meta.fields[:7],
        "place",
        "category",
        "industry_group",
        "kind",
        "is_near_miss",
        "near_miss_criteria",
        "summary",
        "deaths",
        "missing",
        "serious_injuries",
        "minor_injuries",
        "direct_loss",
        "measures",
        "county_received_at",
        "reporter",
        "receiver",
    ]

    # AC-04 ❓: the 较大涉险事故 situations (条文待核对), ticked when the report is a near miss.
    near_miss_criteria = forms.MultipleChoiceField(
        label=f"涉险情形（{NEAR_MISS_CONFIDENCE}）",
        choices=NearMissCriterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="较大涉险事故须选择至少一项；有人员死亡或重伤的，按生产安全事故报告",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in ("unit_received_at", "territory", "kind"):
            self.fields[name].required = False
            self.fields[name].widget.attrs.pop("required", None)
        self.fields["territory"].help_text = "选择了生产经营单位的，默认为该单位所在区划"
        if user is not None and user.role == Role.ENTERPRISE:
            # The unit reports its own accident (493号令 第九条): unit and territory are its own.
            for name in ("enterprise", "territory", "county_received_at", "receiver"):
                del self.fields[name]
            self.fields["unit_name"].widget = forms.HiddenInput()
            self.fields["unit_name"].required = False
        else:
            self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.order_by("name")

    def clean_kind(self):
        return self.cleaned_data.get("kind") or AccidentKind.OTHER

    def clean(self):
        data = super().clean()
        user = self.user
        enterprise = data.get("enterprise") or (
            user.enterprise if user and user.role == Role.ENTERPRISE else None
        )
        if enterprise is not None and not data.get("territory"):
            self.instance.territory = enterprise.territory
        elif "territory" in self.fields and not data.get("territory"):
            self.add_error("territory", "请选择事故发生地区划。")
        if enterprise is None and not (data.get("unit_name") or "").strip():
            self.add_error("unit_name", "未选择生产经营单位时，请填写单位（当事方）名称。")
        if data.get("is_near_miss") and not data.get("near_miss_criteria"):
            self.add_error("near_miss_criteria", "较大涉险事故须选择至少一项涉险情形。")
        if not data.get("is_near_miss") and data.get("near_miss_criteria"):
            self.add_error("near_miss_criteria", "只有较大涉险事故填写涉险情形。")
        return data

    def _post_clean(self):
        # Model validation runs in the service (after the enterprise/territory defaults are applied).
        try:
            self.instance = forms.models.construct_instance(self, self.instance, self._meta.fields)
        except Exception as exc:  # pragma: no cover - construct_instance does not raise for valid data
            self.add_error(None, str(exc))


class AccidentEditForm(ScopedModelForm):
    """Descriptive fields only: figures change through 补报, the occurrence time and group fix the window."""

    class Meta:
        model = Accident
        fields = ["title", "unit_name", "sector", "place", "category", "summary", "measures"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class SupplementForm(FiguresMixin, StyledForm):
    as_of = forms.DateField(label="情况变化日期", widget=DateInput(), help_text="如伤者抢救无效死亡的日期")
    note = forms.CharField(label="补报说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    field_order = ["as_of", "deaths", "missing", "serious_injuries", "minor_injuries", "direct_loss", "note"]


class HopForm(StyledForm):
    received_at = forms.DateTimeField(label="接报时间", widget=DateTimeInput())
    reported_at = forms.DateTimeField(
        label="上报时间", widget=DateTimeInput(), required=False, help_text="不填则与接报时间相同"
    )
    reporter = forms.CharField(label="报告人/报告单位", max_length=100, required=False)
    receiver = forms.CharField(label="接报人/接报单位", max_length=100, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class InvestigationOpenForm(StyledForm):
    body = forms.CharField(label="调查组/组织调查单位", max_length=200)
    started_on = forms.DateField(label="成立调查组日期", widget=DateInput())
    unit_entrusted = forms.BooleanField(
        label="委托事故发生单位调查",
        required=False,
        help_text="仅限未造成人员伤亡的一般事故（493号令 第十九条）",
    )


CHECK_CHOICES = [("", "未审查"), ("true", "到位"), ("false", "不到位")]


class InvestigationForm(ScopedModelForm):
    class Meta:
        model = Investigation
        fields = [
            "direct_cause",
            "indirect_cause",
            "nature",
            "findings",
            "investment_ok",
            "deployment_ok",
            "supervision_ok",
            "urging_ok",
            "review_notes",
            "follow_up",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("direct_cause", "indirect_cause", "findings", "review_notes", "follow_up")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _label in Investigation.FOUR_CHECKS:
            field = self.fields[name]
            field.widget = forms.Select(choices=CHECK_CHOICES, attrs={"class": "form-select"})


class ExtensionForm(StyledForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=60)
    reason = forms.CharField(label="延长理由（批准情况）", max_length=200)


class AppraisalForm(StyledForm):
    days = forms.IntegerField(label="技术鉴定天数", min_value=0, max_value=365)


class EndResponseForm(StyledForm):
    ended_at = forms.DateTimeField(label="应急处置结束时间", widget=DateTimeInput())
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DateActionForm(StyledForm):
    day = forms.DateField(label="日期", widget=DateInput())


class PartyForm(ScopedModelForm):
    class Meta:
        model = ResponsibleParty
        fields = ["kind", "name", "position", "responsibility", "handling"]
        widgets = {"handling": forms.Textarea(attrs={"rows": 2})}


class StatisticsForm(StyledForm):
    start = forms.DateField(label="起始日期", required=False, widget=DateInput())
    end = forms.DateField(label="截止日期", required=False, widget=DateInput())
    dimension = forms.ChoiceField(label="统计维度", required=False, choices=list(DIMENSIONS.items()))
    territory = forms.ModelChoiceField(
        label="区划（含下级）", required=False, queryset=Territory.objects.none()
    )
    sector = forms.ModelChoiceField(
        label="行业领域", required=False, queryset=Sector.objects.filter(is_active=True)
    )
    industry_group = forms.ChoiceField(
        label="统计分组", required=False, choices=[("", "全部"), *IndustryGroup.choices]
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = restrict(Territory.objects.filter(depth__lte=4), user)
