from anjian.core.api.views import ScopedModelViewSet

from ..filters import CalendarDayFilter
from ..models import CalendarDay
from . import serializers


class CalendarDayViewSet(ScopedModelViewSet):
    queryset = CalendarDay.objects.all()
    serializer_class = serializers.CalendarDaySerializer
    filterset_class = CalendarDayFilter
    permissions = {"read": "workdays.view_calendarday", "write": "workdays.change_calendarday"}
