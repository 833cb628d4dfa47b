"""行政处罚信息公示 for the public (no login). Mounted by anjian/urls.py at "/public/penalties/"."""

from django.urls import path

from . import views_public

app_name = "enforcement_public"

urlpatterns = [
    path("", views_public.penalty_list, name="penalty_list"),
    path("<int:pk>/", views_public.penalty_detail, name="penalty_detail"),
]
