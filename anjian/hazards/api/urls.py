from django.urls import path
from rest_framework.routers import DefaultRouter

from .criteria import suggest_criteria
from .direct_reports import DirectReportViewSet
from .verification import VerificationItemViewSet
from .views import HazardViewSet

router = DefaultRouter()
router.register("hazards", HazardViewSet, basename="hazard")
router.register("verification-items", VerificationItemViewSet, basename="verification-item")
router.register("direct-reports", DirectReportViewSet, basename="direct-report")

urlpatterns = [
    path("criteria/suggest/", suggest_criteria, name="criteria-suggest"),
    *router.urls,
]
