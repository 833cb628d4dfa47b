from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("provisions", views.ProvisionViewSet)
router.register("cases", views.CaseViewSet)
router.register("findings", views.FindingViewSet)
router.register("talks", views.TalkViewSet)

urlpatterns = router.urls
