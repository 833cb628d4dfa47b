"""Staff pages of the operations app (mounted at /operations/). The public tip pages are in public_urls.py."""

from django.urls import path

from .views import duty, emergency, tips, training, warnings

app_name = "operations"

urlpatterns = [
    # tips
    path("tips/", tips.TipList.as_view(), name="tip_list"),
    path("tips/add/", tips.TipAdd.as_view(), name="tip_add"),
    path("tips/poster/", tips.TipPoster.as_view(), name="tip_poster"),
    path("tips/<int:pk>/", tips.TipDetail.as_view(), name="tip_detail"),
    path("tips/<int:pk>/<slug:action>/", tips.TipAction.as_view(), name="tip_action"),
    # warnings
    path("warnings/", warnings.WarningList.as_view(), name="warning_list"),
    path("warnings/add/", warnings.WarningEdit.as_view(), name="warning_add"),
    path("warnings/mine/", warnings.MyNotices.as_view(), name="notice_mine"),
    path("warnings/notices/", warnings.NoticeList.as_view(), name="notice_list"),
    path("warnings/notices/<int:pk>/", warnings.NoticeAck.as_view(), name="notice_ack"),
    path("warnings/rules/", warnings.ExposureRuleList.as_view(), name="exposurerule_list"),
    path("warnings/rules/<int:pk>/", warnings.ExposureRuleEdit.as_view(), name="exposurerule_edit"),
    path("warnings/<int:pk>/", warnings.WarningDetail.as_view(), name="warning_detail"),
    path("warnings/<int:pk>/edit/", warnings.WarningEdit.as_view(), name="warning_edit"),
    path("warnings/<int:pk>/<slug:action>/", warnings.WarningAction.as_view(), name="warning_action"),
    # duty
    path("duty/", duty.DutyDesk.as_view(), name="duty_desk"),
    path("duty/rosters/", duty.RosterList.as_view(), name="roster_list"),
    path("duty/rosters/add/", duty.RosterEdit.as_view(), name="roster_add"),
    path("duty/rosters/<int:pk>/", duty.RosterDetail.as_view(), name="roster_detail"),
    path("duty/rosters/<int:pk>/edit/", duty.RosterEdit.as_view(), name="roster_edit"),
    path("duty/rosters/<int:pk>/shifts/", duty.RosterShifts.as_view(), name="roster_shifts"),
    path("duty/log/", duty.DutyLogList.as_view(), name="dutylog_list"),
    path("duty/log/add/", duty.DutyLogEdit.as_view(), name="dutylog_add"),
    path("duty/log/<int:pk>/", duty.DutyLogDetail.as_view(), name="dutylog_detail"),
    path("duty/log/<int:pk>/edit/", duty.DutyLogEdit.as_view(), name="dutylog_edit"),
    # emergency
    path("emergency/plans/", emergency.PlanList.as_view(), name="plan_list"),
    path("emergency/plans/add/", emergency.PlanEdit.as_view(), name="plan_add"),
    path("emergency/plans/<int:pk>/", emergency.PlanDetail.as_view(), name="plan_detail"),
    path("emergency/plans/<int:pk>/edit/", emergency.PlanEdit.as_view(), name="plan_edit"),
    path("emergency/drills/", emergency.DrillList.as_view(), name="drill_list"),
    path("emergency/drills/add/", emergency.DrillEdit.as_view(), name="drill_add"),
    path("emergency/drills/<int:pk>/", emergency.DrillDetail.as_view(), name="drill_detail"),
    path("emergency/drills/<int:pk>/edit/", emergency.DrillEdit.as_view(), name="drill_edit"),
    path("emergency/drills/<int:pk>/hazards/", emergency.DrillHazards.as_view(), name="drill_hazards"),
    path("emergency/supplies/", emergency.SupplyList.as_view(), name="supply_list"),
    path("emergency/supplies/add/", emergency.SupplyEdit.as_view(), name="supply_add"),
    path("emergency/supplies/<int:pk>/", emergency.SupplyDetail.as_view(), name="supply_detail"),
    path("emergency/supplies/<int:pk>/edit/", emergency.SupplyEdit.as_view(), name="supply_edit"),
    path("emergency/teams/", emergency.TeamList.as_view(), name="team_list"),
    path("emergency/teams/add/", emergency.TeamEdit.as_view(), name="team_add"),
    path("emergency/teams/<int:pk>/", emergency.TeamDetail.as_view(), name="team_detail"),
    path("emergency/teams/<int:pk>/edit/", emergency.TeamEdit.as_view(), name="team_edit"),
    path("emergency/teams/<int:pk>/members/", emergency.AddMember.as_view(), name="team_member_add"),
    path("emergency/nearby/", emergency.Nearby.as_view(), name="nearby"),
    # training and publicity
    path("training/", training.TrainingList.as_view(), name="training_list"),
    path("training/add/", training.TrainingEdit.as_view(), name="training_add"),
    path("training/<int:pk>/", training.TrainingDetail.as_view(), name="training_detail"),
    path("training/<int:pk>/edit/", training.TrainingEdit.as_view(), name="training_edit"),
    path("training/<int:pk>/attendees/", training.AddAttendee.as_view(), name="training_attendee_add"),
    path("publicity/", training.PublicityList.as_view(), name="publicity_list"),
    path("publicity/add/", training.PublicityEdit.as_view(), name="publicity_add"),
    path("publicity/<int:pk>/", training.PublicityDetail.as_view(), name="publicity_detail"),
    path("publicity/<int:pk>/edit/", training.PublicityEdit.as_view(), name="publicity_edit"),
    path("training/counts/", training.Counts.as_view(), name="counts"),
]
