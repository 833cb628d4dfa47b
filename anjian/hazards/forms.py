"""Forms of the hazard pages. They only clean input; the services decide (and explain) what is allowed."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from anjian.core.forms import StyledForm
from anjian.core.models import Sector
from anjian.core.roles import Role
from anjian.core.scope import restrict, scope_for

from .models import Grade, MajorHazardCriterion, Nature, Source, StopOrder
from .services import validate_photo

DATE = forms.DateInput(attrs={"type": "date"})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each validated for type and size (services.validate_photo)."""

    widget = MultipleFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError("请上传照片。")
        for upload in files:
            validate_photo(upload)
        return list(files)


class DescriptionWithSuggestions(forms.Textarea):
    """The description box; while the user types, the clauses it reads like are shown under it (htmx, no script
    of our own: views_criteria.SuggestFragmentView)."""

    template_name = "hazards/widgets/description_suggest.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "rows": 3,
                "hx-get": reverse_lazy("hazards:criteria_suggest"),
                "hx-trigger": "input changed delay:800ms",
                "hx-target": "#criteria-suggestions",
                "hx-include": "[name='sector'], [name='enterprise'], [name='major_criterion']",
                "hx-sync": "this:replace",
                **(attrs or {}),
            }
        )


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        mark = {"memory": "（条文待核对）", "partial": "（部分核对）"}.get(obj.confidence, "")
        return f"{obj.code} {obj}{mark}" if obj.code else str(obj)


class HazardRegisterForm(StyledForm):
    enterprise = forms.ModelChoiceField(label="单位", queryset=None)
    sector = forms.ModelChoiceField(label="行业领域", queryset=None, required=False)
    location = forms.CharField(label="隐患部位", max_length=200, required=False)
    description = forms.CharField(label="隐患描述", widget=DescriptionWithSuggestions())
    category = forms.CharField(
        label="隐患类别", max_length=60, required=False, help_text="如：消防安全、用电安全"
    )
    nature = forms.ChoiceField(label="隐患性质", choices=[("", "—"), *Nature.choices], required=False)
    source = forms.ChoiceField(label="隐患来源", choices=[c for c in Source.choices if c[0] != Source.IMPORT])
    grade = forms.ChoiceField(label="隐患级别", choices=Grade.choices, initial=Grade.GENERAL)
    major_criterion = CriterionChoiceField(
        label="重大事故隐患判定依据",
        # Choosing a clause re-checks for an open hazard of the unit citing the same clause (重复登记提示).
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("hazards:criteria_suggest"),
                "hx-trigger": "change",
                "hx-target": "#criteria-suggestions",
                "hx-include": "[name='description'], [name='sector'], [name='enterprise']",
            }
        ),
        queryset=MajorHazardCriterion.objects.filter(is_active=True).select_related("sector"),
        required=False,
        help_text="重大事故隐患必须选择所属行业判定标准中的条款；填写隐患描述后，系统会在描述下方提示可能对应的条款",
    )
    stop_order = forms.ChoiceField(label="停产停业", choices=StopOrder.choices, initial=StopOrder.NONE)
    found_on = forms.DateField(label="发现时间", widget=DATE, required=False)
    deadline = forms.DateField(label="整改期限", widget=DATE, required=False)
    rectified_on_spot = forms.BooleanField(label="已现场立即整改（一般隐患）", required=False)
    photos = PhotosField(label="整改前照片")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.registry.models import Enterprise

        self.user = user
        self.fields["enterprise"].queryset = restrict(Enterprise.objects.all(), user).order_by("name")
        sectors = Sector.objects.filter(is_active=True)
        scope = scope_for(user)
        if scope.sector_ids is not None:
            sectors = sectors.filter(pk__in=scope.sector_ids)
        self.fields["sector"].queryset = sectors
        if user is not None and user.role == Role.ENTERPRISE:
            self.fields["source"].choices = [(Source.SELF_CHECK, Source.SELF_CHECK.label)]
            self.fields["enterprise"].initial = user.enterprise_id

    def clean(self):
        data = super().clean()
        if data.get("grade") == Grade.MAJOR:
            if not data.get("major_criterion"):
                self.add_error(
                    "major_criterion",
                    "重大事故隐患必须选择判定标准条款（16号令 第三条、安全生产法 第一百一十八条）。",
                )
            if data.get("rectified_on_spot"):
                self.add_error("rectified_on_spot", "重大事故隐患不能现场立即整改销号。")
        criterion = data.get("major_criterion")
        if criterion and data.get("sector") and not criterion.applies_to(data["sector"]):
            self.add_error("major_criterion", "所选判定条款不属于所选行业领域。")
        if criterion and not data.get("sector"):
            data["sector"] = criterion.sector
        return data


class PlanForm(StyledForm):
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    responsible_person = forms.CharField(label="整改责任人", max_length=100, required=False)
    funds = forms.DecimalField(
        label="整改资金（元）", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    deadline = forms.DateField(label="整改期限", widget=DATE, required=False)
    emergency_plan = forms.CharField(
        label="应急预案及安全措施",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="重大事故隐患须五落实：措施、责任人、资金、时限、预案",
    )


class ReportForm(StyledForm):
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    money_spent = forms.DecimalField(
        label="实际投入资金（元）", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    photos = PhotosField(label="整改后照片")


class ReasonForm(StyledForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RejectForm(StyledForm):
    reason = forms.CharField(
        label="不合格原因及整改要求", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class OpinionForm(StyledForm):
    opinion = forms.CharField(label="复查意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoteForm(StyledForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtensionForm(StyledForm):
    new_deadline = forms.DateField(label="申请延期至", widget=DATE, required=False)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SupervisionForm(StyledForm):
    deadline = forms.DateField(label="限期销号日期", widget=DATE, required=False)
    reason = forms.CharField(label="督办事由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StopForm(StyledForm):
    kind = forms.ChoiceField(
        label="停产停业范围", choices=[c for c in StopOrder.choices if c[0] != StopOrder.NONE]
    )
    reason = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EmptyForm(StyledForm):
    pass


ACTION_FORMS = {
    "set_plan": PlanForm,
    "start_rectification": EmptyForm,
    "report": ReportForm,
    "accept": OpinionForm,
    "reject": RejectForm,
    "close": NoteForm,
    "close_on_spot": EmptyForm,
    "order_stop": StopForm,
    "approve_resumption": NoteForm,
    "request_extension": ExtensionForm,
    "approve_extension": NoteForm,
    "reject_extension": NoteForm,
    "list_supervision": SupervisionForm,
    "void": ReasonForm,
    "reopen": ReasonForm,
}
