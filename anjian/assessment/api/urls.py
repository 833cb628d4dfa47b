from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("schemes", viewsets.SchemeViewSet)
router.register("evaluations", viewsets.EvaluationViewSet)
router.register("bulletins", viewsets.BulletinViewSet)

urlpatterns = router.urls
