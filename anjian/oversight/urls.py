from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.ProblemList.as_view(), name="problem_list"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("problems/<int:pk>/", views.ProblemDetail.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", views.ProblemEdit.as_view(), name="problem_edit"),
    path("problems/<int:pk>/task/", views.TurnIntoTaskView.as_view(), name="problem_task"),
    path("problems/<int:pk>/<slug:action>/", views.ProblemActionView.as_view(), name="problem_action"),
    path("visits/", views.VisitList.as_view(), name="visit_list"),
    path("visits/add/", views.VisitEdit.as_view(), name="visit_add"),
    path("visits/<int:pk>/", views.VisitDetail.as_view(), name="visit_detail"),
    path("visits/<int:pk>/edit/", views.VisitEdit.as_view(), name="visit_edit"),
    path("visits/<int:pk>/feedback/", views.FeedbackView.as_view(), name="visit_feedback"),
    path("visits/<int:pk>/import/", views.ImportChooseView.as_view(), name="visit_import"),
    path("visits/<int:visit>/problems/add/", views.ProblemEdit.as_view(), name="problem_add"),
    path(
        "visits/<int:pk>/documents/<slug:which>.<slug:fmt>",
        views.VisitDocumentView.as_view(),
        name="visit_document",
    ),
]
