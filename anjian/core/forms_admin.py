"""Forms for reference data and accounts."""

from django import forms
from django.contrib.auth import password_validation

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

    def clean(self):
        data = super().clean()
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
    """The security administrator grants one role. An administrator role cannot be granted to oneself."""

    class Meta:
        model = User
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "（未授权）"), *Role.choices]

    def clean_role(self):
        role = self.cleaned_data["role"]
        if self.user is not None and self.instance.pk == self.user.pk:
            raise forms.ValidationError("不能修改自己的角色。")
        if role in ADMIN_ROLES and self.user is not None and self.user.role != Role.SEC_ADMIN:
            raise forms.ValidationError("只有安全管理员可以授予管理员角色。")
        return role
