from django import forms

from anjian.core.forms import ScopedModelForm

from .models import CalendarDay

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarDayForm(ScopedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "kind", "name", "basis", "note", "is_active"]
        widgets = {"day": DATE}
        error_messages = {"day": {"unique": "该日期已录入，请修改已有记录。"}}
