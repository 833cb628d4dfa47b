from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer, ScopedModelSerializer

from ..models import (
    ExtensionRequest,
    Grade,
    Hazard,
    HazardPhoto,
    HazardReview,
    HazardSupervision,
    MajorHazardCriterion,
    Nature,
    Source,
    StopOrder,
)


class HazardSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "number",
            "enterprise",
            "enterprise_name",
            "sector",
            "location",
            "description",
            "category",
            "nature",
            "source",
            "grade",
            "grade_display",
            "major_criterion",
            "major_clause",
            "status",
            "status_display",
            "found_on",
            "inspector_names",
            "registered_at",
            "deadline",
            "is_overdue",
            "rectified_on_spot",
            "confirmed_by",
            "measures",
            "responsible_person",
            "funds",
            "emergency_plan",
            "rectification_note",
            "money_spent",
            "reported_by",
            "reported_at",
            "reviewed_by",
            "reviewed_at",
            "closed_by",
            "closed_at",
            "stop_order",
            "resumption_approved_at",
            "supervision_level",
            "supervising_org",
            "void_reason",
            "order_number",
            "inspection",
        ]
        read_only_fields = fields


class HazardRegisterSerializer(CleanSerializer):
    """Input of POST /api/hazards/hazards/ — passed to services.register_hazard."""

    enterprise = serializers.IntegerField()
    sector = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField()
    grade = serializers.ChoiceField(choices=Grade.choices)
    location = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    nature = serializers.ChoiceField(choices=Nature.choices, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.DEPARTMENT)
    major_criterion = serializers.IntegerField(required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    found_on = serializers.DateField(required=False, allow_null=True)
    rectified_on_spot = serializers.BooleanField(required=False, default=False)
    stop_order = serializers.ChoiceField(choices=StopOrder.choices, required=False, default=StopOrder.NONE)
    clause_suggestion = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="登记前调用 /api/hazards/criteria/suggest/ 返回的 suggestion_id：记录推荐与所登记隐患的对应",
    )


class ActionSerializer(CleanSerializer):
    """Input of POST /api/hazards/hazards/{id}/<action>/; which fields matter depends on the action."""

    measures = serializers.CharField(required=False, allow_blank=True)
    responsible_person = serializers.CharField(required=False, allow_blank=True)
    funds = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    deadline = serializers.DateField(required=False, allow_null=True)
    emergency_plan = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    money_spent = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    photos = serializers.ListField(child=serializers.FileField(), required=False)
    opinion = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    new_deadline = serializers.DateField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=[StopOrder.PARTIAL, StopOrder.TOTAL], required=False)


class PhotoSerializer(CleanModelSerializer):
    class Meta:
        model = HazardPhoto
        fields = ["id", "hazard", "kind", "original_name", "uploaded_at"]


class ReviewSerializer(CleanModelSerializer):
    class Meta:
        model = HazardReview
        fields = ["id", "hazard", "accepted", "opinion", "reviewer", "reviewed_at", "number"]


class ExtensionSerializer(CleanModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "hazard",
            "old_deadline",
            "new_deadline",
            "reason",
            "requested_by",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
        ]


class SupervisionSerializer(CleanModelSerializer):
    class Meta:
        model = HazardSupervision
        fields = [
            "id",
            "hazard",
            "level",
            "supervising_org",
            "deadline",
            "reason",
            "number",
            "listed_by",
            "listed_at",
            "is_active",
            "delisted_at",
        ]


class CriterionSerializer(CleanModelSerializer):
    class Meta:
        model = MajorHazardCriterion
        fields = [
            "id",
            "code",
            "version",
            "sector",
            "standard",
            "document_no",
            "clause",
            "text",
            "confidence",
            "is_active",
        ]
