from rest_framework import serializers

from anjian.core.api.serializers import CleanSerializer, ScopedModelSerializer

from ..models import OversightVisit, Problem


class VisitSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = OversightVisit
        fields = [
            "id",
            "number",
            "title",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "inspecting_org",
            "inspecting_body_name",
            "leader",
            "members",
            "start_on",
            "end_on",
            "territory",
            "targets",
            "fed_back_on",
            "feedback_summary",
            "owner_org",
            "feedback_number",
            "report_number",
        ]
        read_only_fields = [
            "number",
            "status",
            "fed_back_on",
            "owner_org",
            "feedback_number",
            "report_number",
        ]


class ProblemSerializer(ScopedModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.__str__", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "visit",
            "sequence",
            "description",
            "category",
            "basis",
            "responsible_unit",
            "responsible_unit_name",
            "responsible_person",
            "responsible_post",
            "measures",
            "deadline",
            "status",
            "status_display",
            "is_overdue",
            "reported_by",
            "reported_at",
            "closed_by",
            "closed_at",
            "task_url",
        ]
        read_only_fields = fields

    def get_is_overdue(self, obj) -> bool:
        return obj.overdue_now()


class ProblemActionSerializer(CleanSerializer):
    """Input of POST /api/oversight/problems/{id}/<action>/; which fields matter depends on the action."""

    measures = serializers.CharField(required=False, allow_blank=True)
    responsible_person = serializers.CharField(required=False, allow_blank=True)
    responsible_post = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    files = serializers.ListField(child=serializers.FileField(), required=False)
    opinion = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
