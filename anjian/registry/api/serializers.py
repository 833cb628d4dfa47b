from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, ScopedModelSerializer
from anjian.core.roles import Role

from .. import rules
from ..models import (
    BlacklistEntry,
    BlacklistPerson,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    RiskColour,
    RiskPoint,
    SpecialEquipment,
)
from ..permissions import ENTERPRISE_EDITABLE_FIELDS


class EnterpriseSerializer(ScopedModelSerializer):
    territory_name = serializers.CharField(source="territory.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    risk_level_display = serializers.CharField(source="get_risk_level_display", read_only=True)
    is_blacklisted = serializers.BooleanField(read_only=True)
    # "" until the unit's risk points are assessed (未评定): documented as a blank choice, not only the colours.
    risk_level = serializers.ChoiceField(choices=RiskColour.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "credit_code",
            "territory",
            "territory_name",
            "sectors",
            "status",
            "status_display",
            "address",
            "legal_representative",
            "principal_name",
            "principal_phone",
            "safety_manager_name",
            "safety_manager_phone",
            "longitude",
            "latitude",
            "economic_section",
            "industry_code",
            "scale",
            "employees",
            "risk_level",
            "risk_level_display",
            "is_blacklisted",
            "updated_at",
        ]
        read_only_fields = ["risk_level", "updated_at"]
        extra_kwargs = {"credit_code": {"validators": []}}  # uniqueness checked below after normalising

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            # The status changes through services.change_status (transitions table), not by PATCH.
            fields["status"].read_only = True
        if getattr(user, "role", None) == Role.ENTERPRISE:
            for name, field in fields.items():
                if name not in ENTERPRISE_EDITABLE_FIELDS:
                    field.read_only = True
        return fields

    def validate_credit_code(self, value):
        result = rules.validate_credit_code(value)
        if not result.valid:
            raise serializers.ValidationError(result.errors)
        clash = Enterprise.objects.filter(credit_code=result.normalized)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("该统一社会信用代码已登记，请勿重复登记。")
        return result.normalized


class RiskPointSerializer(ScopedModelSerializer):
    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "enterprise",
            "name",
            "location",
            "hazard_factors",
            "method",
            "lec_l",
            "lec_e",
            "lec_c",
            "ls_l",
            "ls_s",
            "score",
            "level",
            "control_measures",
            "control_owner",
            "is_active",
            "assessed_on",
        ]
        read_only_fields = ["score", "level"]


class LicenceSerializer(ScopedModelSerializer):
    class Meta:
        model = Licence
        fields = [
            "id",
            "enterprise",
            "kind",
            "number",
            "holder",
            "scope_text",
            "issued_by",
            "issued_on",
            "valid_until",
        ]


class HazardousChemicalSerializer(ScopedModelSerializer):
    class Meta:
        model = HazardousChemical
        fields = [
            "id",
            "enterprise",
            "name",
            "cas_no",
            "activity",
            "max_quantity_t",
            "annual_quantity_t",
            "storage_place",
            "highly_toxic",
        ]


class MajorHazardSourceSerializer(ScopedModelSerializer):
    class Meta:
        model = MajorHazardSource
        fields = [
            "id",
            "enterprise",
            "name",
            "record_no",
            "people_within_500m",
            "r_value",
            "level",
            "assessed_on",
            "filed_on",
            "next_assessment_on",
            "description",
        ]
        read_only_fields = ["r_value", "level"]


class ConstructionProjectSerializer(ScopedModelSerializer):
    class Meta:
        model = ConstructionProject
        fields = [
            "id",
            "enterprise",
            "name",
            "builder",
            "supervisor",
            "permit_no",
            "site_address",
            "project_manager",
            "project_manager_phone",
            "started_on",
            "planned_completion_on",
            "completed_on",
            "has_deep_excavation",
        ]


class SpecialEquipmentSerializer(ScopedModelSerializer):
    class Meta:
        model = SpecialEquipment
        fields = [
            "id",
            "enterprise",
            "kind",
            "registration_no",
            "device_code",
            "location",
            "maintenance_unit",
            "installed_on",
            "last_inspection_on",
            "next_inspection_on",
        ]


class BlacklistPersonSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)

    class Meta:
        model = BlacklistPerson
        fields = ["id", "name", "role", "position", "id_number"]


class BlacklistEntrySerializer(CleanModelSerializer):
    status = serializers.CharField(read_only=True)
    persons = BlacklistPersonSerializer(many=True, read_only=True)

    class Meta:
        model = BlacklistEntry
        fields = [
            "id",
            "enterprise",
            "ground",
            "ground_detail",
            "penalty_decision_no",
            "decision_no",
            "decided_by",
            "start_date",
            "end_date",
            "removed_on",
            "removal_reason",
            "status",
            "persons",
        ]
        read_only_fields = fields


class ClosureRecordSerializer(ScopedModelSerializer):
    class Meta:
        model = ClosureRecord
        fields = [
            "id",
            "enterprise",
            "name",
            "territory",
            "address",
            "reason",
            "decision_no",
            "decided_by",
            "decided_on",
            "executed_on",
            "verified_on",
            "verification_note",
        ]
