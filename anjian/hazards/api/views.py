"""Hazard API: the same scope, permission table, transitions table and services as the pages.

Listing and reading: GET /api/hazards/hazards/ (filters as the list page, keyset pagination).
Registration: POST /api/hazards/hazards/ → services.register_hazard (a refusal is HTTP 403).
Actions: POST /api/hazards/hazards/{id}/<action>/ for every action of workflow.TRANSITIONS; a refusal is
HTTP 403 when the role may never take it, HTTP 409 with {"detail": <Chinese reason>} when the hazard's state
or a guard refuses it, bad input HTTP 400.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet
from anjian.core.models import Sector
from anjian.core.scope import restrict
from anjian.registry.models import Enterprise

from .. import services, workflow
from ..criteria import records
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
    conflict_actions = frozenset(workflow.ACTIONS)  # documented with a 409 (ApiSchema)
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
            # Registration has no prior state: a refusal is the role's, the unit's or the sector's (403).
            return Response({"detail": exc.reason}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as exc:
            return _invalid(exc)
        records.link_to_hazard(request.user, v.get("clause_suggestion"), hazard)
        return Response(s.HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    def _run(self, request, pk, name):
        hazard = get_object_or_404(self.get_queryset(), pk=pk)
        if request.user.role not in workflow.BY_ACTION[name].roles:
            # The role may never do this: 403. A refusal by the hazard's state or a guard stays a 409.
            return Response(
                {"detail": workflow.refusal(hazard, request.user, name)}, status=status.HTTP_403_FORBIDDEN
            )
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

    @extend_schema(
        parameters=[OpenApiParameter("sector", int, description="行业")],
        responses=s.CriterionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="criteria", pagination_class=None, filter_backends=[])
    def criteria(self, request):
        """The active 重大事故隐患判定标准 entries (all of them, not paginated)."""
        rows = MajorHazardCriterion.objects.filter(is_active=True)
        sector = request.query_params.get("sector")
        if sector:
            if not (sector.isdecimal() and len(sector) <= 18):
                return Response({"sector": ["行业编号应为整数。"]}, status=status.HTTP_400_BAD_REQUEST)
            rows = rows.filter(sector_id=int(sector))
        return Response(s.CriterionSerializer(rows, many=True).data)

    @extend_schema(
        responses=inline_serializer(
            "AvailableAction",
            {"action": drf_serializers.CharField(), "label": drf_serializers.CharField()},
            many=True,
        )
    )
    @action(
        detail=True, methods=["get"], url_path="available-actions", pagination_class=None, filter_backends=[]
    )
    def available(self, request, pk=None):
        """The actions the signed-in user may take on the hazard now."""
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
