"""Forms: validation is the models' clean() (the API serializers call the same)."""

from django import forms

from anjian.core.forms import ScopedModelForm, StyledForm, bootstrapify, refuse_control_characters
from anjian.core.models import Organisation, Territory

from . import rules
from .models import (
    MEASURE_CHOICES,
    Case,
    DocumentKind,
    Measure,
    NoPenaltyReason,
    Provision,
    Talk,
    ViolationFinding,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProvisionForm(ScopedModelForm):
    measures_allowed = forms.MultipleChoiceField(
        label="可采取的措施",
        choices=MEASURE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Provision
        fields = [
            "code",
            "law",
            "article",
            "violation",
            "penalty_text",
            "party_kind",
            "fine_min",
            "fine_max",
            "income_share_min",
            "income_share_max",
            "measures_allowed",
            "source_ref",
            "is_active",
        ]


class CaseForm(ScopedModelForm):
    class Meta:
        model = Case
        fields = [
            "title",
            "party_kind",
            "enterprise",
            "party_name",
            "responsible_persons",
            "territory",
            "sector",
            "co_handler",
            "source_kind",
            "source_description",
            "accident",
            "facts",
            "provisions",
            "filed_on",
        ]
        widgets = {
            "filed_on": DATE,
            "facts": forms.Textarea(attrs={"rows": 4}),
            "responsible_persons": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from anjian.core.models import User
        from anjian.core.roles import Role

        user = self.user
        self.fields["territory"].queryset = (
            Territory.objects.filter(path__startswith=user.territory.path)
            if (user and user.territory_id)
            else Territory.objects.none()
        )
        co = User.objects.filter(role__in=[Role.INSPECTOR, Role.OFFICE], is_active=True)
        if user and user.organisation_id:
            co = co.filter(organisation_id=user.organisation_id).exclude(pk=user.pk)
        self.fields["co_handler"].queryset = co
        if user and user.role == Role.INSPECTOR and user.organisation_id:
            self.fields["sector"].queryset = user.organisation.sectors.all()
        self.fields["provisions"].queryset = Provision.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        enterprise = data.get("enterprise")
        if enterprise is not None and not data.get("territory"):
            data["territory"] = enterprise.territory
        return data


class MeasureForm(ScopedModelForm):
    class Meta:
        model = Measure
        fields = [
            "measure",
            "provision",
            "amount",
            "income_base",
            "ordered_on",
            "deadline",
            "daily_until",
            "details",
        ]
        widgets = {
            "ordered_on": DATE,
            "deadline": DATE,
            "daily_until": DATE,
            "details": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].queryset = Provision.objects.filter(is_active=True)


class ActionForm(StyledForm):
    action = forms.ChoiceField(
        choices=[(a.value, a.label) for a in rules.CaseAction], widget=forms.HiddenInput
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    transfer_to = forms.CharField(label="移送至", required=False, max_length=200)


class HearingForm(StyledForm):
    answer = forms.ChoiceField(
        label="当事人意见",
        choices=[("waived", "放弃陈述申辩和听证"), ("requested", "申请听证"), ("held", "已举行听证")],
    )
    held_on = forms.DateField(label="听证日期", required=False, widget=DATE)


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label="文书类型", choices=DocumentKind.choices)
    body = forms.CharField(label="正文补充", required=False, widget=forms.Textarea(attrs={"rows": 2}))


DETAIL_WIDGETS = {
    "longtext": lambda: forms.Textarea(attrs={"rows": 3}),
    "qa": lambda: forms.Textarea(attrs={"rows": 10, "placeholder": "问：……\n答：……"}),
    "items": lambda: forms.Textarea(attrs={"rows": 4, "placeholder": "名称，规格，数量"}),
    "statements": lambda: forms.Textarea(attrs={"rows": 10, "placeholder": "发言人：内容"}),
}


class DocumentDetailsForm(StyledForm):
    """The fields one document kind records (document_details.DETAIL_FIELDS). The form only collects text;
    document_details.validate_details is the one validation, so page and API refuse the same input."""

    issued_on = forms.DateField(label="文书日期", required=False, widget=DATE)
    body = forms.CharField(label="正文补充", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind, case, **kwargs):
        from .document_details import fields_for

        super().__init__(*args, **kwargs)
        self.detail_fields = fields_for(kind)
        for spec in self.detail_fields:
            label = spec.label + ("" if spec.required else "（选填）")
            if spec.type == "bool":
                field = forms.BooleanField(label=spec.label, required=False)
            elif spec.type == "choice":
                field = forms.ChoiceField(label=label, choices=[("", "—"), *spec.choices], required=False)
            elif spec.type == "document":
                documents = case.documents.exclude(kind=DocumentKind.SERVICE_RECEIPT).order_by("id")
                field = forms.ChoiceField(
                    label=label,
                    choices=[
                        ("", "—"),
                        *[(d.number, f"{d.get_kind_display()} {d.number}") for d in documents],
                    ],
                    required=False,
                )
            elif spec.type == "date":
                field = forms.CharField(label=label, required=False, widget=DATE)
            elif spec.type == "datetime":
                field = forms.CharField(
                    label=label, required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
                )
            elif spec.type == "int":
                field = forms.CharField(label=label, required=False, widget=forms.NumberInput())
            else:
                widget = DETAIL_WIDGETS.get(spec.type, forms.TextInput)()
                field = forms.CharField(label=label, required=False, widget=widget, strip=False)
            field.help_text = spec.help
            self.fields[spec.name] = field
        bootstrapify(self)  # again, for the fields added above
        refuse_control_characters(self)
        self.order_fields([s.name for s in self.detail_fields] + ["issued_on", "body"])

    def details(self) -> dict:
        return {spec.name: self.cleaned_data.get(spec.name) for spec in self.detail_fields}


class ExecuteForm(StyledForm):
    executed_on = forms.DateField(label="执行日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False)


class ResumptionForm(StyledForm):
    accepted_on = forms.DateField(label="验收日期", required=False, widget=DATE)
    opinion = forms.CharField(label="复产验收意见", widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(ScopedModelForm):
    class Meta:
        model = ViolationFinding
        fields = [
            "source",
            "source_reference",
            "enterprise",
            "sector",
            "description",
            "provision",
            "is_major_hazard",
            "rectified",
            "found_on",
        ]
        widgets = {"found_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class NoPenaltyReasonForm(ScopedModelForm):
    class Meta:
        model = NoPenaltyReason
        fields = ["category", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(label="审核结论", choices=[("approve", "通过"), ("reject", "不通过")])
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TalkForm(ScopedModelForm):
    class Meta:
        model = Talk
        fields = [
            "kind",
            "target_kind",
            "enterprise",
            "target_organisation",
            "territory",
            "convened_by",
            "held_on",
            "reasons",
            "trigger_ref",
            "attendees",
            "commitments",
            "follow_up_due",
            "follow_up",
            "follow_up_done_on",
        ]
        widgets = {
            "held_on": DATE,
            "follow_up_due": DATE,
            "follow_up_done_on": DATE,
            "reasons": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.Textarea(attrs={"rows": 2}),
            "commitments": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if user and user.territory_id:
            self.fields["territory"].queryset = Territory.objects.filter(path__startswith=user.territory.path)
            orgs = Organisation.objects.filter(territory_path__startswith=user.territory.path)
            self.fields["target_organisation"].queryset = orgs
            self.fields["convened_by"].queryset = orgs


class FiguresForm(StyledForm):
    start = forms.DateField(label="起始日期", widget=DATE)
    end = forms.DateField(label="截止日期", widget=DATE)
    group_by = forms.ChoiceField(label="分组", choices=[("territory", "按区划"), ("organisation", "按部门")])

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data
