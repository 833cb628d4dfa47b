from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("new/", views.HazardRegisterView.as_view(), name="hazard_add"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("<int:pk>/do/<slug:action>/", views.HazardActionView.as_view(), name="hazard_action"),
    path("<int:pk>/order.<str:fmt>", views.RectificationOrderView.as_view(), name="rectification_order"),
    path("reviews/<int:pk>/opinion.<str:fmt>", views.ReviewOpinionView.as_view(), name="review_opinion"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
]
