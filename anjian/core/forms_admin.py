"""Forms for reference data and accounts."""

from django import forms
from django.contrib.auth import password_validation

from . import accounts
from .forms import ScopedModelForm
from .models import Organisation, Sector, Territory, User
from .roles import ADMIN_ROLES, Role


class TerritoryForm(ScopedModelForm):
    class Meta:
        model = Territory
        fields = ["parent", "kind", "code", "name", "retired_on", "sort_order"]
        widgets = {"retired_on": forms.DateInput(attrs={"type": "date"})}


class SectorForm(ScopedModelForm):
    class Meta:
        model = Sector
        fields = ["code", "name", "description", "is_active", "sort_order"]


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "kind",
            "territory",
            "parent",
            "lead_department",
            "sectors",
            "duty_phone",
            "is_active",
            "sort_order",
        ]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].widget.attrs["class"] = "sector-checkboxes"
        self.fields["sectors"].help_text = "管行业必须管安全：勾选本部门负责监管的行业领域。"


class UserForm(ScopedModelForm):
    """The system administrator's account form. Roles are not here: the security administrator grants them."""

    password1 = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False, strip=False)
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput, required=False, strip=False)

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "phone",
            "organisation",
            "territory",
            "enterprise",
            "title",
            "certificate_no",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["password1"], self.fields["password2"]
        else:
            self.fields["password1"].required = self.fields["password2"].required = True
            self.fields["password1"].help_text = password_validation.password_validators_help_text_html()
        if self.instance.pk and accounts.is_admin_role(self.instance.role):
            # 三员分立: an administrator's active state and scope change only through the server-side procedure.
            for name, reason in (
                ("is_active", accounts.REFUSAL_ACTIVE),
                ("territory", accounts.REFUSAL_SCOPE),
            ):
                self.fields[name].disabled = True
                self.fields[name].help_text = reason

    def clean(self):
        data = super().clean()
        if self.instance.pk and "is_active" in data:
            try:
                accounts.check_active_change(self.user, self.instance, data["is_active"])
            except forms.ValidationError as exc:
                self.add_error("is_active", exc)
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.instance)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password1"):
            user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class RoleForm(ScopedModelForm):
    """The security administrator grants one business role. The administrator roles (三员) are neither granted
    nor changed nor revoked here: see core.accounts."""

    class Meta:
        model = User
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        # Every role validates (so that a refused one gets the reason, not "invalid choice"); only the business
        # roles are offered.
        field.choices = [("", "（未授权）"), *Role.choices]
        offered = [(value, label) for value, label in Role.choices if value not in ADMIN_ROLES]
        if accounts.is_admin_role(self.instance.role):
            offered = [(self.instance.role, self.instance.get_role_display())]
            field.help_text = accounts.REFUSAL_ROLE
        field.widget.choices = [("", "（未授权）"), *offered]

    def clean_role(self):
        role = self.cleaned_data["role"]
        accounts.check_role_change(self.user, self.instance, role)
        return role
