from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet

from .. import queries, services
from ..filters import CaseFilter, FindingFilter, ProvisionFilter, TalkFilter
from ..models import Case, Measure, Provision, Talk, ViolationFinding
from . import serializers


def _refused(exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": "；".join(exc.messages)}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class ProvisionViewSet(ScopedModelViewSet):
    queryset = Provision.objects.all()
    serializer_class = serializers.ProvisionSerializer
    filterset_class = ProvisionFilter
    permissions = {"read": "enforcement.view_provision", "write": "enforcement.change_provision"}


class CaseViewSet(ScopedModelViewSet):
    """Cases. Stage changes only through POST …/transition/ (the service's transitions table)."""

    queryset = Case.objects.select_related("enterprise", "territory", "sector").prefetch_related(
        "provisions", "measures", "documents"
    )
    serializer_class = serializers.CaseSerializer
    filterset_class = CaseFilter
    http_method_names = ["get", "post", "head", "options"]
    permissions = {
        "read": "enforcement.view_case",
        "write": "enforcement.change_case",
        "create": "enforcement.add_case",
    }

    def perform_create(self, serializer):
        provisions = serializer.validated_data.pop("provisions", [])
        case = Case(**serializer.validated_data)
        services.open_case(case, self.request.user)
        case.provisions.set(provisions)
        serializer.instance = case

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except ValidationError as exc:
            return _refused(exc)

    @extend_schema(request=serializers.TransitionSerializer, responses=serializers.CaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_object()
        data = serializers.TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.transition(
                case,
                data.validated_data["action"],
                request.user,
                note=data.validated_data["note"],
                transfer_to=data.validated_data["transfer_to"],
            )
        except ValidationError as exc:
            return _refused(exc)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=serializers.MeasureSerializer, responses=serializers.MeasureSerializer)
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        case = self.get_object()
        data = serializers.MeasureSerializer(data=request.data, context={"user": request.user})
        data.is_valid(raise_exception=True)
        try:
            measure = services.add_measure(Measure(case=case, **data.validated_data), request.user)
        except ValidationError as exc:
            return _refused(exc)
        return Response(serializers.MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.IssueDocumentSerializer, responses=serializers.CaseDocumentSerializer)
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        case = self.get_object()
        data = serializers.IssueDocumentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            document = services.issue_document(
                case,
                data.validated_data["kind"],
                request.user,
                data.validated_data["body"],
                details=data.validated_data["details"],
            )
        except ValidationError as exc:
            return _refused(exc)
        return Response(serializers.CaseDocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.LiftMeasureSerializer, responses=serializers.CaseDocumentSerializer)
    @action(detail=True, methods=["post"], url_path="lift-measure")
    def lift_measure(self, request, pk=None):
        """解除 a temporary stop of a 现场处理措施决定书 (HZ-45: its period is then no longer watched)."""
        case = self.get_object()
        data = serializers.LiftMeasureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = case.documents.filter(pk=data.validated_data["document"]).first()
        if document is None:
            return _refused(ValidationError({"document": "该文书不属于本案。"}))
        try:
            document = services.lift_onsite_measure(
                document, request.user, data.validated_data.get("lifted_on"), data.validated_data["note"]
            )
        except ValidationError as exc:
            return _refused(exc)
        return Response(serializers.CaseDocumentSerializer(document).data)


class FindingViewSet(ScopedModelViewSet):
    queryset = ViolationFinding.objects.select_related("enterprise", "sector")
    serializer_class = serializers.FindingSerializer
    filterset_class = FindingFilter
    http_method_names = ["get", "post", "head", "options"]
    permissions = {"read": "enforcement.view_finding", "write": "enforcement.add_finding"}

    def perform_create(self, serializer):
        enterprise = serializer.validated_data["enterprise"]
        from django.db import transaction

        from anjian.core.scope import ensure_in_scope

        with transaction.atomic():
            obj = serializer.save(territory=enterprise.territory, created_by=self.request.user)
            ensure_in_scope(self.request.user, obj)

    @extend_schema(responses=serializers.FindingSerializer(many=True))
    @action(detail=False, methods=["get"])
    def unlinked(self, request):
        """Punishable findings with neither a case nor an approved no-penalty reason."""
        queryset = self.filter_queryset(queries.unlinked_findings(request.user))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TalkViewSet(ScopedModelViewSet):
    queryset = Talk.objects.select_related("enterprise", "target_organisation")
    serializer_class = serializers.TalkSerializer
    filterset_class = TalkFilter
    permissions = {"read": "enforcement.view_talk", "write": "enforcement.change_talk"}

    def perform_create(self, serializer):
        from django.db import transaction

        from anjian.core.scope import ensure_in_scope

        with transaction.atomic():
            obj = serializer.save(created_by=self.request.user)
            ensure_in_scope(self.request.user, obj)
