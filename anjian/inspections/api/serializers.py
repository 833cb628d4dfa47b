from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer, ScopedModelSerializer

from ..forms import inspector_choices
from ..models import (
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionTask,
)


class ChecklistItemSerializer(CleanModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "order", "category", "text", "basis", "major_clause"]


class ChecklistTemplateSerializer(CleanModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "sector", "description", "is_active", "items"]


class PlanSerializer(ScopedModelSerializer):
    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "number",
            "name",
            "kind",
            "level",
            "status",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "territory",
            "organisation",
            "sectors",
            "enterprises",
            "risk_levels",
            "checklist_template",
            "inspectors",
            "random_count",
            "inspectors_per_task",
            "random_seed",
            "drawn_at",
            "draw_log",
            "description",
        ]
        read_only_fields = ["number", "status", "random_seed", "drawn_at", "draw_log"]

    def validate_risk_levels(self, value):
        from anjian.registry.models import RiskColour

        if not isinstance(value, list):  # JSON null, a number or an object
            raise serializers.ValidationError('风险等级应为列表，如 ["major", "high"]。')
        bad = [v for v in value if v not in RiskColour.values]
        if bad:
            raise serializers.ValidationError(f"未知的风险等级：{'、'.join(map(str, bad))}")
        return value


class TaskSerializer(CleanModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "plan",
            "enterprise",
            "enterprise_name",
            "sector",
            "inspector",
            "co_inspectors",
            "due_date",
            "status",
            "priority_rank",
            "priority_score",
            "priority_reasons",
        ]


class InspectionItemSerializer(CleanModelSerializer):
    hazard_number = serializers.CharField(source="hazard.number", read_only=True, default=None)

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "order",
            "text",
            "basis",
            "result",
            "note",
            "is_major",
            "major_clause",
            "rectified_on_spot",
            "follow_up",
            "interim_measures",
            "rectify_deadline",
            "hazard",
            "hazard_number",
        ]
        read_only_fields = ["order", "text", "basis", "hazard", "hazard_number"]


class ItemUpdateSerializer(CleanSerializer):
    """One entry of the `fill` action: an item id and the fields to set."""

    id = serializers.IntegerField()
    result = serializers.ChoiceField(choices=["pass", "fail", "na", ""], required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    is_major = serializers.BooleanField(required=False)
    major_clause = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rectified_on_spot = serializers.BooleanField(required=False)
    follow_up = serializers.ChoiceField(
        choices=["", "deadline", "interim", "partial_stop", "total_stop"], required=False
    )
    interim_measures = serializers.CharField(max_length=300, required=False, allow_blank=True)
    rectify_deadline = serializers.DateField(required=False, allow_null=True)


class InspectionSerializer(ScopedModelSerializer):
    items = InspectionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "number",
            "level",
            "kind",
            "status",
            "plan",
            "task",
            "enterprise",
            "territory",
            "sector",
            "organisation",
            "supervising_body",
            "complaint_reference",
            "checklist_template",
            "inspected_on",
            "started_at",
            "ended_at",
            "location",
            "latitude",
            "longitude",
            "lead_inspector",
            "inspectors",
            "unit_contact",
            "unit_contact_title",
            "summary",
            "inspector_signed_at",
            "unit_signer_name",
            "unit_signed_at",
            "completed_at",
            "items",
        ]
        read_only_fields = [
            "number",
            "status",
            "plan",
            "task",
            "territory",
            "organisation",
            "lead_inspector",
            "inspector_signed_at",
            "unit_signer_name",
            "unit_signed_at",
            "completed_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if user is not None:
            fields["inspectors"].child_relation.queryset = inspector_choices(user)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("enterprise", "checklist_template", "level"):
                fields[name].read_only = True
        return fields


class SignSerializer(CleanSerializer):
    who = serializers.ChoiceField(choices=["inspector", "unit"])
    data_url = serializers.CharField()
    signer_name = serializers.CharField(max_length=50, required=False, allow_blank=True)


class TargetingReasonSerializer(serializers.Serializer):
    factor = serializers.CharField(help_text="排序因素代码（TargetingFactor）")
    points = serializers.IntegerField(help_text="该理由的分值")
    label = serializers.CharField(help_text="理由，如“逾期隐患2处”")


class RankedUnitSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    enterprise = serializers.IntegerField(source="enterprise_id")
    name = serializers.CharField()
    risk_level = serializers.CharField(source="facts.risk_level")
    score = serializers.IntegerField(help_text="得分：所满足的启用规则分值之和")
    reasons = TargetingReasonSerializer(many=True)
    days_since_inspection = serializers.IntegerField(
        source="facts.days_since_inspection", allow_null=True, help_text="距上次政府检查天数；从未检查为空"
    )
    inspections_per_year = serializers.IntegerField(source="facts.inspections_per_year")


class TargetingSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="符合条件的单位总数")
    results = RankedUnitSerializer(many=True)


class PrioritiseSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=200, help_text="选取排序前多少家单位")
