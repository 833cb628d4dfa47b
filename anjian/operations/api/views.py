"""API: the same resources, permissions and scope as the pages; state changes through the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.models import Organisation, Sector
from anjian.core.scope import restrict

from .. import filters, services
from ..models import (
    Drill,
    DutyLogEntry,
    DutyRoster,
    DutyShift,
    EmergencyPlan,
    PublicityActivity,
    RescueTeam,
    Supply,
    Tip,
    TrainingSession,
    WarningNotice,
    WeatherWarning,
)
from . import serializers as S


def _service_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_serializers.ValidationError({"detail": exc.messages}) from exc


class TipViewSet(ScopedReadOnlyViewSet):
    queryset = Tip.objects.select_related("territory")
    serializer_class = S.TipSerializer
    filterset_class = filters.TipFilter
    permissions = {
        "read": "operations.view_tip",
        "assign": "operations.triage_tip",
        "verify": "operations.verify_tip",
    }

    @extend_schema(request=S.AssignSerializer, responses=S.TipSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        tip = self.get_object()
        data = S.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        organisation = get_object_or_404(
            restrict(Organisation.objects.all(), request.user), pk=d["organisation"]
        )
        sector = get_object_or_404(Sector, pk=d["sector"]) if d.get("sector") else None
        tip = _service_call(
            services.assign_tip,
            request.user,
            tip,
            organisation=organisation,
            due_date=d["due_date"],
            sector=sector,
            urgent=d["urgent"],
        )
        return Response(S.TipSerializer(tip).data)

    @extend_schema(request=S.VerifySerializer, responses=S.TipSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        tip = self.get_object()
        data = S.VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tip = _service_call(services.verify_tip, request.user, tip, **data.validated_data)
        return Response(S.TipSerializer(tip).data)


class WarningViewSet(ScopedModelViewSet):
    queryset = WeatherWarning.objects.prefetch_related("areas")
    serializer_class = S.WarningSerializer
    filterset_class = filters.WarningFilter
    permissions = {"read": "operations.view_weatherwarning", "write": "operations.change_weatherwarning"}

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save(created_by=self.request.user)
            from anjian.core.scope import ensure_in_scope

            ensure_in_scope(self.request.user, obj)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        count = _service_call(services.issue_warning, request.user, self.get_object())
        return Response({"notified": count})


class NoticeViewSet(ScopedReadOnlyViewSet):
    queryset = WarningNotice.objects.select_related("enterprise")
    serializer_class = S.NoticeSerializer
    filterset_class = filters.NoticeFilter
    permissions = {
        "read": "operations.view_warningnotice",
        "acknowledge": "operations.acknowledge_warningnotice",
    }

    @extend_schema(request=S.AckSerializer, responses=S.NoticeSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        notice = self.get_object()
        data = S.AckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = _service_call(
            services.acknowledge_notice, request.user, notice, measures=data.validated_data["measures"]
        )
        return Response(S.NoticeSerializer(notice).data)


def _crud(model_, serializer, filterset, view, change, queryset=None):
    return type(
        f"{model_.__name__}ViewSet",
        (ScopedModelViewSet,),
        {
            "queryset": queryset if queryset is not None else model_.objects.all(),
            "serializer_class": serializer,
            "filterset_class": filterset,
            "permissions": {"read": view, "write": change},
        },
    )


DUTY = ("operations.view_duty", "operations.change_duty")
EMERGENCY = ("operations.view_emergency", "operations.change_emergency")
TRAINING = ("operations.view_training", "operations.change_training")

RosterViewSet = _crud(DutyRoster, S.RosterSerializer, filters.RosterFilter, *DUTY)
ShiftViewSet = _crud(DutyShift, S.ShiftSerializer, None, *DUTY)
DutyLogViewSet = _crud(DutyLogEntry, S.DutyLogSerializer, filters.DutyLogFilter, *DUTY)
PlanViewSet = _crud(EmergencyPlan, S.PlanSerializer, filters.PlanFilter, *EMERGENCY)
DrillViewSet = _crud(Drill, S.DrillSerializer, filters.DrillFilter, *EMERGENCY)
SupplyViewSet = _crud(Supply, S.SupplySerializer, filters.SupplyFilter, *EMERGENCY)
TeamViewSet = _crud(RescueTeam, S.TeamSerializer, filters.TeamFilter, *EMERGENCY)
TrainingViewSet = _crud(TrainingSession, S.TrainingSerializer, filters.TrainingFilter, *TRAINING)
PublicityViewSet = _crud(PublicityActivity, S.PublicitySerializer, filters.PublicityFilter, *TRAINING)
