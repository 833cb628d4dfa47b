"""FilterSets shared by pages and API."""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import AuditEntry, Organisation, OrganisationKind, Sector, Territory, TerritoryKind, User
from .roles import Role
from .scope import restrict


class TerritoryFilterMixin(django_filters.FilterSet):
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


class SearchFilterMixin(django_filters.FilterSet):
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
