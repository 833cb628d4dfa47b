"""Form conventions: Bootstrap widgets, choices limited to the user's scope."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from .scope import restrict


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
