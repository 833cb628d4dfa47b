"""FilterSets shared by the pages and the API."""

import django_filters
from django import forms

from anjian.core.filters import IdFilter, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Sector

from .models import (
    Audience,
    Drill,
    DutyLogEntry,
    DutyLogKind,
    DutyRoster,
    EmergencyPlan,
    FilingStatus,
    PlanKind,
    PlanOwner,
    PublicityActivity,
    PublicityKind,
    RescueTeam,
    Supply,
    TeamTier,
    Tip,
    TipChannel,
    TipKind,
    TipStatus,
    TrainingSession,
    WarningLevel,
    WarningNotice,
    WarningType,
    WeatherWarning,
)


class TipFilter(SearchFilterMixin, TerritoryFilterMixin):
    # Narrows the list to one unit (links from the unit's file, 一企一档); kept while other filters change.
    enterprise = IdFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    status = django_filters.ChoiceFilter(label="状态", choices=TipStatus.choices)
    channel = django_filters.ChoiceFilter(label="渠道", choices=TipChannel.choices)
    kind = django_filters.ChoiceFilter(label="类型", choices=TipKind.choices)
    urgent = django_filters.BooleanFilter(label="紧急")
    sector = django_filters.ModelChoiceFilter(label="行业", queryset=Sector.objects.all())
    search_fields = ("content", "unit_name", "address", "hotline_order_no")

    class Meta:
        model = Tip
        fields = ["q", "status", "channel", "kind", "urgent", "sector", "territory", "enterprise"]


class WarningFilter(SearchFilterMixin, TerritoryFilterMixin):
    warning_type = django_filters.ChoiceFilter(label="类型", choices=WarningType.choices)
    level = django_filters.ChoiceFilter(label="级别", choices=WarningLevel.choices)
    since = django_filters.DateFilter(label="起始日期", field_name="starts_at", lookup_expr="date__gte")
    search_fields = ("title", "content")

    class Meta:
        model = WeatherWarning
        fields = ["q", "warning_type", "level", "since", "territory"]


class NoticeFilter(TerritoryFilterMixin):
    # Narrows the list to one unit (links from the unit's file, 一企一档); kept while other filters change.
    enterprise = IdFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    acknowledged = django_filters.BooleanFilter(
        label="已签收", field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )
    warning = IdFilter(label="预警编号", field_name="warning_id", widget=forms.HiddenInput)

    class Meta:
        model = WarningNotice
        fields = ["warning", "acknowledged", "territory", "enterprise"]


class RosterFilter(SearchFilterMixin, TerritoryFilterMixin):
    search_fields = ("title", "organisation__name")

    class Meta:
        model = DutyRoster
        fields = ["q", "territory"]


class DutyLogFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类别", choices=DutyLogKind.choices)
    since = django_filters.DateFilter(label="起始日期", field_name="occurred_at", lookup_expr="date__gte")
    search_fields = ("summary", "caller", "action_taken")

    class Meta:
        model = DutyLogEntry
        fields = ["q", "kind", "since", "territory"]


class PlanFilter(SearchFilterMixin, TerritoryFilterMixin):
    owner = django_filters.ChoiceFilter(label="编制主体", choices=PlanOwner.choices)
    kind = django_filters.ChoiceFilter(label="类别", choices=PlanKind.choices)
    filing_status = django_filters.ChoiceFilter(label="备案状态", choices=FilingStatus.choices)
    revised_before = django_filters.DateFilter(label="修订早于", field_name="revised_on", lookup_expr="lt")
    search_fields = ("title", "level")

    class Meta:
        model = EmergencyPlan
        fields = ["q", "owner", "kind", "filing_status", "revised_before", "territory"]


class DrillFilter(SearchFilterMixin, TerritoryFilterMixin):
    since = django_filters.DateFilter(label="起始日期", field_name="held_on", lookup_expr="gte")
    search_fields = ("plan__title", "participant_units", "issues")

    class Meta:
        model = Drill
        fields = ["q", "since", "territory"]


class SupplyFilter(SearchFilterMixin, TerritoryFilterMixin):
    category = django_filters.CharFilter(label="类别", lookup_expr="icontains")
    expires_before = django_filters.DateFilter(label="有效期早于", field_name="expiry_date", lookup_expr="lt")
    search_fields = ("name", "location", "keeper")

    class Meta:
        model = Supply
        fields = ["q", "category", "expires_before", "territory"]


class TeamFilter(SearchFilterMixin, TerritoryFilterMixin):
    tier = django_filters.ChoiceFilter(label="类别", choices=TeamTier.choices)
    search_fields = ("name", "specialties", "leader", "members__skills")

    class Meta:
        model = RescueTeam
        fields = ["q", "tier", "territory"]

    def filter_search(self, queryset, name, value):
        return super().filter_search(queryset, name, value).distinct()


class TrainingFilter(SearchFilterMixin, TerritoryFilterMixin):
    audience = django_filters.ChoiceFilter(label="培训对象", choices=Audience.choices)
    since = django_filters.DateFilter(label="起始日期", field_name="held_on", lookup_expr="gte")
    search_fields = ("topic", "location")

    class Meta:
        model = TrainingSession
        fields = ["q", "audience", "since", "territory"]


class PublicityFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=PublicityKind.choices)
    since = django_filters.DateFilter(label="起始日期", field_name="held_on", lookup_expr="gte")
    search_fields = ("title", "description")

    class Meta:
        model = PublicityActivity
        fields = ["q", "kind", "since", "territory"]
