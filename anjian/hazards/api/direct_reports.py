"""直接报告 API (HZ-20, 安全生产法 第四十六条第二款): the same scope, permissions and services as the pages.

GET /api/hazards/direct-reports/ — reports in scope (an enterprise user sees only the reports they made);
POST /api/hazards/direct-reports/ — a safety manager's report {hazard | description, location,
reported_to_unit_on, unit_response};
POST /api/hazards/direct-reports/{id}/handle/ {"outcome", "note", "hazard"} — the receiving department's record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ActorFromTokenMixin, ScopedReadOnlyViewSet

from .. import direct_reports
from ..models import DirectReport, DirectReportOutcome, Hazard
from .views import _invalid


class DirectReportSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    supervising_org_name = serializers.CharField(source="supervising_org.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = DirectReport
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "hazard",
            "location",
            "description",
            "reported_to_unit_on",
            "unit_response",
            "reporter_title",
            "submitted_at",
            "supervising_org",
            "supervising_org_name",
            "due_on",
            "status",
            "status_display",
            "outcome",
            "outcome_display",
            "handling_note",
            "handled_hazard",
            "handled_at",
        ]
        read_only_fields = [
            "enterprise",
            "submitted_at",
            "supervising_org",
            "due_on",
            "status",
            "outcome",
            "handling_note",
            "handled_hazard",
            "handled_at",
        ]
        extra_kwargs = {"hazard": {"queryset": Hazard.objects.all(), "required": False, "allow_null": True}}


class HandleSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DirectReportOutcome.choices)
    note = serializers.CharField(max_length=4000)
    hazard = serializers.IntegerField(required=False, allow_null=True, help_text="已登记或督办的隐患 id")


class DirectReportViewSet(ActorFromTokenMixin, ScopedReadOnlyViewSet):
    queryset = DirectReport.objects.select_related("enterprise", "supervising_org").order_by("-id")
    serializer_class = DirectReportSerializer
    filterset_fields = ["status", "enterprise"]
    permissions = {
        "read": "hazards.view_directreport",
        "create": "hazards.add_directreport",
        "handle": "hazards.handle_directreport",
    }

    def get_queryset(self):
        return direct_reports.visible(self.request.user, super().get_queryset())

    def get_serializer_class(self):
        return HandleSerializer if self.action == "handle" else DirectReportSerializer

    def create(self, request, *args, **kwargs):
        data = DirectReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {k: v for k, v in data.validated_data.items() if k != "reporter_title" or v}
        try:
            report = direct_reports.submit(DirectReport(**values), request.user)
        except ValidationError as exc:
            return _invalid(exc)
        return Response(DirectReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=HandleSerializer, responses=DirectReportSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        report = self.get_object()
        data = HandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hazard = None
        if data.validated_data.get("hazard"):
            hazard = Hazard.objects.filter(
                pk=data.validated_data["hazard"], enterprise_id=report.enterprise_id
            ).first()
            if hazard is None:
                return _invalid(ValidationError({"hazard": "所选隐患不属于该单位。"}))
        try:
            report = direct_reports.handle(
                report,
                request.user,
                outcome=data.validated_data["outcome"],
                note=data.validated_data["note"],
                hazard=hazard,
            )
        except PermissionDenied:
            raise
        except ValidationError as exc:
            return _invalid(exc)
        return Response(DirectReportSerializer(report).data)
