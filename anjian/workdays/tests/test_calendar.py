"""The holiday schedule (rules.md R-0.3; 行政处罚法 第八十五条): official days from the package, entered days on
top, and the working-day deadlines of enforcement counted on it."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.enforcement import rules
from anjian.enforcement.services import work_calendar as enforcement_calendar
from anjian.workdays import services
from anjian.workdays.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db

# 国务院办公厅关于2025年、2026年部分节假日安排的通知.
OFFICIAL = [
    ("2025-01-26", True, "春节调休（周日上班）"),
    ("2025-01-28", False, "春节"),
    ("2025-02-04", False, "春节"),
    ("2025-02-05", True, "春节后首个工作日"),
    ("2025-02-08", True, "春节调休（周六上班）"),
    ("2025-05-05", False, "劳动节"),
    ("2025-09-28", True, "国庆调休（周日上班）"),
    ("2025-10-08", False, "国庆节、中秋节"),
    ("2025-10-11", True, "国庆调休（周六上班）"),
    ("2026-01-02", False, "元旦"),
    ("2026-01-04", True, "元旦调休（周日上班）"),
    ("2026-02-14", True, "春节调休（周六上班）"),
    ("2026-02-16", False, "春节"),
    ("2026-02-23", False, "春节"),
    ("2026-02-24", True, "春节后首个工作日"),
    ("2026-02-28", True, "春节调休（周六上班）"),
    ("2026-09-20", True, "国庆调休（周日上班）"),
    ("2026-10-07", False, "国庆节"),
    ("2026-10-08", True, "国庆后首个工作日"),
    ("2026-10-10", True, "国庆调休（周六上班）"),
]


@pytest.mark.parametrize(("day", "working", "why"), OFFICIAL)
def test_official_2025_and_2026_schedule(day, working, why):
    assert services.work_calendar().is_working_day(date.fromisoformat(day)) is working, why


def test_hearing_window_spans_the_spring_festival():
    # Notified on Friday 2026-02-13: 5 working days (第六十四条, 第八十五条) are 2/14 (调休上班), then the
    # holiday 2/15–2/23, then 2/24, 2/25, 2/26, 2/27.
    assert rules.hearing_request_deadline(date(2026, 2, 13), enforcement_calendar()) == date(2026, 2, 27)
    # Weekends alone would have given Friday 2026-02-20, in the middle of the holiday.
    assert rules.hearing_request_deadline(date(2026, 2, 13), rules.WorkCalendar()) == date(2026, 2, 20)


def test_publication_deadline_spans_national_day():
    # Decided on 2026-09-30: 7 working days (安全生产法 第七十八条第二款) are 10/8, 10/9, 10/10 (调休上班),
    # 10/12, 10/13, 10/14, 10/15.
    assert rules.publication_deadline(date(2026, 9, 30), enforcement_calendar()) == date(2026, 10, 15)


def test_an_entered_day_takes_precedence_over_the_package(cast):
    # A year the package does not know yet, entered from the notice.
    assert 2027 in services.missing_years([2026, 2027])
    CalendarDay.objects.create(day=date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦", basis="国办发明电")
    assert services.missing_years([2026, 2027]) == []
    assert not services.work_calendar().is_working_day(date(2027, 1, 1))
    # A correction of a known year: a working day turned holiday, and back when the entry is withdrawn.
    entry = CalendarDay.objects.create(
        day=date(2026, 10, 8), kind=DayKind.HOLIDAY, name="国庆节", basis="更正"
    )
    assert not services.work_calendar().is_working_day(date(2026, 10, 8))
    entry.is_active = False
    entry.save()
    assert services.work_calendar().is_working_day(date(2026, 10, 8))


def test_makeup_workday_must_be_a_weekend_day(cast, client_for):
    response = client_for(cast.sys_admin).post(
        reverse("workdays:day_add"),
        {"day": "2027-02-03", "kind": "workday", "name": "春节", "basis": "国办发明电", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "调休上班日应为周六或周日" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_system_administrator_enters_a_day_with_history(cast, client_for):
    client = client_for(cast.sys_admin)
    data = {"day": "2027-02-06", "kind": "workday", "name": "春节", "basis": "国办发明电", "is_active": "on"}
    response = client.post(reverse("workdays:day_add"), data)
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert services.work_calendar().is_working_day(date(2027, 2, 6))
    duplicate = client.post(reverse("workdays:day_add"), data)
    assert duplicate.status_code == 400 and "该日期已录入" in duplicate.content.decode()
    client.post(reverse("workdays:day_edit", args=[day.pk]), {**data, "note": "通知原文第二条"})
    kind = ContentType.objects.get_for_model(CalendarDay)
    assert AuditEntry.objects.filter(content_type=kind, object_id=str(day.pk)).count() == 2
    page = client.get(day.get_absolute_url()).content.decode()
    assert "通知原文第二条" in page


def test_page_names_the_years_still_missing(cast, client_for):
    page = client_for(cast.office).get(reverse("workdays:day_list")).content.decode()
    this_year = timezone.localdate().year
    missing = services.missing_years([this_year, this_year + 1])
    assert missing, "the package knows no year after its release"
    assert "、".join(map(str, missing)) + " 年节假日安排尚未录入" in page
    for year in missing:
        CalendarDay.objects.create(
            day=date(year, 1, 1), kind=DayKind.HOLIDAY, name="元旦", basis="国办发明电"
        )
    assert "尚未录入" not in client_for(cast.office).get(reverse("workdays:day_list")).content.decode()


def test_day_checker(cast, client_for):
    page = client_for(cast.office).get(reverse("workdays:day_list"), {"check": "2026-02-14"}).content.decode()
    assert "调休上班" in page
    bad = client_for(cast.office).get(reverse("workdays:day_list"), {"check": "2026-13-45"}).content.decode()
    assert "日期格式应为 YYYY-MM-DD" in bad


def test_permission_matrix_pages_and_api(cast, client_for, api_for):
    readers = {
        "office",
        "leader",
        "inspector",
        "inspector_other",
        "town_a_user",
        "town_b_user",
        "grid_a_user",
        "enterprise_a_user",
        "enterprise_b_user",
        "outsider_office",
        "sys_admin",
    }
    for name, user in cast.users().items():
        expected = 200 if name in readers else 403
        assert client_for(user).get(reverse("workdays:day_list")).status_code == expected, name
        assert api_for(user).get("/api/workdays/days/").status_code == expected, name
        can_add = client_for(user).get(reverse("workdays:day_add")).status_code
        assert can_add == (200 if name == "sys_admin" else 403), name
    created = api_for(cast.sys_admin).post(
        "/api/workdays/days/",
        {"day": "2027-10-01", "kind": "holiday", "name": "国庆节", "basis": "国办发明电"},
        format="json",
    )
    assert created.status_code == 201, created.content
    refused = api_for(cast.office).post(
        "/api/workdays/days/",
        {"day": "2027-10-02", "kind": "holiday", "name": "国庆节", "basis": "x"},
        format="json",
    )
    assert refused.status_code == 403
