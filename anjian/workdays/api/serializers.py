from anjian.core.api.serializers import ScopedModelSerializer

from ..models import CalendarDay


class CalendarDaySerializer(ScopedModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["id", "day", "kind", "name", "basis", "note", "is_active"]
