from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("enterprises", viewsets.EnterpriseViewSet)
router.register("riskpoints", viewsets.RiskPointViewSet)
router.register("licences", viewsets.LicenceViewSet)
router.register("chemicals", viewsets.HazardousChemicalViewSet)
router.register("majorhazards", viewsets.MajorHazardSourceViewSet)
router.register("projects", viewsets.ConstructionProjectViewSet)
router.register("equipment", viewsets.SpecialEquipmentViewSet)
router.register("blacklist", viewsets.BlacklistEntryViewSet)
router.register("closures", viewsets.ClosureRecordViewSet)

urlpatterns = router.urls
