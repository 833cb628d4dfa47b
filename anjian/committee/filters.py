"""FilterSets shared by the committee pages and API."""

import django_filters
from django.db.models import Q

from anjian.core.filters import FilterSet, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Organisation, Sector

from .models import (
    COMMITTEE_KINDS,
    LIST_KINDS,
    DutyCategory,
    DutyItem,
    DutyStatus,
    Meeting,
    MeetingDecision,
    MeetingKind,
    Membership,
)

COMMITTEE_KIND_CHOICES = [(k.value, k.label) for k in COMMITTEE_KINDS]
UNIT_KIND_CHOICES = [(k.value, k.label) for k in LIST_KINDS]


def _committees(request):
    from .services import readable

    user = getattr(request, "user", None)
    return readable(Organisation.objects.filter(kind__in=COMMITTEE_KINDS), user).order_by(
        "territory_path", "kind", "sort_order"
    )


class CommitteeFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=COMMITTEE_KIND_CHOICES)
    search_fields = ("name", "short_name")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "territory"]


class MembershipFilter(SearchFilterMixin, FilterSet):
    committee = django_filters.ModelChoiceFilter(label="安委会/专委会", queryset=Organisation.objects.none())
    current = django_filters.BooleanFilter(label="在任成员", method="filter_current")
    on = django_filters.DateFilter(label="截至日期", method="filter_on")
    search_fields = ("organisation__name", "organisation__short_name", "liaison_name")

    class Meta:
        model = Membership
        fields = ["q", "committee", "current", "on"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["committee"].queryset = _committees(request)

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(end_date__isnull=value)

    def filter_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value).filter(Q(end_date__isnull=True) | Q(end_date__gt=value))


class UnitFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="类型", choices=UNIT_KIND_CHOICES)
    sector = django_filters.ModelChoiceFilter(
        label="监管行业", queryset=Sector.objects.all(), field_name="sectors"
    )
    search_fields = ("name", "short_name")

    class Meta:
        model = Organisation
        fields = ["q", "kind", "sector", "territory"]


class DutyItemFilter(SearchFilterMixin, FilterSet):
    organisation = django_filters.ModelChoiceFilter(label="责任单位", queryset=Organisation.objects.none())
    category = django_filters.ChoiceFilter(label="类别", choices=DutyCategory.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=DutyStatus.choices)
    search_fields = ("text", "basis")

    class Meta:
        model = DutyItem
        fields = ["q", "organisation", "category", "status", "is_active"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from .services import readable

        self.filters["organisation"].queryset = readable(
            Organisation.objects.filter(kind__in=LIST_KINDS), getattr(request, "user", None)
        )


class MeetingFilter(SearchFilterMixin, FilterSet):
    committee = django_filters.ModelChoiceFilter(label="安委会/专委会", queryset=Organisation.objects.none())
    kind = django_filters.ChoiceFilter(label="会议类型", choices=MeetingKind.choices)
    held_after = django_filters.DateFilter(label="会议日期自", field_name="held_on", lookup_expr="gte")
    held_before = django_filters.DateFilter(label="会议日期至", field_name="held_on", lookup_expr="lte")
    search_fields = ("title", "place", "chaired_by", "minutes")

    class Meta:
        model = Meeting
        fields = ["q", "committee", "kind", "held_after", "held_before"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["committee"].queryset = _committees(request)


class DecisionFilter(SearchFilterMixin, FilterSet):
    supervised = django_filters.BooleanFilter(label="已转督办", method="filter_supervised")
    due_before = django_filters.DateFilter(label="完成时限至", field_name="deadline", lookup_expr="lte")
    search_fields = ("content",)

    class Meta:
        model = MeetingDecision
        fields = ["q", "supervised", "due_before"]

    def filter_supervised(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(task_id__isnull=not value)
