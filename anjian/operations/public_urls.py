"""Public pages (no login). Mounted by anjian/urls.py at "/public/" (the login middleware lets /public/ through)."""

from django.urls import path

from .views import public

app_name = "operations_public"

urlpatterns = [
    path("tip/", public.tip_submit, name="tip_submit"),
    path("tip/status/", public.tip_status, name="tip_status"),
    path("tip/qr.png", public.tip_qr, name="tip_qr"),
]
