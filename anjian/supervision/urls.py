from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("mine/", views.MyTasksView.as_view(), name="my_tasks"),
    path("new/", views.TaskIssueView.as_view(), name="task_add"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("<int:pk>/order.<str:fmt>", views.TaskDocumentView.as_view(), name="task_document"),
    path("assignments/<int:pk>/report/", views.ReportView.as_view(), name="assignment_report"),
    path("assignments/<int:pk>/review/", views.ReviewView.as_view(), name="assignment_review"),
    path("assignments/<int:pk>/extension/", views.ExtensionView.as_view(), name="assignment_extension"),
    path("extensions/<int:pk>/decide/", views.ExtensionDecisionView.as_view(), name="extension_decide"),
]
