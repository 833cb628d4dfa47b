from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.core.forms import ScopedModelForm, StyledForm
from anjian.core.models import Organisation, OrganisationKind, Sector, Territory, TerritoryKind
from anjian.core.scope import restrict

from . import rules, uploads
from .models import (
    Drill,
    DutyLogEntry,
    DutyRoster,
    EmergencyPlan,
    ExposureRule,
    PublicityActivity,
    RescueTeam,
    Supply,
    TeamMember,
    TipKind,
    TrainingAttendee,
    TrainingSession,
    WeatherWarning,
)

PLACE_KINDS = (
    TerritoryKind.TOWN,
    TerritoryKind.STREET,
    TerritoryKind.PARK,
    TerritoryKind.VILLAGE,
    TerritoryKind.COMMUNITY,
)


def public_county():
    """The county whose towns and villages the public page offers (ANJIAN_PUBLIC_TIP_COUNTY = its code)."""
    code = getattr(settings, "ANJIAN_PUBLIC_TIP_COUNTY", "")
    qs = Territory.objects.filter(kind=TerritoryKind.COUNTY, retired_on__isnull=True)
    if code:
        qs = qs.filter(code=code)
    return qs.order_by("path").first()


def place_queryset(county):
    if county is None:
        return Territory.objects.none()
    return Territory.objects.filter(
        path__startswith=county.path, kind__in=PLACE_KINDS, retired_on__isnull=True
    ).order_by("path")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return (
            f"{obj.parent.name} · {obj.name}"
            if obj.kind in (TerritoryKind.VILLAGE, TerritoryKind.COMMUNITY)
            else obj.name
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"accept": "image/jpeg,image/png,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return uploads.check_photos(files)


class PublicTipForm(StyledForm):
    kind = forms.ChoiceField(label="举报类型", choices=TipKind.choices, initial=TipKind.GENERAL_HAZARD)
    content = forms.CharField(
        label="举报内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写明存在的隐患或违法行为、时间、涉及人员等。",
    )
    territory = PlaceChoiceField(label="发生地（镇街/村社区）", queryset=Territory.objects.none())
    address = forms.CharField(label="详细地址", max_length=200, required=False)
    unit_name = forms.CharField(label="被举报单位（可不填）", max_length=200, required=False)
    photos = MultiplePhotoField(label="照片（最多 3 张，每张不超过 5 MB）")
    anonymous = forms.BooleanField(label="匿名举报（不留联系方式）", required=False)
    contact_name = forms.CharField(label="您的姓名", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    is_insider = forms.BooleanField(label="我是被举报单位的从业人员", required=False)
    # Honeypot: hidden from people by CSS, filled by naive bots. A filled field makes the submission void.
    website = forms.CharField(label="网址", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = place_queryset(public_county())
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["photos"].widget.attrs["class"] = "form-control"

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not phone.replace("-", "").isdigit():
            raise ValidationError("联系电话只能包含数字和“-”。")
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("anonymous") and not (data.get("contact_phone") or "").strip():
            self.add_error("contact_phone", "实名举报请留下联系电话；不愿留联系方式请勾选“匿名举报”。")
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def tip_data(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "content": d["content"],
            "territory": d["territory"],
            "address": d["address"],
            "unit_name": d["unit_name"],
            "anonymous": d["anonymous"],
            "contact_name": "" if d["anonymous"] else d["contact_name"],
            "contact_phone": "" if d["anonymous"] else d["contact_phone"],
            "is_insider": d["is_insider"],
        }


class ReceiptForm(StyledForm):
    code = forms.CharField(
        label="回执码", max_length=20, help_text="提交举报时显示的 12 位回执码，如 ABCD-EFGH-JKLM"
    )
    website = forms.CharField(label="网址", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "autocapitalize": "characters"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})


class HotlineTipForm(PublicTipForm):
    """Staff intake of a 12345 hotline transfer (or a letter/visit): the work-order number is required."""

    hotline_order_no = forms.CharField(label="12345工单号", max_length=40)
    received_channel = forms.ChoiceField(
        label="来源渠道",
        choices=[
            ("hotline_12345", "12345热线转办"),
            ("hotline_12350", "12350举报电话"),
            ("letter", "来信"),
            ("visit", "来访"),
        ],
    )
    urgent = forms.BooleanField(label="紧急", required=False)

    field_order = ["received_channel", "hotline_order_no", "urgent"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        self.fields["territory"].queryset = (
            restrict(Territory.objects.filter(kind__in=PLACE_KINDS, retired_on__isnull=True), user)
            .select_related("parent")
            .order_by("path")
        )

    def clean(self):
        data = super().clean()
        if data.get("received_channel") != "hotline_12345":
            self.errors.pop("hotline_order_no", None)
        return data

    def tip_data(self) -> dict:
        data = super().tip_data()
        data["hotline_order_no"] = self.cleaned_data.get("hotline_order_no", "")
        data["urgent"] = self.cleaned_data["urgent"]
        return data


class AssignTipForm(StyledForm):
    sector = forms.ModelChoiceField(
        label="行业领域", queryset=Sector.objects.filter(is_active=True), required=False
    )
    organisation = forms.ModelChoiceField(label="承办单位", queryset=Organisation.objects.none())
    due_date = forms.DateField(label="办理期限", widget=forms.DateInput(attrs={"type": "date"}))
    urgent = forms.BooleanField(label="紧急", required=False)
    note = forms.CharField(label="分办意见", required=False, max_length=200)

    def __init__(self, *args, user=None, tip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = restrict(
            Organisation.objects.filter(
                kind__in=(OrganisationKind.DEPARTMENT, OrganisationKind.LOCAL_GOVERNMENT), is_active=True
            ),
            user,
        )
        if tip is not None and not self.is_bound:
            from .services import suggest_assignee

            days = rules.URGENT_HANDLING_DAYS if tip.urgent else rules.DEFAULT_HANDLING_DAYS
            self.initial.update(
                {
                    "sector": tip.sector_id,
                    "organisation": getattr(suggest_assignee(tip), "pk", None),
                    "due_date": timezone.localdate() + timezone.timedelta(days=days),
                    "urgent": tip.urgent,
                }
            )


class RejectTipForm(StyledForm):
    reason = forms.CharField(label="不予受理理由（将告知举报人）", widget=forms.Textarea(attrs={"rows": 2}))


class VerifyTipForm(StyledForm):
    founded = forms.TypedChoiceField(
        label="核查结论", choices=[("1", "属实"), ("0", "不属实")], coerce=lambda v: v == "1"
    )
    verification = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}))
    public_reply = forms.CharField(
        label="答复举报人", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    make_hazard = forms.BooleanField(label="同时登记为隐患", required=False)
    hazard_grade = forms.ChoiceField(
        label="隐患级别",
        choices=[("general", "一般事故隐患"), ("major", "重大事故隐患")],
        initial="general",
        required=False,
    )
    major_clause = forms.CharField(label="重大事故隐患判定依据（条款）", required=False, max_length=300)
    make_case = forms.BooleanField(label="同时立案查处", required=False)

    def clean_hazard_grade(self):
        return self.cleaned_data.get("hazard_grade") or "general"


class RewardForm(StyledForm):
    fine_amount = forms.DecimalField(
        label="罚款金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    accident_grade = forms.ChoiceField(
        label="事故等级（瞒报谎报事故）",
        required=False,
        choices=[("", "—")] + [(g, g) for g in rules.ACCIDENT_GRADES],
    )
    verified_deaths = forms.IntegerField(label="核实瞒报死亡人数", required=False, min_value=0)
    note = forms.CharField(label="备注", required=False, max_length=200)


# --- warnings ------------------------------------------------------------------------------------------
class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class WarningForm(ScopedModelForm):
    class Meta:
        model = WeatherWarning
        fields = [
            "warning_type",
            "level",
            "title",
            "source",
            "starts_at",
            "ends_at",
            "areas",
            "territory",
            "content",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "areas": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = self.fields["areas"].queryset.filter(depth__lte=5).order_by("path")
        self.fields["territory"].queryset = self.fields["territory"].queryset.filter(
            kind__in=(TerritoryKind.COUNTY, TerritoryKind.TOWN, TerritoryKind.STREET, TerritoryKind.PARK)
        )
        if self.user is not None and not self.instance.pk and not self.initial.get("territory"):
            self.initial["territory"] = self.user.territory_id


class AckForm(StyledForm):
    measures = forms.CharField(label="已采取的防范措施", widget=forms.Textarea(attrs={"rows": 3}))


class ExposureRuleForm(ScopedModelForm):
    class Meta:
        model = ExposureRule
        fields = ["sectors", "min_level", "ack_hours", "measures_hint"]
        widgets = {"sectors": forms.CheckboxSelectMultiple}


# --- duty ----------------------------------------------------------------------------------------------
class RosterForm(ScopedModelForm):
    class Meta:
        model = DutyRoster
        fields = ["organisation", "title", "start_date", "end_date", "duty_phone", "notes"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def save(self, commit=True):
        self.instance.territory = self.cleaned_data["organisation"].territory
        return super().save(commit)


class ShiftRowsForm(StyledForm):
    rows = forms.CharField(
        label="排班（每行：日期,带班领导,电话,值班人员,电话）",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="例如：2026-02-10,李区长,13900000001,王值班,13900000002",
    )

    def clean_rows(self):
        import datetime

        parsed = []
        for number, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            line = line.strip().replace("，", ",")
            if not line:
                continue
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 5:
                raise ValidationError(f"第 {number} 行应有 5 项，用逗号分隔。")
            try:
                day = datetime.date.fromisoformat(parts[0])
            except ValueError as exc:
                raise ValidationError(f"第 {number} 行日期格式应为 YYYY-MM-DD。") from exc
            parsed.append(
                {
                    "date": day,
                    "leader_name": parts[1],
                    "leader_phone": parts[2],
                    "officer_name": parts[3],
                    "officer_phone": parts[4],
                }
            )
        return parsed


class DutyLogForm(ScopedModelForm):
    class Meta:
        model = DutyLogEntry
        fields = ["organisation", "occurred_at", "kind", "caller", "summary", "action_taken"]
        widgets = {"occurred_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None and not self.instance.pk:
            self.initial["organisation"] = self.initial.get("organisation") or self.user.organisation_id
            self.initial["occurred_at"] = self.initial.get("occurred_at") or timezone.localtime().strftime(
                "%Y-%m-%dT%H:%M"
            )

    def save(self, commit=True):
        self.instance.territory = self.cleaned_data["organisation"].territory
        if not self.instance.pk:
            self.instance.recorded_by = self.user
        return super().save(commit)


# --- emergency, training ------------------------------------------------------------------------------
DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(ScopedModelForm):
    class Meta:
        model = EmergencyPlan
        fields = [
            "title",
            "owner",
            "organisation",
            "enterprise",
            "territory",
            "kind",
            "level",
            "filing_status",
            "filed_on",
            "filing_no",
            "revised_on",
            "summary",
        ]
        widgets = {"filed_on": DATE, "revised_on": DATE}


class DrillForm(ScopedModelForm):
    class Meta:
        model = Drill
        fields = [
            "plan",
            "territory",
            "enterprise",
            "held_on",
            "form",
            "participants",
            "participant_units",
            "evaluation",
            "issues",
        ]
        widgets = {"held_on": DATE}


class SupplyForm(ScopedModelForm):
    class Meta:
        model = Supply
        fields = [
            "name",
            "category",
            "territory",
            "location",
            "quantity",
            "unit",
            "expiry_date",
            "keeper",
            "keeper_phone",
        ]
        widgets = {"expiry_date": DATE}


class TeamForm(ScopedModelForm):
    class Meta:
        model = RescueTeam
        fields = [
            "name",
            "tier",
            "territory",
            "enterprise",
            "specialties",
            "base_address",
            "leader",
            "phone",
            "member_count",
        ]


class TrainingForm(ScopedModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "topic",
            "audience",
            "organiser",
            "territory",
            "held_on",
            "hours",
            "attendee_count",
            "location",
        ]
        widgets = {"held_on": DATE}


class PublicityForm(ScopedModelForm):
    class Meta:
        model = PublicityActivity
        fields = [
            "title",
            "kind",
            "organiser",
            "territory",
            "held_on",
            "participants",
            "materials",
            "description",
        ]
        widgets = {"held_on": DATE}


class AttendeeForm(ScopedModelForm):
    class Meta:
        model = TrainingAttendee
        fields = ["name", "unit", "passed", "certificate_no", "certificate_expiry"]
        widgets = {"certificate_expiry": DATE}


class MemberForm(ScopedModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role", "skills", "phone"]


class NearbyForm(StyledForm):
    town = forms.ModelChoiceField(label="镇街", queryset=Territory.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = restrict(
            Territory.objects.filter(kind__in=(TerritoryKind.TOWN, TerritoryKind.STREET, TerritoryKind.PARK)),
            user,
        ).order_by("path")


class CountsForm(StyledForm):
    territory = forms.ModelChoiceField(label="区划", queryset=Territory.objects.none())
    start = forms.DateField(label="开始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = restrict(Territory.objects.filter(depth__lte=4), user).order_by(
            "path"
        )
