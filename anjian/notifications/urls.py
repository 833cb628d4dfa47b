from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/open/", views.OpenNotification.as_view(), name="open"),
    path("read-all/", views.MarkAllRead.as_view(), name="read_all"),
    path("todo/", views.TodoView.as_view(), name="todo"),
    path("badge/", views.nav_badge, name="badge"),
    path("firings/", views.FiringList.as_view(), name="firing_list"),
    path("rules/", views.RuleList.as_view(), name="rule_list"),
    path("rules/add/", views.RuleEdit.as_view(), name="rule_add"),
    path("rules/<int:pk>/", views.RuleDetail.as_view(), name="rule_detail"),
    path("rules/<int:pk>/edit/", views.RuleEdit.as_view(), name="rule_edit"),
    path("key-periods/", views.KeyPeriodList.as_view(), name="keyperiod_list"),
    path("key-periods/add/", views.KeyPeriodEdit.as_view(), name="keyperiod_add"),
    path("key-periods/<int:pk>/", views.KeyPeriodDetail.as_view(), name="keyperiod_detail"),
    path("key-periods/<int:pk>/edit/", views.KeyPeriodEdit.as_view(), name="keyperiod_edit"),
    path("deliveries/", views.DeliveryList.as_view(), name="delivery_list"),
    path("recipient-gaps/", views.GapList.as_view(), name="gap_list"),
    path("deliveries/<int:pk>/retry/", views.RetryDelivery.as_view(), name="delivery_retry"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
]
