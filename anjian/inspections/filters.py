"""FilterSets shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from anjian.core.filters import IdFilter, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Sector
from anjian.core.scope import scope_for
from anjian.registry.models import Enterprise, RiskColour

from .models import (
    Inspection,
    InspectionPlan,
    InspectionStatus,
    InspectionTask,
    Kind,
    Level,
    PlanKind,
    PlanStatus,
    TaskStatus,
)


class PlanFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=PlanKind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=PlanStatus.choices)
    year = django_filters.NumberFilter(label="年度")
    search_fields = ("name", "number")

    class Meta:
        model = InspectionPlan
        fields = ["q", "kind", "status", "year", "territory"]


class TaskFilter(SearchFilterMixin, TerritoryFilterMixin):
    mine = django_filters.BooleanFilter(label="只看我的任务", method="filter_mine")
    status = django_filters.ChoiceFilter(label="状态", choices=TaskStatus.choices)
    due_before = django_filters.DateFilter(label="期限不晚于", field_name="due_date", lookup_expr="lte")
    plan = IdFilter(label="计划", field_name="plan_id", widget=forms.HiddenInput)
    search_fields = ("enterprise__name", "plan__name")

    class Meta:
        model = InspectionTask
        fields = ["q", "mine", "status", "due_before", "territory", "plan"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        through = InspectionTask.co_inspectors.through
        co = through.objects.filter(inspectiontask=OuterRef("pk"), user=user)
        return queryset.filter(Q(inspector=user) | Q(Exists(co)))


class InspectionFilter(SearchFilterMixin, TerritoryFilterMixin):
    # Narrows the list to one unit (links from the unit's file, 一企一档); kept while other filters change.
    enterprise = IdFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    level = django_filters.ChoiceFilter(label="层级", choices=Level.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=Kind.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=InspectionStatus.choices)
    sector = django_filters.ModelChoiceFilter(
        label="行业领域", queryset=Sector.objects.filter(is_active=True)
    )
    since = django_filters.DateFilter(label="检查日期起", field_name="inspected_on", lookup_expr="gte")
    until = django_filters.DateFilter(label="检查日期止", field_name="inspected_on", lookup_expr="lte")
    search_fields = ("number", "enterprise__name")

    class Meta:
        model = Inspection
        fields = ["q", "level", "kind", "status", "sector", "since", "until", "territory", "enterprise"]


class TargetingFilter(SearchFilterMixin, TerritoryFilterMixin):
    """The units of the risk ranking (registry Enterprise): town, sector, colour, name."""

    sector = django_filters.ModelChoiceFilter(
        label="行业领域",
        queryset=Sector.objects.filter(is_active=True),
        field_name="sectors",  # (for the schema's type; filter_sector does the filtering)
        method="filter_sector",
    )
    risk_level = django_filters.ChoiceFilter(label="风险等级", choices=RiskColour.choices)
    search_fields = ("name", "credit_code")

    class Meta:
        model = Enterprise
        fields = ["q", "territory", "sector", "risk_level"]

    def filter_sector(self, queryset, name, value):
        # EXISTS on the link table rather than a join + DISTINCT over every unit of the territory.
        through = Enterprise.sectors.through
        return queryset.filter(Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector=value)))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        sector_ids = scope_for(getattr(request, "user", None)).sector_ids
        if sector_ids is not None:  # a department chooses among the sectors it supervises
            self.filters["sector"].queryset = Sector.objects.filter(pk__in=sector_ids, is_active=True)
