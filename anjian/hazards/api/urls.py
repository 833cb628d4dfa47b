from rest_framework.routers import DefaultRouter

from .views import HazardViewSet

router = DefaultRouter()
router.register("hazards", HazardViewSet, basename="hazard")

urlpatterns = router.urls
