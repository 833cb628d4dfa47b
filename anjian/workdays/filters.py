import django_filters

from anjian.core.filters import SearchFilterMixin

from .models import CalendarDay, DayKind


class CalendarDayFilter(SearchFilterMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="安排", choices=DayKind.choices)
    year = django_filters.NumberFilter(label="年份", field_name="day__year", min_value=1949, max_value=2200)
    search_fields = ("name", "basis", "note")

    class Meta:
        model = CalendarDay
        fields = ["q", "year", "kind", "is_active"]
