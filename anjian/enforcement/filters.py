"""FilterSets shared by the pages and the API."""

import django_filters
from django import forms

from anjian.core.filters import IdFilter, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Sector

from .models import (
    MEASURE_CHOICES,
    STAGE_CHOICES,
    Case,
    FindingSource,
    PartyKind,
    Provision,
    SourceKind,
    Talk,
    TalkKind,
    TalkTarget,
    ViolationFinding,
)


class ProvisionFilter(SearchFilterMixin, django_filters.FilterSet):
    party_kind = django_filters.ChoiceFilter(label="处罚对象", choices=PartyKind.choices)
    measure = django_filters.ChoiceFilter(
        label="可采取措施", choices=MEASURE_CHOICES, method="filter_measure"
    )
    search_fields = ("code", "law", "article", "violation", "penalty_text")

    class Meta:
        model = Provision
        fields = ["q", "party_kind", "measure", "is_active"]

    def filter_measure(self, queryset, name, value):
        # JSON containment is not portable to SQLite; the library is small (tens of rows).
        ids = [p.pk for p in queryset if value in (p.measures_allowed or [])]
        return queryset.filter(pk__in=ids)


class CaseFilter(SearchFilterMixin, TerritoryFilterMixin):
    # Narrows the list to one unit (links from the unit's file, 一企一档); kept while other filters change.
    enterprise = IdFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    stage = django_filters.ChoiceFilter(label="阶段", choices=STAGE_CHOICES)
    source_kind = django_filters.ChoiceFilter(label="来源", choices=SourceKind.choices)
    sector = django_filters.ModelChoiceFilter(label="行业领域", queryset=Sector.objects.all())
    filed_after = django_filters.DateFilter(label="立案起", field_name="filed_on", lookup_expr="gte")
    filed_before = django_filters.DateFilter(label="立案止", field_name="filed_on", lookup_expr="lte")
    search_fields = ("number", "title", "party_name", "enterprise__name", "facts")

    class Meta:
        model = Case
        fields = [
            "q",
            "stage",
            "source_kind",
            "territory",
            "sector",
            "filed_after",
            "filed_before",
            "enterprise",
        ]


class FindingFilter(SearchFilterMixin, TerritoryFilterMixin):
    source = django_filters.ChoiceFilter(label="来源", choices=FindingSource.choices)
    linked = django_filters.BooleanFilter(
        label="已立案", field_name="case", lookup_expr="isnull", exclude=True
    )
    is_major_hazard = django_filters.BooleanFilter(label="重大事故隐患")
    search_fields = ("description", "enterprise__name", "source_reference")

    class Meta:
        model = ViolationFinding
        fields = ["q", "source", "territory", "linked", "is_major_hazard"]


class TalkFilter(SearchFilterMixin, TerritoryFilterMixin):
    # Narrows the list to one unit (links from the unit's file, 一企一档); kept while other filters change.
    enterprise = IdFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    kind = django_filters.ChoiceFilter(label="类型", choices=TalkKind.choices)
    target_kind = django_filters.ChoiceFilter(label="对象", choices=TalkTarget.choices)
    held_after = django_filters.DateFilter(label="约谈起", field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(label="约谈止", field_name="held_on", lookup_expr="lte")
    search_fields = ("reasons", "enterprise__name", "target_organisation__name", "attendees")

    class Meta:
        model = Talk
        fields = ["q", "kind", "target_kind", "territory", "held_after", "held_before", "enterprise"]
