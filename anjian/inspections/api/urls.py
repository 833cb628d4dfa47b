from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("plans", views.PlanViewSet)
router.register("tasks", views.TaskViewSet)
router.register("inspections", views.InspectionViewSet)
router.register("checklists", views.ChecklistTemplateViewSet)

urlpatterns = [path("targeting/", views.targeting_ranking, name="targeting"), *router.urls]
