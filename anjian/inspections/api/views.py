"""REST API: the same resources, permissions (core.permissions) and scope (core.scope) as the pages; state
changes go through the same service functions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status
from rest_framework.decorators import action, api_view, permission_classes, schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from anjian.core.api.pagination import KeysetPagination
from anjian.core.api.schema import ApiSchema
from anjian.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.permissions import has_perm
from anjian.core.scope import ensure_in_scope

from .. import services, targeting
from ..filters import InspectionFilter, PlanFilter, TargetingFilter, TaskFilter
from ..models import ChecklistTemplate, Inspection, InspectionPlan, InspectionStatus, InspectionTask
from . import serializers


def _refused(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):  # a refusal about one field (e.g. inspectors, EN-31) names the field
        raise drf_serializers.ValidationError(exc.message_dict) from exc
    raise drf_serializers.ValidationError({"detail": exc.messages}) from exc


class Pagination(KeysetPagination):
    ordering = "-id"


class ChecklistTemplateViewSet(ScopedReadOnlyViewSet):
    queryset = ChecklistTemplate.objects.prefetch_related("items").order_by("code")
    serializer_class = serializers.ChecklistTemplateSerializer
    permissions = {"read": "inspections.view_checklisttemplate"}
    pagination_class = Pagination


class PlanViewSet(ScopedModelViewSet):
    queryset = InspectionPlan.objects.prefetch_related("sectors", "enterprises", "inspectors")
    serializer_class = serializers.PlanSerializer
    filterset_class = PlanFilter
    pagination_class = Pagination
    permissions = {
        "read": "inspections.view_inspectionplan",
        "write": "inspections.change_inspectionplan",
        "generate": "inspections.generate_tasks",
        "draw": "inspections.generate_tasks",
        "prioritise": "inspections.generate_tasks",
        "transition": "inspections.change_inspectionplan",
    }

    def perform_create(self, serializer):
        with transaction.atomic():
            year = serializer.validated_data["year"]
            plan = serializer.save(number=services.new_plan_number(year), created_by=self.request.user)
            ensure_in_scope(self.request.user, plan)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        try:
            created = services.generate_tasks(actor=request.user, plan=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        return Response({"created": created})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        try:
            created = services.draw_random(actor=request.user, plan=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        plan = self.get_object()
        return Response(
            {"created": created, "seed": plan.random_seed, "verified": services.verify_draw(plan)}
        )

    @extend_schema(
        request=serializers.PrioritiseSerializer, responses={200: serializers.TaskSerializer(many=True)}
    )
    @action(detail=True, methods=["post"])
    def prioritise(self, request, pk=None):
        """从风险排序选取重点单位: the top `count` units of the plan's ranking become its 重点 list."""
        data = serializers.PrioritiseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            tasks = targeting.select_priority_units(
                actor=request.user, plan=self.get_object(), count=data.validated_data["count"]
            )
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(serializers.TaskSerializer(tasks, many=True).data)

    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"action": {"type": "string"}}}}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        try:
            plan = services.change_plan_status(
                actor=request.user, plan=self.get_object(), action=str(request.data.get("action", ""))
            )
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(self.get_serializer(plan).data)


class TaskViewSet(ScopedReadOnlyViewSet):
    queryset = InspectionTask.objects.select_related("enterprise").prefetch_related("co_inspectors")
    serializer_class = serializers.TaskSerializer
    filterset_class = TaskFilter
    pagination_class = Pagination
    permissions = {"read": "inspections.view_inspectiontask", "start": "inspections.add_inspection"}

    @extend_schema(request=None, responses={201: serializers.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        try:
            inspection = services.start_from_task(actor=request.user, task=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(
            serializers.InspectionSerializer(inspection, context={"user": request.user}).data, status=201
        )


class InspectionViewSet(ScopedModelViewSet):
    queryset = Inspection.objects.select_related("enterprise").prefetch_related(
        "inspectors", "items", "items__hazard"
    )
    serializer_class = serializers.InspectionSerializer
    filterset_class = InspectionFilter
    pagination_class = Pagination
    permissions = {
        "read": "inspections.view_inspection",
        "create": "inspections.add_inspection",
        "write": "inspections.change_inspection",
        "fill": "inspections.change_inspection",
        "sign": "inspections.change_inspection",
        "complete": "inspections.change_inspection",
        "acknowledge": "inspections.acknowledge_inspection",
        "hazards": "inspections.create_hazards",
    }

    def perform_create(self, serializer):
        inspectors = serializer.validated_data.pop("inspectors", [])
        inspection = Inspection(**serializer.validated_data)
        try:
            services.create_inspection(actor=self.request.user, inspection=inspection, inspectors=inspectors)
        except DjangoValidationError as exc:
            _refused(exc)
        serializer.instance = inspection

    def perform_update(self, serializer):
        if serializer.instance.status != InspectionStatus.DRAFT:
            raise drf_serializers.ValidationError({"detail": "检查记录已完成，不能再修改。"})
        with transaction.atomic():
            inspection = serializer.save()
            try:
                services.check_inspection_rules(inspection, self.request.user)
            except DjangoValidationError as exc:
                _refused(exc)
            if "inspectors" in serializer.validated_data:
                # 行政处罚法 第四十二条 (EN-31): the inspectors of an enforcement inspection are two certified officers.
                why = services.officers_problem(inspection.level, list(inspection.inspectors.all()))
                if why:
                    raise drf_serializers.ValidationError({"inspectors": [why]})
            ensure_in_scope(self.request.user, inspection)

    @extend_schema(
        request=serializers.ItemUpdateSerializer(many=True), responses={200: serializers.InspectionSerializer}
    )
    @action(detail=True, methods=["post"])
    def fill(self, request, pk=None):
        """Set results of checklist items: a list of {id, result, note, …}."""
        inspection = self.get_object()
        if inspection.status != InspectionStatus.DRAFT:
            raise drf_serializers.ValidationError({"detail": "检查记录已完成，不能再修改。"})
        entries = serializers.ItemUpdateSerializer(data=request.data, many=True)
        entries.is_valid(raise_exception=True)
        items = {i.pk: i for i in inspection.items.all()}
        with transaction.atomic():
            for entry in entries.validated_data:
                item = items.get(entry.pop("id"))
                if item is None:
                    raise drf_serializers.ValidationError({"detail": "检查项不属于该检查记录。"})
                for name, value in entry.items():
                    setattr(item, name, value)
                if item.result != "fail":
                    item.is_major, item.rectified_on_spot, item.follow_up = False, False, ""
                    item.interim_measures, item.rectify_deadline = "", None
                item.save()
        inspection = self.get_object()
        return Response(self.get_serializer(inspection).data)

    @extend_schema(request=serializers.SignSerializer, responses={200: serializers.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        data = serializers.SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            inspection = services.sign(
                actor=request.user, inspection=self.get_object(), **data.validated_data
            )
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(self.get_serializer(inspection).data)

    @extend_schema(request=None, responses={200: serializers.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        try:
            inspection = services.complete(actor=request.user, inspection=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(self.get_serializer(inspection).data)

    @extend_schema(request=None, responses={200: serializers.InspectionSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        try:
            inspection = services.acknowledge(actor=request.user, inspection=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        return Response(self.get_serializer(inspection).data)

    @extend_schema(request=None, responses={201: dict})
    @action(detail=True, methods=["post"])
    def hazards(self, request, pk=None):
        """Every failed item without a hazard becomes a hazard, in one step."""
        try:
            created = services.create_hazards_from_items(actor=request.user, inspection=self.get_object())
        except DjangoValidationError as exc:
            _refused(exc)
        return Response({"hazards": [{"id": h.pk, "number": h.number} for h in created]}, status=201)


TARGETING_API_LIMIT = 500


@extend_schema(
    parameters=[
        OpenApiParameter("territory", int, description="区划（含下级）"),
        OpenApiParameter("sector", int, description="行业领域"),
        OpenApiParameter("risk_level", str, description="风险等级：major/high/medium/low"),
        OpenApiParameter("q", str, description="单位名称或统一社会信用代码"),
        OpenApiParameter("limit", int, description=f"返回前多少家（默认 50，最多 {TARGETING_API_LIMIT}）"),
    ],
    responses={200: serializers.TargetingSerializer},
)
@api_view(["GET"])
@schema(ApiSchema())
@permission_classes([IsAuthenticated])
def targeting_ranking(request):
    """重点检查对象排序: the units in scope most in need of an inspection, each with its score and reasons."""
    if not has_perm(request.user, targeting.VIEW_PERMISSION):
        return Response({"detail": "您的角色无权使用重点检查排序。"}, status=status.HTTP_403_FORBIDDEN)
    limit = request.query_params.get("limit", "50")
    if not (limit.isdecimal() and 1 <= int(limit) <= TARGETING_API_LIMIT):
        return Response(
            {"limit": [f"应为 1 至 {TARGETING_API_LIMIT} 的整数。"]}, status=status.HTTP_400_BAD_REQUEST
        )
    filterset = TargetingFilter(
        request.query_params, queryset=targeting.scoped_units(request.user), request=request
    )
    if not filterset.is_valid():
        return Response(filterset.errors, status=status.HTTP_400_BAD_REQUEST)
    ranking = targeting.rank_units(filterset.qs)
    return Response(
        serializers.TargetingSerializer({"count": len(ranking), "results": ranking[: int(limit)]}).data
    )
