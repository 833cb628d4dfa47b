from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("templates", viewsets.ReportTemplateViewSet)
router.register("fields", viewsets.TemplateFieldViewSet)
router.register("reports", viewsets.ReportViewSet)

urlpatterns = router.urls
