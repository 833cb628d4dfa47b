from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("tasks", views.TaskViewSet)
router.register("assignments", views.AssignmentViewSet)

urlpatterns = router.urls
