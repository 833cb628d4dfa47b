from django import forms

from anjian.core.forms import ScopedModelForm, bootstrapify

from .models import KeyPeriod, Preference, ReminderRule
from .providers import kind_labels


class RuleForm(ScopedModelForm):
    kind = forms.ChoiceField(label="期限类型")

    class Meta:
        model = ReminderRule
        fields = ["kind", "step", "offset", "unit", "level", "via_inbox", "via_email", "via_sms", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, f"{v}（{k}）") for k, v in sorted(kind_labels().items())]
        bootstrapify(self)


class KeyPeriodForm(ScopedModelForm):
    class Meta:
        model = KeyPeriod
        fields = [
            "name",
            "category",
            "year",
            "start_date",
            "end_date",
            "territory",
            "raises_inspection_frequency",
            "requires_pre_holiday_check",
            "requires_duty",
            "enables_bulletins",
            "notes",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class PreferenceForm(ScopedModelForm):
    class Meta:
        model = Preference
        fields = ["email", "sms"]
