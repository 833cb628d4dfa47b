from django import forms

from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Organisation, OrganisationKind
from anjian.hazards.forms import PhotosField

from .models import OversightVisit, Problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RESPONSIBLE_KINDS = (
    OrganisationKind.DEPARTMENT,
    OrganisationKind.LOCAL_GOVERNMENT,
    OrganisationKind.OFFICE,
    OrganisationKind.SPECIAL_COMMITTEE,
)


class VisitForm(ScopedModelForm):
    class Meta:
        model = OversightVisit
        fields = [
            "title",
            "kind",
            "inspecting_org",
            "inspecting_body_name",
            "leader",
            "members",
            "start_on",
            "end_on",
            "territory",
            "targets",
            "feedback_summary",
        ]
        widgets = {"start_on": DATE, "end_on": DATE, "members": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counties and towns are visited; villages and grids are not 督查 objects.
        self.fields["territory"].queryset = self.fields["territory"].queryset.filter(depth__lte=4)
        self.fields["targets"].queryset = self.fields["targets"].queryset.filter(
            kind__in=RESPONSIBLE_KINDS, is_active=True
        )
        self.fields["targets"].help_text = "被督查的成员单位、镇街（可多选）。"
        # A higher-level body is usually outside the platform (and outside the user's scope): typed in.
        self.fields["inspecting_org"].queryset = (
            Organisation.objects.filter(is_active=True).exclude(kind=OrganisationKind.COMMITTEE)
            & self.fields["inspecting_org"].queryset
        )

    def clean(self):
        data = super().clean()
        if not data.get("inspecting_org") and not (data.get("inspecting_body_name") or "").strip():
            self.add_error("inspecting_body_name", "请选择督查单位，或填写平台外的督查单位名称。")
        if data.get("start_on") and data.get("end_on") and data["end_on"] < data["start_on"]:
            self.add_error("end_on", "督查结束日期不能早于开始日期。")
        return data


class ProblemForm(ScopedModelForm):
    sequence = forms.IntegerField(label="序号", min_value=1, max_value=9999, required=False)

    class Meta:
        model = Problem
        fields = [
            "sequence",
            "description",
            "category",
            "basis",
            "responsible_unit",
            "responsible_person",
            "responsible_post",
            "measures",
            "deadline",
        ]
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"sequence": "不填写时按顺序编号。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = self.fields["responsible_unit"].queryset.filter(
            kind__in=RESPONSIBLE_KINDS, is_active=True
        )
        self.fields["sequence"].help_text = "不填写时按顺序编号。"
        self.fields["category"].required = False

    def clean_category(self):
        return self.cleaned_data.get("category") or "other"


class FeedbackForm(StyledForm):
    fed_back_on = forms.DateField(label="反馈日期", widget=DATE)
    summary = forms.CharField(label="反馈意见概述", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class MeasuresForm(StyledForm):
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label="整改责任人", max_length=50)
    responsible_post = forms.CharField(label="责任人职务", max_length=50, required=False)
    deadline = forms.DateField(label="整改时限", widget=DATE)


class ProgressForm(StyledForm):
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}))
    files = PhotosField(label="佐证材料（照片或 PDF）")


class CloseForm(StyledForm):
    opinion = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(StyledForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class TaskForm(StyledForm):
    deadline = forms.DateField(
        label="督办期限", widget=DATE, required=False, help_text="不填写时为整改时限。"
    )


ACTION_FORMS = {
    "set_measures": MeasuresForm,
    "report_progress": ProgressForm,
    "report_done": ProgressForm,
    "close": CloseForm,
    "return_problem": ReturnForm,
}
