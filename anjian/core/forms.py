"""Form conventions: Bootstrap widgets, choices limited to the user's scope, no control characters."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.deconstruct import deconstructible

from .scope import restrict

# C0 controls, DEL, C1 controls and lone surrogates: invisible, meaningless in a form and illegal in the XML
# of a spreadsheet, so one of them would break every export of the record (and PostgreSQL refuses NUL).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKS = re.compile(r"[\t\n\r]")


@deconstructible
class NoControlCharacters:
    """Refuses control characters; multi-line text may keep tabs and line breaks (\\t \\n \\r)."""

    message = "不能包含控制字符或不可见字符。"
    code = "control_characters"

    def __init__(self, multi_line: bool = False):
        self.multi_line = multi_line

    def __call__(self, value):
        if not isinstance(value, str):
            return
        if CONTROL_CHARACTERS.search(value) or (not self.multi_line and LINE_BREAKS.search(value)):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and self.multi_line == other.multi_line


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Every text field of the form refuses control characters; a textarea may hold line breaks."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not any(
            isinstance(v, NoControlCharacters) for v in field.validators
        ):
            multi_line = isinstance(field.widget, forms.Textarea)
            field.validators = [*field.validators, NoControlCharacters(multi_line=multi_line)]


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field, above it otherwise
    (the service is the one place the rule lives; the form only says where it went wrong)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def bootstrapify(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if field.required:
            widget.attrs.setdefault("required", True)


class ScopedModelForm(forms.ModelForm):
    """A model form whose related-record choices are restricted to what the user may see.

    A record can therefore only be attached to territories, organisations and enterprises in scope; the view
    re-checks the saved record inside the transaction as well.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            spec = getattr(getattr(queryset, "model", None), "scope", None)
            if user is not None and spec is not None and not spec.public:
                field.queryset = restrict(queryset, user)
        bootstrapify(self)
        refuse_control_characters(self)

    def _update_errors(self, errors):
        """Model invariants may name fields this form does not show: report those as form-level errors."""
        if hasattr(errors, "error_dict") and any(f not in self.fields for f in errors.error_dict):
            remapped = {}
            for name, field_errors in errors.error_dict.items():
                if name in self.fields or name == NON_FIELD_ERRORS:
                    remapped.setdefault(name, []).extend(field_errors)
                else:
                    label = self._meta.model._meta.get_field(name).verbose_name
                    remapped.setdefault(NON_FIELD_ERRORS, []).extend(
                        ValidationError(f"{label}：{message}") for e in field_errors for message in e.messages
                    )
            errors = ValidationError(remapped)
        super()._update_errors(errors)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
        refuse_control_characters(self)


# --- filter widgets --------------------------------------------------------------------------------------
class YesNoAllSelect(forms.NullBooleanSelect):
    """全部 / 是 / 否 for a yes-no filter ("全部" submits nothing: the filter is off)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "全部"), ("true", "是"), ("false", "否")]

    def format_value(self, value):
        # A list, as Select expects: compared with a plain string, "" would match every option.
        selected = super().format_value(value)
        return [selected if selected in ("true", "false") else ""]


class ChipsMixin:
    """Options as toggle chips (Bootstrap btn-check): every choice visible, one tap to switch it."""

    template_name = "core/widgets/chips.html"
    option_template_name = "core/widgets/chip.html"
    chips = True  # object_list.html gives chips a whole row


class ChipCheckboxes(ChipsMixin, forms.CheckboxSelectMultiple):
    """Several choices at once (e.g. statuses)."""


class ChipRadios(ChipsMixin, forms.RadioSelect):
    """One choice, "全部" first."""
