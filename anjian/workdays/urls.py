from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.CalendarDayList.as_view(), name="day_list"),
    path("add/", views.CalendarDayEdit.as_view(), name="day_add"),
    path("<int:pk>/", views.CalendarDayDetail.as_view(), name="day_detail"),
    path("<int:pk>/edit/", views.CalendarDayEdit.as_view(), name="day_edit"),
]
