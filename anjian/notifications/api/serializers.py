from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer, ScopedModelSerializer

from ..models import Delivery, Firing, KeyPeriod, Notification, ReminderRule
from ..providers import kind_label, kind_labels


class NotificationSerializer(CleanModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "step", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class FiringSerializer(CleanModelSerializer):
    step = serializers.CharField(source="rule.step", read_only=True)
    description = serializers.CharField(source="rule.describe", read_only=True)

    class Meta:
        model = Firing
        fields = [
            "id",
            "rule",
            "kind",
            "object_id",
            "title",
            "url",
            "due_at",
            "fire_at",
            "fired_at",
            "step",
            "description",
            "outcome",
            "recipients",
            "resolved_at",
        ]
        read_only_fields = fields


class TodoSerializer(CleanSerializer):
    title = serializers.CharField()
    url = serializers.CharField()
    action = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    source = serializers.CharField()
    kind = serializers.CharField()
    object_id = serializers.CharField()
    history = FiringSerializer(many=True)


class ReminderRuleSerializer(ScopedModelSerializer):
    kind_label = serializers.SerializerMethodField()
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = ReminderRule
        fields = [
            "id",
            "kind",
            "kind_label",
            "step",
            "offset",
            "unit",
            "level",
            "via_inbox",
            "via_email",
            "via_sms",
            "is_active",
            "description",
        ]

    def get_kind_label(self, obj) -> str:
        return kind_label(obj.kind)

    def validate_kind(self, value):
        if value not in kind_labels():
            raise serializers.ValidationError("未知的期限类型。")
        return value


class KeyPeriodSerializer(ScopedModelSerializer):
    class Meta:
        model = KeyPeriod
        fields = [
            "id",
            "name",
            "category",
            "year",
            "start_date",
            "end_date",
            "territory",
            "raises_inspection_frequency",
            "requires_pre_holiday_check",
            "requires_duty",
            "enables_bulletins",
            "notes",
        ]


class DeliverySerializer(CleanModelSerializer):
    recipient = serializers.CharField(source="notification.recipient.get_full_name", read_only=True)
    title = serializers.CharField(source="notification.title", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "channel",
            "address",
            "recipient",
            "title",
            "status",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
            "created_at",
        ]
        read_only_fields = fields
