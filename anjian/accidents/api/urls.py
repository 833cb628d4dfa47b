from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("accidents", viewsets.AccidentViewSet, basename="accident")
router.register("hops", viewsets.ReportHopViewSet, basename="reporthop")

urlpatterns = router.urls
