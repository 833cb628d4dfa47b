from django.urls import path
from rest_framework.routers import DefaultRouter

from . import exports, imports, tokens, viewsets

router = DefaultRouter()
router.register("territories", viewsets.TerritoryViewSet)
router.register("sectors", viewsets.SectorViewSet)
router.register("organisations", viewsets.OrganisationViewSet)
router.register("users", viewsets.UserViewSet)
router.register("audit", viewsets.AuditEntryViewSet)
router.register("tokens", tokens.ApiTokenViewSet, basename="apitoken")

urlpatterns = [
    path("me/", viewsets.me, name="api-me"),
    *imports.urlpatterns,
    *exports.urlpatterns,
    *router.urls,
]
