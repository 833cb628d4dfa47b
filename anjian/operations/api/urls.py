from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("tips", views.TipViewSet)
router.register("warnings", views.WarningViewSet)
router.register("warning-notices", views.NoticeViewSet)
router.register("duty-rosters", views.RosterViewSet)
router.register("duty-shifts", views.ShiftViewSet)
router.register("duty-log", views.DutyLogViewSet)
router.register("plans", views.PlanViewSet)
router.register("drills", views.DrillViewSet)
router.register("supplies", views.SupplyViewSet)
router.register("rescue-teams", views.TeamViewSet)
router.register("training", views.TrainingViewSet)
router.register("publicity", views.PublicityViewSet)

urlpatterns = router.urls
