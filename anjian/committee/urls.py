from django.urls import path

from .views import duties, meetings, structure

app_name = "committee"

urlpatterns = [
    path("", structure.ChartView.as_view(), name="chart"),
    path("committees/", structure.CommitteeList.as_view(), name="committee_list"),
    path("committees/<int:pk>/", structure.CommitteeDetail.as_view(), name="committee_detail"),
    path("committees/<int:pk>/posts/add/", structure.PostAdd.as_view(), name="post_add"),
    path("committees/<int:pk>/members/add/", structure.MembershipAdd.as_view(), name="membership_add"),
    path("posts/<int:pk>/appoint/", structure.Appoint.as_view(), name="post_appoint"),
    path("holders/<int:pk>/end/", structure.EndHolding.as_view(), name="holder_end"),
    path("members/", structure.MembershipList.as_view(), name="membership_list"),
    path("members/<int:pk>/", structure.MembershipDetail.as_view(), name="membership_detail"),
    path("members/<int:pk>/edit/", structure.MembershipEdit.as_view(), name="membership_edit"),
    path("members/<int:pk>/end/", structure.MembershipEnd.as_view(), name="membership_end"),
    path("units/", duties.UnitList.as_view(), name="unit_list"),
    path("units/<int:pk>/", duties.UnitDuties.as_view(), name="unit_duties"),
    path("units/<int:pk>/confirm/", duties.ConfirmList.as_view(), name="unit_confirm"),
    path("units/<int:pk>/sectors/", duties.SectorsEdit.as_view(), name="unit_sectors"),
    path("units/<int:unit>/duties/add/", duties.DutyEdit.as_view(), name="duty_add"),
    path("units/<int:unit>/leaders/add/", duties.LeaderDutyEdit.as_view(), name="leader_duty_add"),
    path("duties/", duties.DutyList.as_view(), name="duty_list"),
    path("duties/<int:pk>/", duties.DutyDetail.as_view(), name="duty_detail"),
    path("duties/<int:pk>/edit/", duties.DutyEdit.as_view(), name="duty_edit"),
    path("leaders/<int:pk>/", duties.LeaderDutyDetail.as_view(), name="leader_duty_detail"),
    path("leaders/<int:pk>/edit/", duties.LeaderDutyEdit.as_view(), name="leader_duty_edit"),
    path("meetings/", meetings.MeetingList.as_view(), name="meeting_list"),
    path("meetings/add/", meetings.MeetingEdit.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/", meetings.MeetingDetail.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.MeetingEdit.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/decisions/add/", meetings.DecisionAdd.as_view(), name="decision_add"),
    path("decisions/", meetings.DecisionList.as_view(), name="decision_list"),
    path("decisions/<int:pk>/", meetings.DecisionDetail.as_view(), name="decision_detail"),
    path("decisions/<int:pk>/edit/", meetings.DecisionEdit.as_view(), name="decision_edit"),
    path("decisions/<int:pk>/supervise/", meetings.DecisionSupervise.as_view(), name="decision_supervise"),
]
