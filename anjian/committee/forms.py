"""Forms of the committee pages: Bootstrap widgets, choices limited to the user's scope, Chinese errors."""

from django import forms
from django.core.exceptions import ValidationError

from anjian.core import uploads as documents
from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Organisation, Sector
from anjian.core.scope import restrict

from .models import (
    COMMITTEE_KINDS,
    MEMBER_KINDS,
    DutyItem,
    LeaderDuty,
    Meeting,
    MeetingDecision,
    Membership,
    PostRank,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MINUTES_EXTENSIONS = {".pdf", ".doc", ".docx", ".ofd", ".jpg", ".jpeg", ".png", ".wps"}
MINUTES_TYPES = "PDF、Word、OFD、WPS 或图片（JPG、PNG）"


def member_units(user):
    return restrict(Organisation.objects.filter(kind__in=MEMBER_KINDS, is_active=True), user).order_by(
        "territory_path", "kind", "sort_order", "name"
    )


class PostForm(StyledForm):
    rank = forms.ChoiceField(label="职位", choices=PostRank.choices)
    title = forms.CharField(label="担任职务", max_length=60, help_text="例如：区长、分管副区长、区应急局局长")
    holder_name = forms.CharField(label="现任姓名", max_length=50, required=False)
    start_date = forms.DateField(label="任职日期", widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("holder_name") and not data.get("start_date"):
            self.add_error("start_date", "填写现任姓名时请填写任职日期。")
        return data


class AppointForm(StyledForm):
    name = forms.CharField(label="姓名", max_length=50)
    position = forms.CharField(label="现任职务", max_length=80, required=False)
    start_date = forms.DateField(label="任职日期", widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="例如：任免文件文号")


class EndForm(StyledForm):
    end_date = forms.DateField(label="结束日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=200, required=False)


class MembershipAddForm(StyledForm):
    organisation = forms.ModelChoiceField(label="成员单位", queryset=Organisation.objects.none())
    start_date = forms.DateField(label="加入日期", widget=DATE)
    liaison_name = forms.CharField(label="联络员", max_length=50, required=False)
    liaison_title = forms.CharField(label="联络员职务", max_length=60, required=False)
    liaison_phone = forms.CharField(label="联络员电话", max_length=30, required=False)

    def __init__(self, *args, user=None, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = member_units(user).exclude(pk=committee.pk) if committee else member_units(user)
        self.fields["organisation"].queryset = units


class LiaisonForm(ScopedModelForm):
    class Meta:
        model = Membership
        fields = ["liaison_name", "liaison_title", "liaison_phone", "sort_order"]


class DutyItemForm(ScopedModelForm):
    class Meta:
        model = DutyItem
        fields = ["category", "text", "basis", "sort_order", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class LeaderDutyForm(ScopedModelForm):
    class Meta:
        model = LeaderDuty
        fields = ["post", "name", "duties", "sort_order", "is_active"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 6})}


class SectorsForm(StyledForm):
    sectors = forms.ModelMultipleChoiceField(
        label="监管行业领域",
        queryset=Sector.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MeetingForm(ScopedModelForm):
    present_units = forms.ModelMultipleChoiceField(
        label="出席单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    absent_units = forms.ModelMultipleChoiceField(
        label="缺席单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    absence_reason = forms.CharField(label="缺席原因", max_length=200, required=False)

    class Meta:
        model = Meeting
        fields = ["committee", "kind", "title", "held_on", "place", "chaired_by", "minutes", "minutes_file"]
        widgets = {"held_on": DATE, "minutes": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["committee"].queryset = self.fields["committee"].queryset.filter(kind__in=COMMITTEE_KINDS)
        units = member_units(user)
        self.fields["present_units"].queryset = units
        self.fields["absent_units"].queryset = units
        if self.instance.pk:
            rows = list(self.instance.attendances.all())
            self.initial["present_units"] = [a.organisation_id for a in rows if a.present]
            self.initial["absent_units"] = [a.organisation_id for a in rows if not a.present]
            self.initial["absence_reason"] = next((a.absence_reason for a in rows if not a.present), "")

    def clean_minutes_file(self):
        upload = self.cleaned_data.get("minutes_file")
        if upload and hasattr(upload, "size") and not getattr(upload, "_committed", False):
            # By content, not by name (core.uploads): a renamed executable is not a PDF.
            try:
                documents.check_file(upload, MINUTES_EXTENSIONS, MINUTES_TYPES)
            except ValidationError as exc:
                raise forms.ValidationError(
                    f"纪要附件应为{MINUTES_TYPES}，不超过 20 MB：{exc.messages[0]}"
                ) from exc
            upload.seek(0)
        return upload

    def clean(self):
        data = super().clean()
        present = {o.pk for o in data.get("present_units") or []}
        absent = {o.pk for o in data.get("absent_units") or []}
        if present & absent:
            self.add_error("absent_units", "同一单位不能既出席又缺席。")
        return data


class DecisionForm(ScopedModelForm):
    class Meta:
        model = MeetingDecision
        fields = ["content", "lead_units", "deadline"]
        widgets = {"deadline": DATE, "content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["lead_units"].queryset = member_units(user)
        self.fields["lead_units"].widget.attrs["size"] = 8
