from rest_framework import serializers

from anjian.core.api.serializers import CleanSerializer, ScopedModelSerializer

from ..models import (
    Committee,
    CommitteePost,
    DutyItem,
    LeaderDuty,
    Meeting,
    MeetingDecision,
    Membership,
    PostHolder,
    ResponsibleUnit,
)


class CommitteeSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "territory",
            "parent",
            "lead_department",
        ]
        read_only_fields = fields


class PostHolderSerializer(ScopedModelSerializer):
    class Meta:
        model = PostHolder
        fields = ["id", "post", "name", "position", "start_date", "end_date", "note"]
        read_only_fields = fields


class CommitteePostSerializer(ScopedModelSerializer):
    holders = PostHolderSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteePost
        fields = ["id", "committee", "rank", "title", "sort_order", "is_active", "holders"]


class CommitteeAppointSerializer(CleanSerializer):
    name = serializers.CharField(max_length=50)
    position = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    start_date = serializers.DateField()
    note = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MembershipEndSerializer(CleanSerializer):
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class MembershipSerializer(ScopedModelSerializer):
    class Meta:
        model = Membership
        fields = [
            "id",
            "committee",
            "organisation",
            "start_date",
            "end_date",
            "end_reason",
            "liaison_name",
            "liaison_title",
            "liaison_phone",
            "sort_order",
        ]
        read_only_fields = ["end_date", "end_reason"]


class DutyItemSerializer(ScopedModelSerializer):
    class Meta:
        model = DutyItem
        fields = [
            "id",
            "organisation",
            "category",
            "text",
            "basis",
            "sort_order",
            "status",
            "confirmed_at",
            "is_active",
        ]
        read_only_fields = ["status", "confirmed_at"]


class LeaderDutySerializer(ScopedModelSerializer):
    class Meta:
        model = LeaderDuty
        fields = ["id", "organisation", "post", "name", "duties", "sort_order", "is_active"]


class ResponsibleUnitSerializer(ScopedModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = ResponsibleUnit
        fields = ["id", "name", "short_name", "kind", "kind_display", "territory", "sectors"]
        read_only_fields = fields


class UnitSectorsSerializer(CleanSerializer):
    sectors = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)


class UnitConfirmedSerializer(CleanSerializer):
    confirmed = serializers.IntegerField()


class CommitteeMeetingSerializer(ScopedModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "committee", "kind", "title", "held_on", "place", "chaired_by", "minutes"]


class CommitteeDecisionSerializer(ScopedModelSerializer):
    class Meta:
        model = MeetingDecision
        fields = ["id", "meeting", "number", "content", "lead_units", "deadline", "task_id", "task_url"]
        read_only_fields = ["number", "task_id", "task_url"]
