"""督办事项 filters, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import SearchFilterMixin
from anjian.core.models import Organisation, Territory
from anjian.core.scope import restrict

from . import services
from .models import Assignment, SourceKind, Task, TaskKind, TaskStatus, Urgency


def _organisations(request, kinds):
    user = getattr(request, "user", None)
    return restrict(Organisation.objects.filter(kind__in=kinds, is_active=True), user).order_by(
        "territory_path", "kind", "sort_order", "name"
    )


class TaskFilter(SearchFilterMixin):
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    kind = django_filters.ChoiceFilter(label="类别", choices=TaskKind.choices)
    urgency = django_filters.ChoiceFilter(label="紧急程度", choices=Urgency.choices)
    source_kind = django_filters.ChoiceFilter(label="来源", choices=SourceKind.choices)
    issuer = django_filters.ModelChoiceFilter(label="督办单位", queryset=Organisation.objects.none())
    unit = django_filters.ModelChoiceFilter(
        label="承办单位", queryset=Organisation.objects.none(), method="filter_unit"
    )
    overdue = django_filters.BooleanFilter(label="逾期未办结", method="filter_overdue")
    late = django_filters.BooleanFilter(label="有逾期报送", method="filter_late")
    overdue_or_late = django_filters.BooleanFilter(
        label="逾期（未办结或逾期报送）", method="filter_overdue_or_late"
    )
    unit_territory = django_filters.ModelChoiceFilter(
        label="承办单位所在区划（含下级）", queryset=Territory.objects.none(), method="filter_unit_territory"
    )
    year = django_filters.NumberFilter(
        label="年份", field_name="issued_on__year", min_value=2000, max_value=2200
    )
    search_fields = ("number", "title", "content")

    class Meta:
        model = Task
        fields = [
            "q",
            "status",
            "kind",
            "urgency",
            "source_kind",
            "issuer",
            "unit",
            "unit_territory",
            "overdue",
            "late",
            "overdue_or_late",
            "year",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["issuer"].queryset = _organisations(request, services.ISSUER_KINDS)
        self.filters["unit"].queryset = _organisations(request, services.UNIT_KINDS)
        self.filters["unit_territory"].queryset = restrict(
            Territory.objects.filter(depth__lte=4), getattr(request, "user", None)
        )

    @extend_schema_field(OpenApiTypes.INT)  # an organisation id
    def filter_unit(self, queryset, name, value):
        if value is None:
            return queryset
        parts = Assignment.objects.filter(task=OuterRef("pk"), unit=value)
        return queryset.filter(Exists(parts))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late_parts = Assignment.objects.filter(services.overdue_assignments_q(), task=OuterRef("pk"))
        return queryset.filter(Exists(late_parts)) if value else queryset.exclude(Exists(late_parts))

    @extend_schema_field(OpenApiTypes.INT)  # a territory id
    def filter_unit_territory(self, queryset, name, value):
        if value is None:
            return queryset
        parts = Assignment.objects.filter(task=OuterRef("pk"), territory_path__startswith=value.path)
        return queryset.filter(Exists(parts))

    def filter_overdue_or_late(self, queryset, name, value):
        if value is None:
            return queryset
        parts = Assignment.objects.filter(
            services.overdue_assignments_q() | Q(reported_late=True), task=OuterRef("pk")
        )
        return queryset.filter(Exists(parts)) if value else queryset.exclude(Exists(parts))

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late_parts = Assignment.objects.filter(task=OuterRef("pk"), reported_late=True)
        return queryset.filter(Exists(late_parts)) if value else queryset.exclude(Exists(late_parts))
