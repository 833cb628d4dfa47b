"""FilterSets shared by pages and API."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .forms import ChipCheckboxes, ChipRadios, ChipsMixin, YesNoAllSelect
from .models import AuditEntry, Organisation, OrganisationKind, Sector, Territory, TerritoryKind, User
from .roles import Role
from .scope import restrict

ALL = "全部"
# A single-choice status with at most this many values is shown as chips; longer lists stay a drop-down.
MAX_CHIPS = 8


MAX_ID = 2**63 - 1  # the largest value of a 64-bit id column


class IdFilter(django_filters.NumberFilter):
    """A record's id (e.g. the hidden `enterprise` of a unit's links): a whole number a 64-bit column holds.

    A plain NumberFilter accepts "-1.2e+68", which the database driver cannot convert (OverflowError, 500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """Every filter form speaks the user's language: "全部" rather than "---------", 全部/是/否 for yes-no
    filters, statuses as toggle chips, dates with the browser's date picker, Bootstrap styling."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            plain_language(super().form)
        return self._form


def is_status(name: str, field) -> bool:
    return name in ("status", "stage") or str(field.label or "").endswith(("状态", "阶段"))


def plain_language(form) -> None:
    for name, field in form.fields.items():
        if isinstance(field, forms.NullBooleanField):
            field.widget = YesNoAllSelect()
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            if is_status(name, field):
                field.widget = ChipCheckboxes(choices=field.choices)
        elif isinstance(field, forms.ModelChoiceField):
            field.empty_label = ALL
        elif isinstance(field, forms.ChoiceField) and hasattr(field, "empty_label"):
            field.empty_label = ALL
            # The form's copy of the widget still iterates the declared field's choices: point it at this one.
            field.widget.choices = field.choices
            if is_status(name, field) and len(field.choices) <= MAX_CHIPS + 1:
                field.widget = ChipRadios(choices=field.choices)
        elif isinstance(field, forms.DateField):
            field.widget.input_type = "date"
        widget = field.widget
        if isinstance(widget, ChipsMixin) or widget.is_hidden:
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class TerritoryFilterMixin(FilterSet):
    """`territory`: a node; matches records in its whole subtree (uses the copied territory_path)."""

    territory = django_filters.ModelChoiceFilter(
        label="区划（含下级）", queryset=Territory.objects.none(), method="filter_territory"
    )
    territory_path_field = "territory_path"

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if "territory" in self.filters:
            self.filters["territory"].queryset = restrict(Territory.objects.filter(depth__lte=4), user)

    @extend_schema_field(OpenApiTypes.INT)  # a territory id
    def filter_territory(self, queryset, name, value):
        return queryset.filter(**{f"{self.territory_path_field}__startswith": value.path})


class SearchFilterMixin(FilterSet):
    q = django_filters.CharFilter(label="搜索", method="filter_search")
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class TerritoryFilter(SearchFilterMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类型", choices=TerritoryKind.choices)
    within = django_filters.ModelChoiceFilter(
        label="上级区划（含下级）", queryset=Territory.objects.filter(depth__lte=3), method="filter_within"
    )
    search_fields = ("name", "code")

    class Meta:
        model = Territory
        fields = ["q", "kind", "within"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["within"].queryset = restrict(
            Territory.objects.filter(depth__lte=3), getattr(request, "user", None)
        )

    @extend_schema_field(OpenApiTypes.INT)  # a territory id
    def filter_within(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path)


class OrganisationFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=OrganisationKind.choices)
    sector = django_filters.ModelChoiceFilter(
        label="监管行业", queryset=Sector.objects.all(), field_name="sectors"
    )
    search_fields = ("name", "short_name")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "territory", "sector"]


class SectorFilter(SearchFilterMixin, django_filters.FilterSet):
    search_fields = ("name", "code")

    class Meta:
        model = Sector
        fields = ["q", "is_active"]


class UserFilter(SearchFilterMixin, TerritoryFilterMixin):
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices)
    is_active = django_filters.BooleanFilter(label="启用")
    search_fields = ("username", "name", "phone")

    class Meta:
        model = User
        fields = ["q", "role", "territory", "is_active"]


class AuditFilter(SearchFilterMixin, django_filters.FilterSet):
    actor = django_filters.CharFilter(label="操作人", field_name="actor_name", lookup_expr="icontains")
    action = django_filters.CharFilter(label="操作", field_name="action", lookup_expr="startswith")
    since = django_filters.DateFilter(label="起始日期", field_name="timestamp", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="timestamp", lookup_expr="date__lte")
    search_fields = ("object_repr", "message", "request_id")

    class Meta:
        model = AuditEntry
        fields = ["q", "actor", "action", "since", "until"]
