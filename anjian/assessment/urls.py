from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("schemes/", views.SchemeList.as_view(), name="scheme_list"),
    path("schemes/add/", views.SchemeEdit.as_view(), name="scheme_add"),
    path("schemes/<int:pk>/", views.SchemeDetail.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.SchemeEdit.as_view(), name="scheme_edit"),
    path("schemes/<int:scheme>/indicators/add/", views.IndicatorEdit.as_view(), name="indicator_add"),
    path(
        "schemes/<int:scheme>/indicators/<int:pk>/edit/", views.IndicatorEdit.as_view(), name="indicator_edit"
    ),
    path("schemes/<int:scheme>/vetoes/add/", views.VetoRuleEdit.as_view(), name="veto_add"),
    path("schemes/<int:scheme>/vetoes/<int:pk>/edit/", views.VetoRuleEdit.as_view(), name="veto_edit"),
    path("schemes/<int:pk>/results/<int:quarter>/", views.Results.as_view(), name="results"),
    path("evaluations/<int:pk>/", views.EvaluationDetail.as_view(), name="evaluation_detail"),
    path("evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="evidence"),
    path("bulletins/", views.BulletinList.as_view(), name="bulletin_list"),
    path("bulletins/add/", views.BulletinCreate.as_view(), name="bulletin_add"),
    path("bulletins/<int:pk>/", views.BulletinDetail.as_view(), name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", views.BulletinEdit.as_view(), name="bulletin_edit"),
    path("bulletins/<int:pk>/do/<slug:action>/", views.BulletinAction.as_view(), name="bulletin_action"),
    path("bulletins/<int:pk>/file.<str:fmt>", views.BulletinDownload.as_view(), name="bulletin_file"),
]
