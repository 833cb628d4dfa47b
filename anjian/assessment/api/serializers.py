from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, ScopedModelSerializer

from ..models import AssessmentScheme, Bulletin, Evaluation, Indicator, ItemScore, VetoRule


class IndicatorSerializer(CleanModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "part",
            "name",
            "method",
            "key",
            "max_score",
            "weight",
            "params",
            "scoring_rule",
            "evidence_required",
            "sort_order",
        ]


class VetoRuleSerializer(CleanModelSerializer):
    class Meta:
        model = VetoRule
        fields = ["id", "name", "kind", "params", "basis", "is_active"]


class SchemeSerializer(ScopedModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    veto_rules = VetoRuleSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScheme
        fields = [
            "id",
            "year",
            "name",
            "territory",
            "body_kind",
            "bodies",
            "status",
            "process_weight",
            "result_weight",
            "excellent_min",
            "good_min",
            "pass_min",
            "description",
            "indicators",
            "veto_rules",
        ]


class ItemScoreSerializer(CleanModelSerializer):
    indicator_name = serializers.CharField(source="indicator.name", read_only=True)

    class Meta:
        model = ItemScore
        fields = [
            "id",
            "indicator",
            "indicator_name",
            "value",
            "numerator",
            "denominator",
            "points",
            "note",
            "drilldown_url",
            "scored_at",
        ]


class EvaluationSerializer(CleanModelSerializer):
    body_name = serializers.CharField(source="body.__str__", read_only=True)
    items = ItemScoreSerializer(many=True, read_only=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "scheme",
            "body",
            "body_name",
            "quarter",
            "process_score",
            "result_score",
            "total",
            "grade",
            "vetoed",
            "veto_reasons",
            "rank",
            "computed_at",
            "items",
        ]


class BulletinSerializer(CleanModelSerializer):
    class Meta:
        model = Bulletin
        fields = [
            "id",
            "kind",
            "status",
            "territory",
            "period_start",
            "period_end",
            "scheme",
            "issuer",
            "title",
            "number",
            "recipient",
            "copy_to",
            "intro",
            "overview",
            "praise",
            "criticism",
            "requirements",
            "issued_on",
            "data",
        ]
        read_only_fields = fields
