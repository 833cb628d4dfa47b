import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import FilterSet, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Organisation
from anjian.core.scope import restrict

from .access import visits_for
from .models import (
    CATEGORY_CHOICES,
    OVERDUE_STATUSES,
    OversightVisit,
    Problem,
    ProblemStatus,
    VisitKind,
    VisitStatus,
)


def overdue_q(today=None) -> Q:
    """逾期: not yet reported done and the deadline has passed (derived, never stored)."""
    today = today or timezone.localdate()
    return Q(status__in=OVERDUE_STATUSES, deadline__lt=today)


class ProblemFilter(SearchFilterMixin, TerritoryFilterMixin):
    visit = django_filters.ModelChoiceFilter(label="督查", queryset=OversightVisit.objects.none())
    kind = django_filters.ChoiceFilter(label="督查类型", field_name="visit__kind", choices=VisitKind.choices)
    responsible_unit = django_filters.ModelChoiceFilter(
        label="整改责任单位", queryset=Organisation.objects.none()
    )
    status = django_filters.MultipleChoiceFilter(label="状态", choices=ProblemStatus.choices)
    category = django_filters.ChoiceFilter(label="问题类别", choices=CATEGORY_CHOICES)
    overdue = django_filters.BooleanFilter(label="逾期", method="filter_overdue")
    open = django_filters.BooleanFilter(label="未销号", method="filter_open")
    year = django_filters.NumberFilter(
        label="年度", field_name="visit__start_on__year", min_value=2000, max_value=2100
    )
    due_after = django_filters.DateFilter(label="整改时限起", field_name="deadline", lookup_expr="gte")
    due_before = django_filters.DateFilter(label="整改时限止", field_name="deadline", lookup_expr="lte")
    search_fields = ("description", "responsible_person", "measures", "basis")

    class Meta:
        model = Problem
        fields = [
            "q",
            "visit",
            "kind",
            "responsible_unit",
            "territory",
            "status",
            "category",
            "overdue",
            "open",
            "year",
            "due_after",
            "due_before",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        self.filters["visit"].queryset = visits_for(user).order_by("-start_on", "-id")
        self.filters["responsible_unit"].queryset = restrict(
            Organisation.objects.filter(is_active=True), user
        ).exclude(kind="committee")

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        closed = Q(status=ProblemStatus.CLOSED)
        return queryset.exclude(closed) if value else queryset.filter(closed)


class VisitFilter(SearchFilterMixin, FilterSet):
    kind = django_filters.ChoiceFilter(label="督查类型", choices=VisitKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=VisitStatus.choices)
    year = django_filters.NumberFilter(
        label="年度", field_name="start_on__year", min_value=2000, max_value=2100
    )
    search_fields = ("title", "number", "inspecting_body_name", "leader", "members")

    class Meta:
        model = OversightVisit
        fields = ["q", "kind", "status", "year"]
