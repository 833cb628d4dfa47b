from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("plans/", views.PlanList.as_view(), name="plan_list"),
    path("plans/add/", views.PlanEdit.as_view(), name="plan_add"),
    path("plans/<int:pk>/", views.PlanDetail.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanEdit.as_view(), name="plan_edit"),
    path("plans/<int:pk>/<slug:action>/", views.PlanAction.as_view(), name="plan_action"),
    path("targeting/", views.TargetingView.as_view(), name="targeting"),
    path("targeting/rules/", views.TargetingRuleList.as_view(), name="targeting_rule_list"),
    path("targeting/rules/add/", views.TargetingRuleEdit.as_view(), name="targeting_rule_add"),
    path("targeting/rules/<int:pk>/", views.TargetingRuleDetail.as_view(), name="targeting_rule_detail"),
    path("targeting/rules/<int:pk>/edit/", views.TargetingRuleEdit.as_view(), name="targeting_rule_edit"),
    path("tasks/", views.TaskList.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetail.as_view(), name="task_detail"),
    path("tasks/<int:pk>/start/", views.TaskStart.as_view(), name="task_start"),
    path("", views.InspectionList.as_view(), name="inspection_list"),
    path("add/", views.InspectionCreate.as_view(), name="inspection_add"),
    path("<int:pk>/", views.InspectionDetail.as_view(), name="inspection_detail"),
    path("<int:pk>/fill/", views.InspectionFill.as_view(), name="inspection_fill"),
    path("<int:pk>/record.<slug:fmt>", views.InspectionDocument.as_view(), name="inspection_document"),
    path("<int:pk>/<slug:action>/", views.InspectionAction.as_view(), name="inspection_action"),
    path("checklists/", views.TemplateList.as_view(), name="template_list"),
    path("checklists/add/", views.TemplateEdit.as_view(), name="template_add"),
    path("checklists/<int:pk>/", views.TemplateDetail.as_view(), name="template_detail"),
    path("checklists/<int:pk>/edit/", views.TemplateEdit.as_view(), name="template_edit"),
]
