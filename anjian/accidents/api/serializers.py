from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer, ScopedModelSerializer

from .. import services
from ..models import Accident, Investigation, NearMissCriterion, ReportHop, ReportVersion, ResponsibleParty


def django_errors(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class FiguresSerializer(CleanSerializer):
    deaths = serializers.IntegerField(min_value=0, default=0)
    missing = serializers.IntegerField(min_value=0, default=0)
    serious_injuries = serializers.IntegerField(min_value=0, default=0, help_text="含急性工业中毒")
    minor_injuries = serializers.IntegerField(min_value=0, default=0)
    direct_loss = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), default=Decimal("0"), help_text="元"
    )

    def figures(self) -> services.Figures:
        data = self.validated_data
        return services.Figures(
            data["deaths"],
            data["missing"],
            data["serious_injuries"],
            data["minor_injuries"],
            data["direct_loss"],
        )


class ReportVersionSerializer(CleanModelSerializer):
    reported_by = serializers.StringRelatedField()

    class Meta:
        model = ReportVersion
        fields = [
            "id",
            "number",
            "kind",
            "as_of",
            "reported_at",
            "reported_by",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss",
            "grade",
            "counts",
            "note",
        ]


class ReportHopSerializer(CleanModelSerializer):
    class Meta:
        model = ReportHop
        fields = [
            "id",
            "accident",
            "level",
            "deadline",
            "reported_at",
            "received_at",
            "reporter",
            "receiver",
            "late",
            "required",
            "note",
        ]
        read_only_fields = fields


class HopReceiveSerializer(CleanSerializer):
    received_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField(required=False, allow_null=True)
    reporter = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    receiver = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ResponsiblePartySerializer(CleanModelSerializer):
    class Meta:
        model = ResponsibleParty
        fields = ["id", "kind", "name", "position", "responsibility", "handling"]


class InvestigationSerializer(CleanModelSerializer):
    parties = ResponsiblePartySerializer(many=True, read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "level",
            "body",
            "unit_entrusted",
            "started_on",
            "extension_days",
            "extension_reason",
            "appraisal_days",
            "deadline",
            "submitted_on",
            "direct_cause",
            "indirect_cause",
            "nature",
            "findings",
            "investment_ok",
            "deployment_ok",
            "supervision_ok",
            "urging_ok",
            "review_notes",
            "follow_up",
            "closed_on",
            "parties",
        ]
        read_only_fields = [
            "level",
            "body",
            "unit_entrusted",
            "started_on",
            "extension_days",
            "extension_reason",
            "appraisal_days",
            "deadline",
            "submitted_on",
            "closed_on",
        ]


class AccidentSerializer(ScopedModelSerializer):
    """Read and change the descriptive fields; figures and grade change only through 补报."""

    grade_display = serializers.CharField(read_only=True, help_text="较大涉险事故不划分事故等级")
    category_display = serializers.CharField(read_only=True)
    record_type_display = serializers.CharField(read_only=True)

    class Meta:
        model = Accident
        fields = [
            "id",
            "title",
            "enterprise",
            "unit_name",
            "territory",
            "sector",
            "occurred_at",
            "unit_received_at",
            "place",
            "category",
            "category_display",
            "industry_group",
            "kind",
            "is_near_miss",
            "near_miss_criteria",
            "record_type_display",
            "summary",
            "measures",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss",
            "grade",
            "grade_display",
            "grading_rules_version",
            "supplement_until",
            "status",
            "created_at",
        ]
        read_only_fields = [
            "enterprise",
            "territory",
            "occurred_at",
            "unit_received_at",
            "industry_group",
            "kind",
            "is_near_miss",
            "near_miss_criteria",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss",
            "grade",
            "grading_rules_version",
            "supplement_until",
            "status",
            "created_at",
        ]


class AccidentDetailSerializer(AccidentSerializer):
    versions = ReportVersionSerializer(many=True, read_only=True)
    hops = ReportHopSerializer(many=True, read_only=True)
    investigation = InvestigationSerializer(read_only=True)

    class Meta(AccidentSerializer.Meta):
        fields = [*AccidentSerializer.Meta.fields, "versions", "hops", "investigation"]


class AccidentCreateSerializer(FiguresSerializer, ScopedModelSerializer):
    """The first report; the grade is computed by the service (493号令 第三条)."""

    county_received_at = serializers.DateTimeField(required=False, allow_null=True, write_only=True)
    reporter = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    receiver = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    # AC-04 ❓ (条文待核对): a 较大涉险事故 names the situations it meets.
    near_miss_criteria = serializers.ListField(
        child=serializers.ChoiceField(choices=NearMissCriterion.choices), required=False, default=list
    )

    class Meta:
        model = Accident
        fields = [
            "title",
            "enterprise",
            "unit_name",
            "territory",
            "sector",
            "occurred_at",
            "unit_received_at",
            "place",
            "category",
            "industry_group",
            "kind",
            "is_near_miss",
            "near_miss_criteria",
            "summary",
            "measures",
            "deaths",
            "missing",
            "serious_injuries",
            "minor_injuries",
            "direct_loss",
            "county_received_at",
            "reporter",
            "receiver",
        ]
        extra_kwargs = {"territory": {"required": False}, "unit_received_at": {"required": False}}

    def validate(self, attrs):  # model validation runs in the service
        return attrs

    def create(self, validated_data):
        figures = services.Figures(
            validated_data.pop("deaths"),
            validated_data.pop("missing"),
            validated_data.pop("serious_injuries"),
            validated_data.pop("minor_injuries"),
            validated_data.pop("direct_loss"),
        )
        extra = {
            name: validated_data.pop(name, None) for name in ("county_received_at", "reporter", "receiver")
        }
        accident = Accident(**validated_data)
        try:
            return services.file_accident(
                self.context["user"],
                accident,
                figures,
                county_received_at=extra["county_received_at"],
                reporter=extra["reporter"] or "",
                receiver=extra["receiver"] or "",
            )
        except DjangoValidationError as exc:
            raise django_errors(exc) from exc

    def to_representation(self, instance):
        return AccidentDetailSerializer(instance, context=self.context).data


class SupplementSerializer(FiguresSerializer):
    as_of = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OpenInvestigationSerializer(CleanSerializer):
    body = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    unit_entrusted = serializers.BooleanField(default=False)


class ExtensionSerializer(CleanSerializer):
    days = serializers.IntegerField(min_value=1, max_value=60)
    reason = serializers.CharField(max_length=200)


class DaySerializer(CleanSerializer):
    day = serializers.DateField()
