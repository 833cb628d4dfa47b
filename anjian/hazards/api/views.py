"""Hazard API: the same scope, permission table, transitions table and services as the pages.

Listing and reading: GET /api/hazards/hazards/ (filters as the list page, keyset pagination).
Registration: POST /api/hazards/hazards/ → services.register_hazard.
Actions: POST /api/hazards/hazards/{id}/<action>/ for every action of workflow.TRANSITIONS; a refusal is
HTTP 409 with {"detail": <Chinese reason>}, bad input HTTP 400.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet
from anjian.core.models import Sector
from anjian.core.scope import restrict
from anjian.registry.models import Enterprise

from .. import services, workflow
from ..filters import HazardFilter
from ..models import Hazard, MajorHazardCriterion
from ..workflow import TransitionRefused
from . import serializers as s


def _refused(reason):
    return Response({"detail": reason}, status=status.HTTP_409_CONFLICT)


def _invalid(exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class HazardViewSet(ScopedModelViewSet):
    queryset = Hazard.objects.select_related("enterprise")
    serializer_class = s.HazardSerializer
    filterset_class = HazardFilter
    ordering_fields = ["id"]
    http_method_names = ["get", "post", "head", "options"]
    permissions = {
        "read": "hazards.view_hazard",
        "create": "hazards.add_hazard",
        **{name: "hazards.change_hazard" for name in workflow.ACTIONS},
    }

    def get_serializer_class(self):
        if self.action == "create":
            return s.HazardRegisterSerializer
        if self.action in workflow.BY_ACTION:
            return s.ActionSerializer
        return s.HazardSerializer

    @extend_schema(request=s.HazardRegisterSerializer, responses=s.HazardSerializer)
    def create(self, request, *args, **kwargs):
        data = s.HazardRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        enterprise = restrict(Enterprise.objects.filter(pk=v["enterprise"]), request.user).first()
        if enterprise is None:
            return Response(
                {"enterprise": ["单位不存在或不在您的数据范围内。"]}, status=status.HTTP_400_BAD_REQUEST
            )
        sector = Sector.objects.filter(pk=v.get("sector")).first() if v.get("sector") else None
        criterion = (
            MajorHazardCriterion.objects.filter(pk=v.get("major_criterion")).first()
            if v.get("major_criterion")
            else None
        )
        try:
            hazard = services.register_hazard(
                actor=request.user,
                enterprise=enterprise,
                description=v["description"],
                grade=v["grade"],
                sector=sector,
                location=v.get("location", ""),
                category=v.get("category", ""),
                nature=v.get("nature", ""),
                source=v.get("source"),
                major_criterion=criterion,
                deadline=v.get("deadline"),
                found_on=v.get("found_on"),
                rectified_on_spot=v.get("rectified_on_spot", False),
                stop_order=v.get("stop_order"),
                photos=request.FILES.getlist("photos"),
            )
        except TransitionRefused as exc:
            return _refused(exc.reason)
        except ValidationError as exc:
            return _invalid(exc)
        return Response(s.HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    def _run(self, request, pk, name):
        hazard = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if request.FILES:
            values["photos"] = request.FILES.getlist("photos")
        try:
            services.perform(hazard, request.user, name, values)
        except TransitionRefused as exc:
            return _refused(exc.reason)
        except ValidationError as exc:
            return _invalid(exc)
        hazard.refresh_from_db()
        return Response(s.HazardSerializer(hazard).data)

    @action(detail=False, methods=["get"], url_path="criteria")
    def criteria(self, request):
        rows = MajorHazardCriterion.objects.filter(is_active=True)
        if request.query_params.get("sector"):
            rows = rows.filter(sector_id=request.query_params["sector"])
        return Response(s.CriterionSerializer(rows, many=True).data)

    @action(detail=True, methods=["get"], url_path="available-actions")
    def available(self, request, pk=None):
        hazard = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            [{"action": t.action, "label": t.label} for t in workflow.available_actions(hazard, request.user)]
        )


def _make_action(name, label):
    @extend_schema(request=s.ActionSerializer, responses=s.HazardSerializer, summary=label)
    def handler(self, request, pk=None):
        return self._run(request, pk, name)

    handler.__name__ = name
    return action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)


for _t in workflow.TRANSITIONS:
    setattr(HazardViewSet, _t.action, _make_action(_t.action, _t.label))
