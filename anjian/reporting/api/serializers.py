from rest_framework import serializers

from anjian.core.api.serializers import CleanSerializer, ScopedModelSerializer

from ..models import Report, ReportTemplate, TemplateField


class ReportTemplateFieldSerializer(ScopedModelSerializer):
    class Meta:
        model = TemplateField
        fields = [
            "id",
            "template",
            "section",
            "key",
            "label",
            "kind",
            "unit",
            "source",
            "metric",
            "required",
            "order",
        ]


class ReportTemplateSerializer(ScopedModelSerializer):
    fields_defined = ReportTemplateFieldSerializer(source="fields", many=True, read_only=True)

    class Meta:
        model = ReportTemplate
        fields = [
            "id",
            "name",
            "code",
            "description",
            "basis",
            "frequency",
            "due_months_after",
            "due_day",
            "due_in_working_days",
            "once_start",
            "once_end",
            "once_due",
            "starts_on",
            "reporter_kind",
            "receiver_kind",
            "sectors",
            "requires_principal_signature",
            "aggregate_from",
            "owner",
            "version",
            "is_active",
            "fields_defined",
        ]
        read_only_fields = ["owner", "version"]


class ReportingReportSerializer(ScopedModelSerializer):
    template_name = serializers.CharField(source="template.name", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "template",
            "template_name",
            "template_version",
            "reporter_org",
            "reporter_enterprise",
            "reporter_name",
            "receivers",
            "period_start",
            "period_end",
            "period_label",
            "due_date",
            "status",
            "is_late",
            "fields_snapshot",
            "values",
            "auto_refreshed_at",
            "narrative",
            "signer_name",
            "signer_confirmed",
            "submitted_at",
            "return_reason",
            "confirmed_at",
        ]
        read_only_fields = fields


class ReportFillSerializer(CleanSerializer):
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False
    )
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    signer_confirmed = serializers.BooleanField(required=False, default=False)


class ReportReturnSerializer(CleanSerializer):
    reason = serializers.CharField(max_length=1000)
