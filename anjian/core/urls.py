from django.urls import path

from .views import exports, import_synonyms, imports, pages

app_name = "core"

urlpatterns = [
    path("territories/", pages.TerritoryList.as_view(), name="territory_list"),
    path("territories/add/", pages.TerritoryEdit.as_view(), name="territory_add"),
    path("territories/<int:pk>/", pages.TerritoryDetail.as_view(), name="territory_detail"),
    path("territories/<int:pk>/edit/", pages.TerritoryEdit.as_view(), name="territory_edit"),
    path("sectors/", pages.SectorList.as_view(), name="sector_list"),
    path("sectors/add/", pages.SectorEdit.as_view(), name="sector_add"),
    path("sectors/<int:pk>/", pages.SectorDetail.as_view(), name="sector_detail"),
    path("sectors/<int:pk>/edit/", pages.SectorEdit.as_view(), name="sector_edit"),
    path("organisations/", pages.OrganisationList.as_view(), name="organisation_list"),
    path("organisations/add/", pages.OrganisationEdit.as_view(), name="organisation_add"),
    path("organisations/<int:pk>/", pages.OrganisationDetail.as_view(), name="organisation_detail"),
    path("organisations/<int:pk>/edit/", pages.OrganisationEdit.as_view(), name="organisation_edit"),
    path("users/", pages.UserList.as_view(), name="user_list"),
    path("users/add/", pages.UserEdit.as_view(), name="user_add"),
    path("users/<int:pk>/", pages.UserDetail.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", pages.UserEdit.as_view(), name="user_edit"),
    path("users/<int:pk>/role/", pages.UserRole.as_view(), name="user_role"),
    path("users/<int:pk>/unlock/", pages.UserUnlock.as_view(), name="user_unlock"),
    path("users/<int:pk>/tokens/", pages.UserApiTokens.as_view(), name="user_tokens"),
    path("tokens/", pages.MyApiTokens.as_view(), name="my_tokens"),
    path("tokens/<int:pk>/revoke/", pages.MyApiTokenRevoke.as_view(), name="my_token_revoke"),
    path("audit/", pages.AuditList.as_view(), name="audit_list"),
    path("audit/<int:pk>/", pages.AuditDetail.as_view(), name="audit_detail"),
    path("import/<slug:key>/", imports.ImportStartView.as_view(), name="import_start"),
    path("import/<slug:key>/template/", imports.ImportTemplateView.as_view(), name="import_template"),
    path("import/<slug:key>/synonyms/", import_synonyms.SynonymListView.as_view(), name="import_synonyms"),
    path(
        "import/<slug:key>/synonyms/<int:pk>/",
        import_synonyms.SynonymEditView.as_view(),
        name="import_synonym_edit",
    ),
    path(
        "import/<slug:key>/synonyms/<int:pk>/delete/",
        import_synonyms.SynonymDeleteView.as_view(),
        name="import_synonym_delete",
    ),
    path("import/<slug:key>/<int:pk>/", imports.ImportBatchView.as_view(), name="import_batch"),
    path("exports/", exports.ExportJobListView.as_view(), name="export_jobs"),
    path("exports/<int:pk>/", exports.ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", exports.ExportDownloadView.as_view(), name="export_download"),
]
