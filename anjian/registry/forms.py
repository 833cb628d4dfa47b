"""Forms of the registry. Choices are limited to the user's scope (ScopedModelForm)."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Sector
from anjian.core.roles import Role

from . import rules
from .models import (
    BlacklistEntry,
    BlacklistPerson,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    MajorHazardSubstance,
    RiskMethod,
    RiskPoint,
    SpecialEquipment,
    SupervisionFrequency,
)
from .permissions import ENTERPRISE_EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

ENTERPRISE_FIELDS = [
    "name",
    "credit_code",
    "territory",
    "sectors",
    "address",
    "legal_representative",
    "principal_name",
    "principal_phone",
    "safety_manager_name",
    "safety_manager_phone",
    "economic_section",
    "industry_code",
    "scale",
    "employees",
    "longitude",
    "latitude",
]


class EnterpriseForm(ScopedModelForm):
    """Government staff edit every field; enterprise staff only ENTERPRISE_EDITABLE_FIELDS (permissions.py).

    The status is set on creation only; afterwards it changes through services.change_status.
    """

    # Pasted codes may carry spaces or full-width characters: normalised in clean_credit_code.
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=40,
        error_messages={"unique": "该统一社会信用代码已登记，请勿重复登记。"},
    )

    class Meta:
        model = Enterprise
        fields = [*ENTERPRISE_FIELDS, "status"]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["sectors"].queryset = Sector.objects.filter(is_active=True)
        self.fields["sectors"].widget.attrs.pop("class", None)
        if self.instance.pk:
            self.fields.pop("status", None)
        if getattr(user, "role", None) == Role.ENTERPRISE:
            for name in list(self.fields):
                if name not in ENTERPRISE_EDITABLE_FIELDS:
                    del self.fields[name]

    def clean_credit_code(self):
        # GB 32100-2015 (rules.md §8.4): the Chinese messages of rules.validate_credit_code.
        result = rules.validate_credit_code(self.cleaned_data["credit_code"])
        if not result.valid:
            raise forms.ValidationError(result.errors)
        return result.normalized


class EnterpriseImportForm(EnterpriseForm):
    """The import validates each row with the same rules as the page (no status column: new rows are 在营)."""

    class Meta(EnterpriseForm.Meta):
        fields = ENTERPRISE_FIELDS


class StatusChangeForm(StyledForm):
    reason = forms.CharField(label="原因", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


def _lec_choices(table):
    return [("", "—")] + [(str(value), f"{rules._fmt(value)} {label}") for value, label in table]


class RiskPointForm(ScopedModelForm):
    lec_l = forms.TypedChoiceField(
        label="L 事故发生的可能性",
        choices=_lec_choices(rules.LEC_L_VALUES),
        coerce=Decimal,
        required=False,
        empty_value=None,
    )
    lec_e = forms.TypedChoiceField(
        label="E 暴露于危险环境的频繁程度",
        choices=_lec_choices(rules.LEC_E_VALUES),
        coerce=Decimal,
        required=False,
        empty_value=None,
    )
    lec_c = forms.TypedChoiceField(
        label="C 发生事故产生的后果",
        choices=_lec_choices(rules.LEC_C_VALUES),
        coerce=Decimal,
        required=False,
        empty_value=None,
    )
    ls_l = forms.TypedChoiceField(
        label="L 可能性（1–5）",
        choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    ls_s = forms.TypedChoiceField(
        label="S 严重性（1–5）",
        choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        required=False,
        empty_value=None,
    )

    class Meta:
        model = RiskPoint
        fields = [
            "enterprise",
            "name",
            "location",
            "hazard_factors",
            "method",
            "lec_l",
            "lec_e",
            "lec_c",
            "ls_l",
            "ls_s",
            "control_measures",
            "control_owner",
            "assessed_on",
            "is_active",
        ]
        widgets = {
            "assessed_on": DATE,
            "hazard_factors": forms.Textarea(attrs={"rows": 2}),
            "control_measures": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("lec_l", "lec_e", "lec_c"):
            value = getattr(self.instance, name)
            if value is not None:  # 10.0 stored, "10" in the choices
                self.initial[name] = format(value.normalize(), "f")

    def clean(self):
        # Fields of the other method are cleared so a stored row never mixes both.
        data = super().clean()
        if data.get("method") == RiskMethod.LEC:
            data["ls_l"] = data["ls_s"] = None
            self.instance.ls_l = self.instance.ls_s = None
        elif data.get("method") == RiskMethod.LS:
            data["lec_l"] = data["lec_e"] = data["lec_c"] = None
            self.instance.lec_l = self.instance.lec_e = self.instance.lec_c = None
        return data


def simple_form(model_class, field_names, date_fields=(), textareas=()):
    widgets = {name: DATE for name in date_fields}
    widgets.update({name: forms.Textarea(attrs={"rows": 3}) for name in textareas})
    meta = type("Meta", (), {"model": model_class, "fields": field_names, "widgets": widgets})
    return type(f"{model_class.__name__}Form", (ScopedModelForm,), {"Meta": meta})


LicenceForm = simple_form(
    Licence,
    ["enterprise", "kind", "number", "holder", "scope_text", "issued_by", "issued_on", "valid_until"],
    date_fields=("issued_on", "valid_until"),
)
HazardousChemicalForm = simple_form(
    HazardousChemical,
    [
        "enterprise",
        "name",
        "cas_no",
        "activity",
        "max_quantity_t",
        "annual_quantity_t",
        "storage_place",
        "highly_toxic",
    ],
)
MajorHazardSourceForm = simple_form(
    MajorHazardSource,
    [
        "enterprise",
        "name",
        "record_no",
        "people_within_500m",
        "assessed_on",
        "filed_on",
        "next_assessment_on",
        "description",
    ],
    date_fields=("assessed_on", "filed_on", "next_assessment_on"),
    textareas=("description",),
)
ConstructionProjectForm = simple_form(
    ConstructionProject,
    [
        "enterprise",
        "name",
        "builder",
        "supervisor",
        "permit_no",
        "site_address",
        "project_manager",
        "project_manager_phone",
        "started_on",
        "planned_completion_on",
        "completed_on",
        "has_deep_excavation",
    ],
    date_fields=("started_on", "planned_completion_on", "completed_on"),
)
SpecialEquipmentForm = simple_form(
    SpecialEquipment,
    [
        "enterprise",
        "kind",
        "registration_no",
        "device_code",
        "location",
        "maintenance_unit",
        "installed_on",
        "last_inspection_on",
        "next_inspection_on",
    ],
    date_fields=("installed_on", "last_inspection_on", "next_inspection_on"),
)
ForestCheckpointForm = simple_form(
    ForestCheckpoint,
    [
        "name",
        "territory",
        "enterprise",
        "rangers",
        "phone",
        "longitude",
        "latitude",
        "season_start",
        "season_end",
        "is_active",
    ],
    date_fields=("season_start", "season_end"),
)


class ClosureRecordForm(ScopedModelForm):
    class Meta:
        model = ClosureRecord
        fields = [
            "enterprise",
            "name",
            "territory",
            "address",
            "reason",
            "decision_no",
            "decided_by",
            "decided_on",
            "executed_on",
            "verified_on",
            "verification_note",
        ]
        widgets = {
            "decided_on": DATE,
            "executed_on": DATE,
            "verified_on": DATE,
            "reason": forms.Textarea(attrs={"rows": 3}),
            "verification_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["name"].widget.attrs.pop("required", None)
        self.fields["name"].help_text = "选择了登记的单位时可不填"
        self.fields["territory"].required = False
        self.fields["territory"].widget.attrs.pop("required", None)
        self.fields["territory"].help_text = "选择了登记的单位时可不填（取该单位的区划）"

    def clean(self):
        data = super().clean()
        enterprise = data.get("enterprise")
        if enterprise is not None:
            data["name"] = data.get("name") or enterprise.name
            if not data.get("territory"):
                data["territory"] = enterprise.territory
        else:
            if not data.get("name"):
                self.add_error("name", "未选择登记的单位时，必须填写单位（场所）名称。")
            if not data.get("territory"):
                self.add_error("territory", "未选择登记的单位时，必须选择所属区划。")
        return data


SupervisionFrequencyForm = simple_form(SupervisionFrequency, ["inspections_per_year", "note"])


class MajorHazardSubstanceForm(ScopedModelForm):
    class Meta:
        model = MajorHazardSubstance
        fields = ["name", "hazard_class", "quantity_t", "threshold_t"]


class BlacklistEntryForm(ScopedModelForm):
    class Meta:
        model = BlacklistEntry
        fields = [
            "enterprise",
            "ground",
            "ground_detail",
            "penalty_decision_no",
            "decision_no",
            "decided_by",
            "start_date",
        ]
        widgets = {"start_date": DATE, "ground_detail": forms.Textarea(attrs={"rows": 3})}

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("列入日期不能晚于今天。")
        return day


class EarlyRemovalForm(StyledForm):
    removed_on = forms.DateField(label="移出日期", widget=DATE)
    reason = forms.CharField(label="信用修复理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class RestoreForm(StyledForm):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class BlacklistPersonForm(ScopedModelForm):
    class Meta:
        model = BlacklistPerson
        fields = ["name", "role", "position", "id_number"]
