from rest_framework.routers import DefaultRouter

from . import viewsets

router = DefaultRouter()
router.register("inbox", viewsets.NotificationViewSet, basename="notification")
router.register("todo", viewsets.TodoViewSet, basename="todo")
router.register("rules", viewsets.ReminderRuleViewSet)
router.register("firings", viewsets.FiringViewSet)
router.register("key-periods", viewsets.KeyPeriodViewSet)
router.register("deliveries", viewsets.DeliveryViewSet)

urlpatterns = router.urls
