from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/data.json", views.MapData.as_view(), name="map_data"),
    path("map/boundaries.geojson", views.MapBoundaries.as_view(), name="map_boundaries"),
    path("map/boundaries/import/", views.BoundaryImportView.as_view(), name="boundary_import"),
]
