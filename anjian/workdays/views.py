from datetime import date

from django.utils import timezone

from anjian.core.tables import Column
from anjian.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filters import CalendarDayFilter
from .forms import CalendarDayForm
from .models import CalendarDay


class CalendarDayList(ObjectListView):
    model = CalendarDay
    permission = "workdays.view_calendarday"
    filterset_class = CalendarDayFilter
    title = "节假日安排"
    ordering = ("-day", "-id")
    export_name = "节假日安排"
    add_url = "workdays:day_add"
    add_permission = "workdays.change_calendarday"
    template_name = "workdays/day_list.html"
    columns = [
        Column("日期", "day", link=True),
        Column("安排", "get_kind_display"),
        Column("节日", "name"),
        Column("依据", "basis"),
        Column("有效", "is_active"),
    ]

    def extra_context(self):
        this_year = timezone.localdate().year
        checked = self.request.GET.get("check", "")
        try:
            check_day = date.fromisoformat(checked) if checked else None
        except ValueError:
            check_day = None
        return {
            "package_years": sorted(services.package_years()),
            "missing_years": services.missing_years(range(this_year, this_year + 2)),
            "check_day": check_day,
            "check_error": "日期格式应为 YYYY-MM-DD。" if checked and check_day is None else "",
            "check_status": services.day_status(check_day) if check_day else "",
        }


class CalendarDayDetail(ObjectDetailView):
    model = CalendarDay
    permission = "workdays.view_calendarday"
    change_permission = "workdays.change_calendarday"
    edit_url = "workdays:day_edit"
    template_name = "workdays/day_detail.html"


class CalendarDayEdit(ObjectEditView):
    model = CalendarDay
    form_class = CalendarDayForm
    add_permission = change_permission = "workdays.change_calendarday"
    title_add, title_change = "录入节假日安排", "修改节假日安排"
