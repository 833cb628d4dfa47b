from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("committees", views.CommitteeViewSet)
router.register("posts", views.PostViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("units", views.UnitViewSet)
router.register("duty-items", views.DutyItemViewSet)
router.register("leader-duties", views.LeaderDutyViewSet)
router.register("meetings", views.MeetingViewSet)
router.register("decisions", views.DecisionViewSet)

urlpatterns = router.urls
