from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer, ScopedModelSerializer

from .. import rules
from ..models import (
    MEASURE_CHOICES,
    Case,
    CaseDocument,
    DocumentKind,
    Measure,
    Provision,
    Talk,
    ViolationFinding,
)


class ProvisionSerializer(ScopedModelSerializer):
    measures_allowed = serializers.ListField(
        child=serializers.ChoiceField(choices=MEASURE_CHOICES), required=False, help_text="可采取的措施"
    )

    class Meta:
        model = Provision
        fields = [
            "id",
            "code",
            "law",
            "article",
            "violation",
            "penalty_text",
            "party_kind",
            "fine_min",
            "fine_max",
            "income_share_min",
            "income_share_max",
            "measures_allowed",
            "source_ref",
            "is_active",
        ]


class MeasureSerializer(ScopedModelSerializer):
    measure_display = serializers.CharField(source="get_measure_display", read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "measure",
            "measure_display",
            "provision",
            "amount",
            "income_base",
            "is_upper_limit",
            "ordered_on",
            "deadline",
            "daily_until",
            "details",
            "status",
            "executed_on",
            "resumption_accepted_on",
        ]
        read_only_fields = ["is_upper_limit", "status", "executed_on", "resumption_accepted_on"]


class CaseDocumentSerializer(CleanModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "year",
            "sequence",
            "issued_on",
            "body",
            "details",
            "due_on",
            "settled_on",
        ]
        read_only_fields = ["number", "year", "sequence", "issued_on", "details", "due_on", "settled_on"]


class CaseSerializer(ScopedModelSerializer):
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    documents = CaseDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "party_kind",
            "enterprise",
            "party_name",
            "responsible_persons",
            "territory",
            "sector",
            "organisation",
            "handler",
            "co_handler",
            "source_kind",
            "source_description",
            "hazard",
            "inspection",
            "accident",
            "facts",
            "provisions",
            "stage",
            "stage_display",
            "filed_on",
            "decision_due",
            "notified_on",
            "hearing_offered",
            "hearing_deadline",
            "hearing_requested",
            "hearing_waived",
            "hearing_held_on",
            "decided_on",
            "approved_by",
            "served_on",
            "payment_due",
            "closed_on",
            "transfer_to",
            "outcome_note",
            "measures",
            "documents",
        ]
        read_only_fields = [
            "number",
            "organisation",
            "handler",
            "stage",
            "decision_due",
            "notified_on",
            "hearing_offered",
            "hearing_deadline",
            "hearing_requested",
            "hearing_waived",
            "hearing_held_on",
            "decided_on",
            "approved_by",
            "served_on",
            "payment_due",
            "closed_on",
            "transfer_to",
            "outcome_note",
        ]


class TransitionSerializer(CleanSerializer):
    action = serializers.ChoiceField(choices=[(a.value, a.label) for a in rules.CaseAction])
    note = serializers.CharField(required=False, allow_blank=True, default="")
    transfer_to = serializers.CharField(required=False, allow_blank=True, default="")


class IssueDocumentSerializer(CleanSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    # The kind's own fields (document_details.DETAIL_FIELDS), validated by the service.
    details = serializers.JSONField(required=False, default=dict)


class LiftMeasureSerializer(CleanSerializer):
    document = serializers.IntegerField(help_text="现场处理措施决定书的 id")
    lifted_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FindingSerializer(ScopedModelSerializer):
    class Meta:
        model = ViolationFinding
        fields = [
            "id",
            "source",
            "source_reference",
            "hazard",
            "inspection",
            "enterprise",
            "territory",
            "sector",
            "description",
            "provision",
            "is_major_hazard",
            "rectified",
            "found_on",
            "case",
        ]
        read_only_fields = ["territory", "case"]


class TalkSerializer(ScopedModelSerializer):
    class Meta:
        model = Talk
        fields = [
            "id",
            "kind",
            "target_kind",
            "enterprise",
            "target_organisation",
            "territory",
            "convened_by",
            "held_on",
            "reasons",
            "trigger_ref",
            "attendees",
            "commitments",
            "follow_up_due",
            "follow_up",
            "follow_up_done_on",
        ]
