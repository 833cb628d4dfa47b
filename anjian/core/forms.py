"""Form conventions: Bootstrap widgets, choices limited to the user's scope."""

from django import forms

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


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
