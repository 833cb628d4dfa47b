"""Forms of the 督办事项 pages. They only collect input: the rules are in services (errors come back by field)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from anjian.core.forms import StyledForm
from anjian.core.models import Organisation
from anjian.core.scope import restrict

from . import services, uploads
from .models import SourceKind, TaskKind, Urgency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each checked by content and size (core.uploads.check_file)."""

    widget = MultipleFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ofd,.jpg,.jpeg,.png,.zip"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        uploads.check_files(files)  # Chinese reason on the field; the service checks again before storing
        return files


class TaskForm(StyledForm):
    kind = forms.ChoiceField(label="类别", choices=TaskKind.choices, initial=TaskKind.SUPERVISE)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    issuer = forms.ModelChoiceField(label="督办单位", queryset=Organisation.objects.none(), empty_label=None)
    title = forms.CharField(label="事项名称", max_length=200)
    content = forms.CharField(label="督办内容", widget=forms.Textarea(attrs={"rows": 5}))
    basis = forms.CharField(
        label="督办依据",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如会议纪要、上级文件、法规条款",
    )
    lead_units = forms.ModelMultipleChoiceField(
        label="承办单位",
        queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"required": "请至少选择一个承办单位。"},
    )
    assisting_units = forms.ModelMultipleChoiceField(
        label="协办单位",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = forms.DateField(label="办理时限", widget=forms.DateInput(attrs={"type": "date"}))
    materials = forms.CharField(
        label="要求报送的材料",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source_kind = forms.ChoiceField(
        label="来源",
        choices=[
            (SourceKind.NONE, "无"),
            (SourceKind.NOTICE, SourceKind.NOTICE.label),
            (SourceKind.BULLETIN, SourceKind.BULLETIN.label),
        ],
        initial=SourceKind.NONE,
    )
    notice_title = forms.CharField(label="上级文件名称", max_length=200, required=False)
    notice_number = forms.CharField(label="上级文件文号", max_length=80, required=False)
    bulletin = forms.ModelChoiceField(label="考核通报", queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        issuers = services.issuer_choices(user)
        self.fields["issuer"].queryset = issuers
        units = services.unit_choices(user=user)
        self.fields["lead_units"].queryset = units
        self.fields["assisting_units"].queryset = units
        self.fields["lead_units"].label_from_instance = _unit_label
        self.fields["assisting_units"].label_from_instance = _unit_label
        self.fields["bulletin"].queryset = _bulletins(user)
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + timedelta(days=15))

    def clean(self):
        data = super().clean()
        kind = data.get("source_kind")
        if kind == SourceKind.NOTICE and not data.get("notice_title"):
            self.add_error("notice_title", "来源为上级文件时，请填写文件名称。")
        if kind == SourceKind.BULLETIN and not data.get("bulletin"):
            self.add_error("bulletin", "来源为考核通报时，请选择通报。")
        return data

    def source(self):
        data = self.cleaned_data
        if data.get("source_kind") == SourceKind.BULLETIN:
            return data.get("bulletin")
        return None


def _unit_label(org):
    return f"{org.territory.name} · {org}" if org.kind != "department" else str(org)


def _bulletins(user):
    # Read-only use of the assessment app: an issued bulletin may be the source of a task.
    try:
        from anjian.assessment.models import Bulletin, BulletinStatus
    except ImportError:  # pragma: no cover
        return Organisation.objects.none()
    return restrict(Bulletin.objects.filter(status=BulletinStatus.ISSUED), user).order_by("-issued_on", "-id")


class ReportForm(StyledForm):
    text = forms.CharField(label="办理情况", widget=forms.Textarea(attrs={"rows": 4}))
    final = forms.BooleanField(
        label="办理完毕，报送办结材料申请验收",
        required=False,
        help_text="不勾选则只报送阶段性进展",
    )
    files = AttachmentsField(
        label="附件",
        help_text=f"PDF、Word、Excel、OFD、图片或 ZIP，每个不超过 20 MB，最多 {uploads.MAX_FILES} 个",
    )


class ReviewForm(StyledForm):
    decision = forms.ChoiceField(
        label="验收结论",
        choices=[("accept", "验收通过（办结）"), ("return", "退回重办")],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label="验收意见/退回理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回重办必须写明理由",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("opinion") or "").strip():
            self.add_error("opinion", "退回重办必须写明理由。")
        return data


class ExtensionForm(StyledForm):
    new_deadline = forms.DateField(label="申请延期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(StyledForm):
    approve = forms.TypedChoiceField(
        label="审批意见",
        choices=[("1", "同意延期"), ("0", "不同意")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
