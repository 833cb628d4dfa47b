from django.urls import path

from . import views

app_name = "accidents"

urlpatterns = [
    path("", views.AccidentList.as_view(), name="accident_list"),
    path("add/", views.AccidentCreate.as_view(), name="accident_add"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("<int:pk>/", views.AccidentDetail.as_view(), name="accident_detail"),
    path("<int:pk>/edit/", views.AccidentEdit.as_view(), name="accident_edit"),
    path("<int:pk>/supplement/", views.SupplementView.as_view(), name="supplement"),
    path("<int:pk>/end-response/", views.EndResponseView.as_view(), name="end_response"),
    path("hops/<int:pk>/", views.HopView.as_view(), name="hop_record"),
    path("<int:pk>/investigation/open/", views.InvestigationOpenView.as_view(), name="investigation_open"),
    path("<int:pk>/investigation/", views.InvestigationEdit.as_view(), name="investigation_edit"),
    path("<int:pk>/investigation/extend/", views.ExtensionView.as_view(), name="investigation_extend"),
    path("<int:pk>/investigation/appraisal/", views.AppraisalView.as_view(), name="investigation_appraisal"),
    path("<int:pk>/investigation/submit/", views.SubmitReportView.as_view(), name="investigation_submit"),
    path("<int:pk>/investigation/parties/add/", views.PartyAdd.as_view(), name="party_add"),
    path("<int:pk>/close/", views.CloseView.as_view(), name="close"),
]
