"""市级核查 API: the same scope, permissions and services as the pages (anjian/hazards/verification.py).

GET /api/hazards/verification-items/ — sampled closures with their verdicts, in the user's scope (a county reads
the verdicts on its hazards); filters: sample, verdict, hazard.
POST /api/hazards/verification-items/{id}/verdict/ {"holds": bool, "opinion": str, "reopen": bool} — record the
核查 (the city office that drew the sample); a refusal is HTTP 409 with {"detail": <Chinese reason>}.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ActorFromTokenMixin, ScopedReadOnlyViewSet

from .. import verification
from ..models import VerificationItem
from ..workflow import TransitionRefused
from .views import _invalid, _refused


class VerificationItemSerializer(serializers.ModelSerializer):
    sample_number = serializers.CharField(source="sample.number", read_only=True)
    hazard_number = serializers.CharField(source="hazard.number", read_only=True)
    verdict_display = serializers.CharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = VerificationItem
        fields = [
            "id",
            "sample",
            "sample_number",
            "hazard",
            "hazard_number",
            "closed_at",
            "verdict",
            "verdict_display",
            "opinion",
            "checked_at",
            "reopened_at",
        ]
        read_only_fields = fields


class VerdictSerializer(serializers.Serializer):
    holds = serializers.BooleanField(help_text="true：属实；false：不属实")
    opinion = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reopen = serializers.BooleanField(required=False, default=False, help_text="不属实时同时重新打开隐患")


class VerificationItemViewSet(ActorFromTokenMixin, ScopedReadOnlyViewSet):
    queryset = VerificationItem.objects.select_related("sample", "hazard").order_by("-id")
    serializer_class = VerificationItemSerializer
    filterset_fields = ["sample", "verdict", "hazard"]
    conflict_actions = frozenset({"verdict"})
    permissions = {"read": "hazards.view_verification", "verdict": "hazards.change_verification"}

    def get_serializer_class(self):
        return VerdictSerializer if self.action == "verdict" else VerificationItemSerializer

    @extend_schema(request=VerdictSerializer, responses=VerificationItemSerializer)
    @action(detail=True, methods=["post"])
    def verdict(self, request, pk=None):
        item = self.get_object()
        data = VerdictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            item = verification.record_verdict(item, actor=request.user, **data.validated_data)
        except TransitionRefused as exc:
            return _refused(exc.reason)
        except ValidationError as exc:
            return _invalid(exc)
        item.refresh_from_db()  # a reopening saved the item again
        return Response(VerificationItemSerializer(item).data)
