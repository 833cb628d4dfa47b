from rest_framework import serializers

from anjian.core.api.serializers import CleanSerializer, ScopedModelSerializer

from ..models import (
    Drill,
    DutyLogEntry,
    DutyRoster,
    DutyShift,
    EmergencyPlan,
    PublicityActivity,
    RescueTeam,
    Supply,
    Tip,
    TrainingSession,
    WarningNotice,
    WeatherWarning,
)


class TipSerializer(ScopedModelSerializer):
    number = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Tip
        fields = [
            "id",
            "number",
            "channel",
            "hotline_order_no",
            "kind",
            "content",
            "territory",
            "address",
            "unit_name",
            "enterprise",
            "sector",
            "anonymous",
            "contact_name",
            "contact_phone",
            "submitted_at",
            "status",
            "status_display",
            "urgent",
            "assigned_org",
            "due_date",
            "verification",
            "public_reply",
            "closed_at",
        ]
        read_only_fields = fields


class AssignSerializer(CleanSerializer):
    organisation = serializers.IntegerField()
    due_date = serializers.DateField()
    sector = serializers.IntegerField(required=False, allow_null=True)
    urgent = serializers.BooleanField(default=False)


class VerifySerializer(CleanSerializer):
    founded = serializers.BooleanField()
    verification = serializers.CharField()
    public_reply = serializers.CharField(required=False, allow_blank=True, default="")
    make_hazard = serializers.BooleanField(default=False)
    make_case = serializers.BooleanField(default=False)
    hazard_grade = serializers.ChoiceField(choices=["general", "major"], default="general")
    major_clause = serializers.CharField(required=False, allow_blank=True, default="")


class WarningSerializer(ScopedModelSerializer):
    class Meta:
        model = WeatherWarning
        fields = [
            "id",
            "warning_type",
            "level",
            "title",
            "source",
            "content",
            "starts_at",
            "ends_at",
            "territory",
            "areas",
            "cancelled",
            "notified_at",
        ]
        read_only_fields = ["cancelled", "notified_at"]


class NoticeSerializer(ScopedModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = WarningNotice
        fields = [
            "id",
            "warning",
            "enterprise",
            "enterprise_name",
            "sector",
            "territory",
            "sent_at",
            "ack_due_at",
            "acknowledged_at",
            "measures",
        ]
        read_only_fields = fields


class AckSerializer(CleanSerializer):
    measures = serializers.CharField()


def _model_serializer(model_, field_list):
    meta = type("Meta", (), {"model": model_, "fields": field_list})
    return type(f"{model_.__name__}Serializer", (ScopedModelSerializer,), {"Meta": meta})


RosterSerializer = _model_serializer(
    DutyRoster, ["id", "organisation", "territory", "title", "start_date", "end_date", "duty_phone", "notes"]
)
ShiftSerializer = _model_serializer(
    DutyShift,
    [
        "id",
        "roster",
        "organisation",
        "territory",
        "date",
        "leader_name",
        "leader_phone",
        "officer_name",
        "officer_phone",
    ],
)
DutyLogSerializer = _model_serializer(
    DutyLogEntry,
    ["id", "organisation", "territory", "occurred_at", "kind", "caller", "summary", "action_taken"],
)
PlanSerializer = _model_serializer(
    EmergencyPlan,
    [
        "id",
        "title",
        "owner",
        "organisation",
        "enterprise",
        "territory",
        "kind",
        "level",
        "filing_status",
        "filed_on",
        "filing_no",
        "revised_on",
        "summary",
    ],
)
DrillSerializer = _model_serializer(
    Drill,
    [
        "id",
        "plan",
        "territory",
        "enterprise",
        "held_on",
        "form",
        "participants",
        "participant_units",
        "evaluation",
        "issues",
    ],
)
SupplySerializer = _model_serializer(
    Supply,
    [
        "id",
        "name",
        "category",
        "territory",
        "location",
        "quantity",
        "unit",
        "expiry_date",
        "keeper",
        "keeper_phone",
    ],
)
TeamSerializer = _model_serializer(
    RescueTeam,
    [
        "id",
        "name",
        "tier",
        "territory",
        "enterprise",
        "specialties",
        "base_address",
        "leader",
        "phone",
        "member_count",
    ],
)
TrainingSerializer = _model_serializer(
    TrainingSession,
    ["id", "topic", "audience", "organiser", "territory", "held_on", "hours", "attendee_count", "location"],
)
PublicitySerializer = _model_serializer(
    PublicityActivity,
    ["id", "title", "kind", "organiser", "territory", "held_on", "participants", "materials", "description"],
)
