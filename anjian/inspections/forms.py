import os

from django import forms
from django.core.exceptions import ValidationError

from anjian.core.forms import ScopedModelForm, StyledForm, bootstrapify
from anjian.core.models import Sector, User
from anjian.core.roles import Role
from anjian.core.scope import restrict, scope_for
from anjian.registry.models import Enterprise, RiskColour

from . import services
from .models import (
    ChecklistItem,
    ChecklistTemplate,
    FollowUp,
    Inspection,
    InspectionItem,
    InspectionPlan,
    ItemResult,
    Kind,
    Level,
    TargetingRule,
)

INSPECTING_ROLES = (Role.INSPECTOR, Role.TOWN, Role.GRID, Role.OFFICE)
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024


def inspector_choices(user):
    """People who may be named as inspectors: the user's own unit staff (企业自查) or government staff in scope."""
    if getattr(user, "role", "") == Role.ENTERPRISE:  # (schema generation passes an anonymous user)
        return User.objects.filter(enterprise_id=user.enterprise_id, is_active=True).order_by("name")
    return restrict(User.objects.filter(role__in=INSPECTING_ROLES, is_active=True), user).order_by("name")


def sector_choices(user):
    scope = scope_for(user)
    qs = Sector.objects.filter(is_active=True)
    if scope.sector_ids is not None:
        qs = qs.filter(pk__in=scope.sector_ids)
    return qs


class PlanForm(ScopedModelForm):
    risk_levels = forms.MultipleChoiceField(
        label="风险等级", choices=RiskColour.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = InspectionPlan
        fields = [
            "name",
            "kind",
            "level",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "territory",
            "organisation",
            "sectors",
            "risk_levels",
            "enterprises",
            "checklist_template",
            "inspectors",
            "random_count",
            "inspectors_per_task",
            "description",
        ]
        widgets = {
            "start_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "end_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(user).exclude(role=Role.ENTERPRISE)
        self.fields["enterprises"].queryset = restrict(Enterprise.objects.order_by("name"), user)
        self.fields["sectors"].queryset = sector_choices(user)
        self.fields["checklist_template"].queryset = ChecklistTemplate.objects.filter(is_active=True)
        self.fields["level"].choices = [c for c in Level.choices if c[0] != Level.SELF]
        self.fields["risk_levels"].widget.attrs.pop("class", None)
        if self.instance.pk and (self.instance.drawn_at or self.instance.tasks.exists()):
            # The scope rule is fixed once tasks exist or a draw was made (the draw must stay auditable).
            for name in ("kind", "territory", "sectors", "risk_levels", "enterprises", "random_count"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        scope = scope_for(self.user)
        if scope.sector_ids is not None and not data.get("sectors") and not self.fields["sectors"].disabled:
            self.add_error("sectors", "行业部门的计划须选择本部门监管的行业领域。")
        return data


class InspectionForm(ScopedModelForm):
    class Meta:
        model = Inspection
        fields = [
            "level",
            "kind",
            "enterprise",
            "sector",
            "checklist_template",
            "inspected_on",
            "started_at",
            "ended_at",
            "location",
            "latitude",
            "longitude",
            "inspectors",
            "unit_contact",
            "unit_contact_title",
            "supervising_body",
            "complaint_reference",
            "summary",
        ]
        widgets = {
            "inspected_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "started_at": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "ended_at": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "any", "data-geo": "lat"}),
            "longitude": forms.NumberInput(attrs={"step": "any", "data-geo": "lng"}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["inspectors"].queryset = inspector_choices(user)
        self.fields["inspectors"].required = True
        self.fields["sector"].queryset = sector_choices(user)
        self.fields["checklist_template"].queryset = ChecklistTemplate.objects.filter(is_active=True)
        if user.role == Role.ENTERPRISE:
            self.fields["level"].choices = [(Level.SELF, Level.SELF.label)]
            self.fields["kind"].choices = [
                (Kind.ROUTINE, Kind.ROUTINE.label),
                (Kind.HOLIDAY, Kind.HOLIDAY.label),
            ]
        else:
            self.fields["level"].choices = [c for c in Level.choices if c[0] != Level.SELF]
        if self.instance.pk:
            for name in ("enterprise", "checklist_template", "level"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        scope = scope_for(self.user)
        if scope.sector_ids is not None and not data.get("sector"):
            self.add_error("sector", "行业部门的检查须选择本部门监管的行业领域。")
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise ValidationError("经纬度须同时填写。")
        inspectors = data.get("inspectors")
        if inspectors is not None and data.get("level"):
            # 行政处罚法 第四十二条 (EN-31): an enforcement inspection names two certified officers.
            why = services.officers_problem(data["level"], list(inspectors))
            if why:
                self.add_error("inspectors", why)
        return data


class ItemForm(forms.ModelForm):
    class Meta:
        model = InspectionItem
        fields = [
            "text",
            "result",
            "note",
            "photo",
            "is_major",
            "major_clause",
            "rectified_on_spot",
            "follow_up",
            "interim_measures",
            "rectify_deadline",
        ]
        widgets = {
            "result": forms.RadioSelect,
            "rectify_deadline": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [c for c in ItemResult.choices if c[0]]
        self.fields["result"].required = False
        self.fields["text"].required = False
        if self.instance.pk and self.instance.template_item_id:
            self.fields["text"].disabled = True
        bootstrapify(self)
        self.fields["result"].widget.attrs["class"] = "form-check-input"

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "size"):
            ext = os.path.splitext(photo.name)[1].lower()
            if ext not in PHOTO_EXTENSIONS:
                raise ValidationError("照片只能是 JPG、PNG、WebP 或 HEIC 图片。")
            if photo.size > PHOTO_MAX_BYTES:
                raise ValidationError("照片不能超过 10 MB。")
        return photo

    def clean(self):
        data = super().clean()
        if not self.instance.pk and not (data.get("text") or "").strip():
            raise ValidationError("请填写发现的问题（检查内容）。")
        if data.get("result") != ItemResult.FAIL:
            # Only a failed item has a follow-up; clear what does not apply.
            data.update(
                is_major=False,
                rectified_on_spot=False,
                follow_up=FollowUp.NONE,
                interim_measures="",
                rectify_deadline=None,
            )
        elif data.get("rectified_on_spot"):
            data.update(follow_up=FollowUp.NONE, interim_measures="")
        if data.get("is_major") and data.get("rectified_on_spot"):
            self.add_error("rectified_on_spot", "重大事故隐患不能当场整改销号，须制定治理方案。")
        return data


ItemFormSet = forms.inlineformset_factory(
    Inspection, InspectionItem, form=ItemForm, extra=1, can_delete=False
)


class SignatureForm(StyledForm):
    inspector_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    unit_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    unit_signer_name = forms.CharField(label="被检查单位签字人", max_length=50, required=False)

    def clean(self):
        data = super().clean()
        if data.get("unit_signature") and not data.get("unit_signer_name", "").strip():
            self.add_error("unit_signer_name", "请填写被检查单位签字人姓名。")
        return data


class TemplateForm(ScopedModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["code", "name", "sector", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class TemplateItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["order", "category", "text", "basis", "major_clause"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)


# Items are never deleted (filled records point to them); a template is retired by unticking 启用.
TemplateItemFormSet = forms.inlineformset_factory(
    ChecklistTemplate, ChecklistItem, form=TemplateItemForm, extra=3, can_delete=False
)


class TargetingRuleForm(ScopedModelForm):
    class Meta:
        model = TargetingRule
        fields = [
            "factor",
            "risk_level",
            "threshold",
            "window_days",
            "points",
            "note",
            "is_active",
            "sort_order",
        ]
