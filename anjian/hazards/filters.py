"""Hazard filters, shared by the list page, its Excel export and the API. Every filter maps onto an indexed
column of Hazard (territory_path prefix, status, grade, sector, is_overdue, supervision level, enterprise)."""

import django_filters
from django import forms

from anjian.core.filters import IdFilter, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Sector

from .models import Grade, Hazard, Source, Status, SupervisionLevel


class HazardFilter(SearchFilterMixin, TerritoryFilterMixin):
    # distinct=False: status is a column of the hazard itself, a join-free filter needs no DISTINCT.
    status = django_filters.MultipleChoiceFilter(label="状态", choices=Status.choices, distinct=False)
    grade = django_filters.ChoiceFilter(label="级别", choices=Grade.choices)
    sector = django_filters.ModelChoiceFilter(
        label="行业领域", queryset=Sector.objects.filter(is_active=True)
    )
    is_overdue = django_filters.BooleanFilter(label="已逾期")
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices)
    supervision_level = django_filters.ChoiceFilter(label="挂牌督办", choices=SupervisionLevel.choices)
    open = django_filters.BooleanFilter(label="未销号", method="filter_open")
    major_basis_pending = django_filters.BooleanFilter(label="待补充判定依据")
    enterprise = IdFilter(label="单位编号", field_name="enterprise_id", widget=forms.HiddenInput)
    found_after = django_filters.DateFilter(label="发现日期起", field_name="found_on", lookup_expr="gte")
    found_before = django_filters.DateFilter(label="发现日期止", field_name="found_on", lookup_expr="lte")
    search_fields = ("number", "description", "enterprise__name", "location")

    class Meta:
        model = Hazard
        fields = [
            "q",
            "territory",
            "status",
            "grade",
            "sector",
            "is_overdue",
            "open",
            "supervision_level",
            "source",
            "major_basis_pending",
            "enterprise",
            "found_after",
            "found_before",
        ]

    def filter_open(self, queryset, name, value):
        from .models import OPEN_STATUSES

        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)
        )
