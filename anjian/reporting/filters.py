import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from anjian.core.filters import SearchFilterMixin, TerritoryFilterMixin
from anjian.core.roles import Role
from anjian.core.scope import restrict

from .models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    Frequency,
    Report,
    ReporterKind,
    ReportStatus,
    ReportTemplate,
)

TIMELINESS = (
    ("done", "已报送"),
    ("open", "未报送"),
    ("missing", "未报（已过截止日）"),
    ("bad", "迟报或未报"),
)


class ReportFilter(SearchFilterMixin, TerritoryFilterMixin):
    template = django_filters.ModelChoiceFilter(label="报表", queryset=ReportTemplate.objects.none())
    period = django_filters.DateFilter(label="报告期（起始日）", field_name="period_start")
    status = django_filters.MultipleChoiceFilter(label="状态", choices=ReportStatus.choices)
    late = django_filters.BooleanFilter(label="迟报", field_name="is_late")
    timeliness = django_filters.ChoiceFilter(label="报送情况", choices=TIMELINESS, method="filter_timeliness")
    mine = django_filters.BooleanFilter(label="本单位填报", method="filter_mine")
    due_after = django_filters.DateFilter(label="截止日从", field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(label="截止日至", field_name="due_date", lookup_expr="lte")
    search_fields = ("reporter_name", "period_label", "narrative")

    class Meta:
        model = Report
        fields = [
            "q",
            "template",
            "period",
            "status",
            "timeliness",
            "late",
            "mine",
            "territory",
            "due_after",
            "due_before",
        ]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None and user.role == Role.ENTERPRISE:
            # Enterprises have no territory-wide scope: they choose among the templates they report on.
            templates = ReportTemplate.objects.filter(
                reports__reporter_enterprise_id=user.enterprise_id
            ).distinct()
        else:
            templates = restrict(ReportTemplate.objects.all(), user)
        self.filters["template"].queryset = templates

    def filter_timeliness(self, queryset, name, value):
        today = timezone.localdate()
        done = Q(status__in=DONE_STATUSES)
        if value == "done":
            return queryset.filter(done)
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == "missing":
            return queryset.filter(~done, due_date__lt=today)
        if value == "bad":
            return queryset.filter(Q(is_late=True) | (~done & Q(due_date__lt=today)))
        return queryset

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None:
            return queryset
        if user.role == Role.ENTERPRISE:
            return queryset.filter(reporter_enterprise_id=user.enterprise_id)
        return queryset.filter(reporter_org_id=user.organisation_id, reporter_org__isnull=False)


class TemplateFilter(SearchFilterMixin, django_filters.FilterSet):
    frequency = django_filters.ChoiceFilter(label="频次", choices=Frequency.choices)
    reporter_kind = django_filters.ChoiceFilter(label="报送单位", choices=ReporterKind.choices)
    is_active = django_filters.BooleanFilter(label="启用")
    search_fields = ("name", "code", "description")

    class Meta:
        model = ReportTemplate
        fields = ["q", "frequency", "reporter_kind", "is_active"]
