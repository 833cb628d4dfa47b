from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("visits", viewsets.VisitViewSet)
router.register("problems", viewsets.ProblemViewSet)

urlpatterns = router.urls
