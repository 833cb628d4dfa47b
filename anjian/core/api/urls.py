from django.urls import path
from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("territories", viewsets.TerritoryViewSet)
router.register("sectors", viewsets.SectorViewSet)
router.register("organisations", viewsets.OrganisationViewSet)
router.register("users", viewsets.UserViewSet)
router.register("audit", viewsets.AuditEntryViewSet)

urlpatterns = [path("me/", viewsets.me, name="api-me"), *router.urls]
