"""FilterSets shared by pages and API."""

import django_filters

from anjian.core.filters import FilterSet, SearchFilterMixin, TerritoryFilterMixin

from .models import (
    Delivery,
    Firing,
    KeyPeriod,
    KeyPeriodCategory,
    Notification,
    RecipientGap,
    ReminderRule,
    Step,
)
from .providers import kind_labels


def kind_choices():
    return sorted(kind_labels().items())


class NotificationFilter(SearchFilterMixin, django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=(("unread", "未读"), ("read", "已读")),
        method="filter_state",
        empty_label="全部",
    )
    step = django_filters.ChoiceFilter(label="环节", choices=Step.choices)
    search_fields = ("title", "body")

    def filter_state(self, queryset, name, value):
        return queryset.filter(read_at__isnull=(value == "unread"))

    class Meta:
        model = Notification
        fields = ["q", "state", "step"]


class RuleFilter(FilterSet):
    kind = django_filters.ChoiceFilter(label="期限类型", choices=kind_choices)
    step = django_filters.ChoiceFilter(label="环节", choices=Step.choices)
    is_active = django_filters.BooleanFilter(label="启用")

    class Meta:
        model = ReminderRule
        fields = ["kind", "step", "is_active"]


class FiringFilter(SearchFilterMixin, TerritoryFilterMixin):
    kind = django_filters.ChoiceFilter(label="期限类型", choices=kind_choices)
    step = django_filters.ChoiceFilter(label="环节", choices=Step.choices, field_name="rule__step")
    outcome = django_filters.ChoiceFilter(label="结果", choices=Firing.Outcome.choices)
    open = django_filters.BooleanFilter(label="未办结", field_name="resolved_at", lookup_expr="isnull")
    search_fields = ("title", "recipients")

    class Meta:
        model = Firing
        fields = ["q", "kind", "step", "outcome", "open", "territory"]


class KeyPeriodFilter(SearchFilterMixin, django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    category = django_filters.ChoiceFilter(label="类别", choices=KeyPeriodCategory.choices)
    search_fields = ("name", "notes")

    class Meta:
        model = KeyPeriod
        fields = ["q", "year", "category"]


class DeliveryFilter(TerritoryFilterMixin):
    status = django_filters.ChoiceFilter(label="状态", choices=Delivery.Status.choices)
    channel = django_filters.ChoiceFilter(label="渠道", choices=Delivery._meta.get_field("channel").choices)

    class Meta:
        model = Delivery
        fields = ["status", "channel", "territory"]


class GapFilter(SearchFilterMixin, TerritoryFilterMixin):
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=(("open", "待处理"), ("nobody", "无人接收"), ("resolved", "已解决")),
        method="filter_state",
        empty_label="全部",
    )
    kind = django_filters.ChoiceFilter(label="期限类型", choices=kind_choices)
    search_fields = ("unit_name", "item_title", "fallback")

    def filter_state(self, queryset, name, value):
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        queryset = queryset.filter(resolved_at__isnull=True)
        return queryset.filter(fallback="") if value == "nobody" else queryset

    class Meta:
        model = RecipientGap
        fields = ["q", "state", "kind", "territory"]
