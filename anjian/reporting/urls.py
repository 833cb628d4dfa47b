from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.ReportList.as_view(), name="report_list"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("<int:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("<int:pk>/fill/", views.ReportFill.as_view(), name="report_fill"),
    path("<int:pk>/export/", views.ReportExport.as_view(), name="report_export"),
    path("<int:pk>/<str:action>/", views.ReportAction.as_view(), name="report_action"),
    path("templates/", views.TemplateList.as_view(), name="template_list"),
    path("templates/add/", views.TemplateEdit.as_view(), name="template_add"),
    path("templates/<int:pk>/", views.TemplateDetail.as_view(), name="template_detail"),
    path("templates/<int:pk>/edit/", views.TemplateEdit.as_view(), name="template_edit"),
    path("templates/<int:template_pk>/fields/add/", views.FieldEdit.as_view(), name="field_add"),
    path("templates/<int:template_pk>/fields/<int:pk>/edit/", views.FieldEdit.as_view(), name="field_edit"),
]
