from django.urls import path

from . import views, views_criteria, views_direct_reports, views_verification

app_name = "hazards"

urlpatterns = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("new/", views.HazardRegisterView.as_view(), name="hazard_add"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("<int:pk>/do/<slug:action>/", views.HazardActionView.as_view(), name="hazard_action"),
    path("<int:pk>/order.<str:fmt>", views.RectificationOrderView.as_view(), name="rectification_order"),
    path("reviews/<int:pk>/opinion.<str:fmt>", views.ReviewOpinionView.as_view(), name="review_opinion"),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    # 直接报告 (HZ-20: a safety manager reports a major hazard to the supervising department)
    path("direct-reports/", views_direct_reports.DirectReportList.as_view(), name="direct_report_list"),
    path("direct-reports/new/", views_direct_reports.DirectReportCreate.as_view(), name="direct_report_add"),
    path(
        "direct-reports/<int:pk>/",
        views_direct_reports.DirectReportDetail.as_view(),
        name="direct_report_detail",
    ),
    # 市级核查 (the city re-checks a sample of the counties' closures)
    path("verification/", views_verification.VerificationListView.as_view(), name="verification"),
    path(
        "verification/<int:pk>/",
        views_verification.SampleDetailView.as_view(),
        name="verification_sample",
    ),
    path(
        "verification/items/<int:pk>/check/",
        views_verification.VerdictView.as_view(),
        name="verification_check",
    ),
    path(
        "verification/items/<int:pk>/reopen/",
        views_verification.ReopenView.as_view(),
        name="verification_reopen",
    ),
    path(
        "verification/photos/<int:pk>/",
        views_verification.VerificationPhotoView.as_view(),
        name="verification_photo",
    ),
    # 重大事故隐患判定标准 catalogue
    path("criteria/", views_criteria.CriteriaListView.as_view(), name="criteria_list"),
    path("criteria/<int:pk>/", views_criteria.CriterionDetailView.as_view(), name="criterion_detail"),
    path("criteria/<int:pk>/edit/", views_criteria.CriterionEditView.as_view(), name="criterion_edit"),
    path("criteria/standards/new/", views_criteria.StandardAddView.as_view(), name="criteria_standard_add"),
    path(
        "criteria/standards/<int:pk>/clauses/new/",
        views_criteria.ClauseAddView.as_view(),
        name="criteria_clause_add",
    ),
    path(
        "criteria/standards/<int:pk>/supersede/",
        views_criteria.StandardSupersedeView.as_view(),
        name="criteria_standard_supersede",
    ),
    path("criteria/suggest/", views_criteria.SuggestFragmentView.as_view(), name="criteria_suggest"),
    path("<int:pk>/basis/", views_criteria.PendingBasisView.as_view(), name="hazard_basis"),
    path(
        "criteria/suggest/<int:log>/choose/<int:pk>/",
        views_criteria.SuggestChooseView.as_view(),
        name="criteria_suggest_choose",
    ),
]
