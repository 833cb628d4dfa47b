"""API: the same permissions and scope as the pages; changes go through the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.models import Sector
from anjian.core.scope import ensure_in_scope

from .. import filters, services
from ..models import (
    COMMITTEE_KINDS,
    LIST_KINDS,
    Committee,
    CommitteePost,
    DutyItem,
    LeaderDuty,
    Meeting,
    MeetingDecision,
    Membership,
    ResponsibleUnit,
)
from . import serializers as S


def _service_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_serializers.ValidationError({"detail": exc.messages}) from exc


class ReadableMixin:
    """Reads see what the pages show (town staff also read the committee above them); writes stay in scope."""

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return services.readable(self.queryset.all(), self.request.user)
        return super().get_queryset()


class CommitteeViewSet(ReadableMixin, ScopedReadOnlyViewSet):
    queryset = Committee.objects.filter(kind__in=COMMITTEE_KINDS).order_by(
        "territory_path", "sort_order", "id"
    )
    serializer_class = S.CommitteeSerializer
    filterset_class = filters.CommitteeFilter
    permissions = {"read": "committee.view_committee"}


class PostViewSet(ReadableMixin, ScopedModelViewSet):
    queryset = CommitteePost.objects.prefetch_related("holders").order_by("committee_id", "sort_order", "id")
    serializer_class = S.CommitteePostSerializer
    permissions = {"read": "committee.view_committee", "write": "committee.change_committee"}

    def perform_create(self, serializer):
        d = serializer.validated_data
        with transaction.atomic():
            post = _service_call(
                services.add_post, d["committee"], d["rank"], d["title"], d.get("sort_order")
            )
            ensure_in_scope(self.request.user, post)
        serializer.instance = post

    @extend_schema(request=S.CommitteeAppointSerializer, responses=S.PostHolderSerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        post = self.get_object()
        data = S.CommitteeAppointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        holder = _service_call(services.appoint, post, d["name"], d["start_date"], d["position"], d["note"])
        return Response(S.PostHolderSerializer(holder).data)


class MembershipViewSet(ReadableMixin, ScopedModelViewSet):
    queryset = Membership.objects.order_by("committee_id", "sort_order", "id")
    serializer_class = S.MembershipSerializer
    filterset_class = filters.MembershipFilter
    permissions = {"read": "committee.view_committee", "write": "committee.change_committee"}

    def perform_create(self, serializer):
        d = serializer.validated_data
        with transaction.atomic():
            membership = _service_call(
                services.add_member,
                d["committee"],
                d["organisation"],
                d["start_date"],
                d.get("liaison_name", ""),
                d.get("liaison_title", ""),
                d.get("liaison_phone", ""),
                d.get("sort_order"),
            )
            ensure_in_scope(self.request.user, membership)
        serializer.instance = membership

    def perform_update(self, serializer):
        # Only the liaison officer and the order change in place; joining and leaving are actions (history).
        stored = Membership.objects.get(pk=serializer.instance.pk)  # (validation already set the new values)
        for name in ("committee", "organisation", "start_date"):
            if name in serializer.validated_data and serializer.validated_data[name] != getattr(stored, name):
                raise drf_serializers.ValidationError({name: "加入、退出请使用专门的操作，以保留历史。"})
        super().perform_update(serializer)

    @extend_schema(request=S.MembershipEndSerializer, responses=S.MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = S.MembershipEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        membership = _service_call(services.end_membership, self.get_object(), d["end_date"], d["reason"])
        return Response(S.MembershipSerializer(membership).data)


class _UnitRecordViewSet(ReadableMixin, ScopedModelViewSet):
    save_function = None

    def _save(self, serializer):
        instance = serializer.instance or serializer.Meta.model()
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        with transaction.atomic():
            serializer.instance = _service_call(type(self).save_function, self.request.user, instance)

    perform_create = perform_update = _save


class DutyItemViewSet(_UnitRecordViewSet):
    queryset = DutyItem.objects.order_by("organisation_id", "category", "sort_order", "id")
    serializer_class = S.DutyItemSerializer
    filterset_class = filters.DutyItemFilter
    permissions = {"read": "committee.view_dutyitem", "write": "committee.change_dutyitem"}
    save_function = services.save_duty_item


class LeaderDutyViewSet(_UnitRecordViewSet):
    queryset = LeaderDuty.objects.order_by("organisation_id", "sort_order", "id")
    serializer_class = S.LeaderDutySerializer
    permissions = {"read": "committee.view_dutyitem", "write": "committee.change_dutyitem"}
    save_function = services.save_leader_duty


class UnitViewSet(ReadableMixin, ScopedReadOnlyViewSet):
    queryset = (
        ResponsibleUnit.objects.filter(kind__in=LIST_KINDS)
        .prefetch_related("sectors")
        .order_by("territory_path", "sort_order", "id")
    )
    serializer_class = S.ResponsibleUnitSerializer
    filterset_class = filters.UnitFilter
    permissions = {
        "read": "committee.view_dutyitem",
        "confirm": "committee.confirm_dutyitem",
        "sectors": "committee.change_sectors",
    }

    def _writable_unit(self):
        unit = self.get_object()
        if not services.can_edit_list(self.request.user, unit):
            raise PermissionDenied("只有本单位或安委办可以编辑该单位的责任清单。")
        return unit

    @extend_schema(request=None, responses=S.UnitConfirmedSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        count = _service_call(services.confirm_list, request.user, self._writable_unit())
        return Response({"confirmed": count})

    @extend_schema(request=S.UnitSectorsSerializer, responses=S.ResponsibleUnitSerializer)
    @action(detail=True, methods=["post"])
    def sectors(self, request, pk=None):
        unit = self._writable_unit()
        data = S.UnitSectorsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = set(data.validated_data["sectors"])
        sectors = list(Sector.objects.filter(pk__in=wanted))
        if len(sectors) != len(wanted):
            raise drf_serializers.ValidationError({"sectors": "包含不存在的行业领域。"})
        _service_call(services.set_sectors, request.user, unit, sectors)
        return Response(S.ResponsibleUnitSerializer(unit).data)


class MeetingViewSet(ReadableMixin, ScopedModelViewSet):
    queryset = Meeting.objects.order_by("-held_on", "-id")
    serializer_class = S.CommitteeMeetingSerializer
    filterset_class = filters.MeetingFilter
    permissions = {"read": "committee.view_meeting", "write": "committee.change_meeting"}


class DecisionViewSet(ReadableMixin, ScopedModelViewSet):
    queryset = MeetingDecision.objects.prefetch_related("lead_units").order_by("-meeting_id", "number", "id")
    serializer_class = S.CommitteeDecisionSerializer
    filterset_class = filters.DecisionFilter
    permissions = {
        "read": "committee.view_meeting",
        "write": "committee.change_meeting",
        "supervise": "committee.supervise_meetingdecision",
    }

    def perform_create(self, serializer):
        d = serializer.validated_data
        with transaction.atomic():
            decision = _service_call(
                services.add_decision, d["meeting"], d["content"], d.get("lead_units", []), d.get("deadline")
            )
            ensure_in_scope(self.request.user, decision)
        serializer.instance = decision

    def perform_update(self, serializer):
        if MeetingDecision.objects.filter(pk=serializer.instance.pk, task_id__isnull=False).exists():
            raise drf_serializers.ValidationError({"detail": "已转为督办的议定事项不能修改。"})
        super().perform_update(serializer)

    @extend_schema(request=None, responses=S.CommitteeDecisionSerializer)
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        decision = self.get_object()
        with transaction.atomic():
            _service_call(services.turn_into_task, request.user, decision)
        decision.refresh_from_db()
        return Response(S.CommitteeDecisionSerializer(decision).data)
