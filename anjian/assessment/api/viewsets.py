from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from anjian.core.api.views import ScopedReadOnlyViewSet
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict

from .. import services
from ..models import AssessmentScheme, Bulletin, Evaluation, ItemScore
from ..views import visible_schemes
from . import serializers


class SchemeViewSet(ScopedReadOnlyViewSet):
    """Schemes with their indicators, scoring rules and veto rules (readable by the assessed bodies)."""

    queryset = AssessmentScheme.objects.prefetch_related("indicators", "veto_rules", "bodies").order_by(
        "-year", "id"
    )
    serializer_class = serializers.SchemeSerializer
    permissions = {"read": "assessment.view_assessmentscheme", "compute": "assessment.compute_evaluation"}

    def get_queryset(self):
        return (
            visible_schemes(self.request.user)
            .prefetch_related("indicators", "veto_rules", "bodies")
            .order_by("-year", "id")
        )

    @extend_schema(
        parameters=[OpenApiParameter("quarter", int, description="1–4 季度（过程考核），0 年度")],
        request=None,
        responses=serializers.EvaluationSerializer(many=True),
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])  # a plain array
    def compute(self, request, pk=None):
        """Compute a period's results from the records (the office)."""
        if not has_perm(request.user, "assessment.compute_evaluation"):
            raise PermissionDenied("您的角色无权计算考核结果。")
        scheme = restrict(AssessmentScheme.objects.filter(pk=pk), request.user).first()
        if scheme is None:
            raise PermissionDenied("考核方案不在您的数据范围内。")
        try:
            body = request.data if isinstance(request.data, dict) else {}
            quarter = int(request.query_params.get("quarter", body.get("quarter", 0)))
            if quarter not in range(5):
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise ValidationError({"quarter": "季度应为0～4。"}) from exc
        evaluations = services.compute_period(scheme, quarter, request.user)
        return Response(serializers.EvaluationSerializer(evaluations, many=True).data)


class EvaluationViewSet(ScopedReadOnlyViewSet):
    queryset = (
        Evaluation.objects.select_related("body")
        .prefetch_related(Prefetch("items", queryset=ItemScore.objects.select_related("indicator")))
        .order_by("scheme", "quarter", "rank", "id")
    )
    serializer_class = serializers.EvaluationSerializer
    permissions = {"read": "assessment.view_evaluation"}
    filterset_fields = ["scheme", "quarter", "body", "grade", "vetoed"]


class BulletinViewSet(ScopedReadOnlyViewSet):
    queryset = Bulletin.objects.order_by("-period_end", "-id")
    serializer_class = serializers.BulletinSerializer
    permissions = {"read": "assessment.view_bulletin"}
    filterset_fields = ["status", "kind"]
