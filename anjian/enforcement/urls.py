from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("provisions/", views.ProvisionList.as_view(), name="provision_list"),
    path("provisions/add/", views.ProvisionEdit.as_view(), name="provision_add"),
    path("provisions/<int:pk>/", views.ProvisionDetail.as_view(), name="provision_detail"),
    path("provisions/<int:pk>/edit/", views.ProvisionEdit.as_view(), name="provision_edit"),
    path("cases/", views.CaseList.as_view(), name="case_list"),
    path("cases/add/", views.CaseCreate.as_view(), name="case_add"),
    path("cases/<int:pk>/", views.CaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/action/", views.CaseAction.as_view(), name="case_action"),
    path("cases/<int:pk>/hearing/", views.CaseHearing.as_view(), name="case_hearing"),
    path("cases/<int:pk>/publication/", views.CasePublication.as_view(), name="case_publication"),
    path("cases/<int:pk>/measures/", views.MeasureAdd.as_view(), name="measure_add"),
    path(
        "cases/<int:pk>/measures/<int:measure_pk>/execute/",
        views.MeasureExecute.as_view(),
        name="measure_execute",
    ),
    path(
        "cases/<int:pk>/measures/<int:measure_pk>/resumption/",
        views.MeasureResumption.as_view(),
        name="measure_resumption",
    ),
    path("cases/<int:pk>/documents/", views.DocumentIssue.as_view(), name="document_issue"),
    path(
        "cases/<int:pk>/documents/<int:document_pk>/lift/",
        views.MeasureLift.as_view(),
        name="measure_lift",
    ),
    path("cases/<int:pk>/documents/new/<str:kind>/", views.DocumentNew.as_view(), name="document_new"),
    path("cases/<int:pk>/file/", views.CaseFile.as_view(), name="case_file"),
    path("cases/<int:pk>/file.pdf", views.CaseFile.as_view(), {"fmt": "pdf"}, name="case_file_pdf"),
    path("documents/<int:pk>.<str:fmt>", views.DocumentDownload.as_view(), name="document_download"),
    path("findings/", views.FindingList.as_view(), name="finding_list"),
    path("findings/add/", views.FindingCreate.as_view(), name="finding_add"),
    path("findings/unlinked/", views.UnlinkedList.as_view(), name="unlinked_list"),
    path("findings/<int:pk>/", views.FindingDetail.as_view(), name="finding_detail"),
    path("findings/<int:pk>/reason/", views.FindingReason.as_view(), name="finding_reason"),
    path(
        "findings/<int:pk>/reason/<int:reason_pk>/review/",
        views.FindingReview.as_view(),
        name="finding_review",
    ),
    path("repeat-offenders/", views.RepeatOffenders.as_view(), name="repeat_offenders"),
    path("talks/", views.TalkList.as_view(), name="talk_list"),
    path("talks/add/", views.TalkEdit.as_view(), name="talk_add"),
    path("talks/<int:pk>/", views.TalkDetail.as_view(), name="talk_detail"),
    path("talks/<int:pk>/edit/", views.TalkEdit.as_view(), name="talk_edit"),
    path("figures/", views.Figures.as_view(), name="figures"),
]
