from rest_framework import serializers

from anjian.core.api.serializers import CleanModelSerializer, CleanSerializer

from ..models import Assignment, ProgressReport, ReportAttachment, Review, Task, TaskKind, Urgency


class SupervisionAttachmentSerializer(CleanModelSerializer):
    url = serializers.FileField(source="file", read_only=True, use_url=True)

    class Meta:
        model = ReportAttachment
        fields = ["id", "name", "size", "url"]


class SupervisionReportSerializer(CleanModelSerializer):
    reported_by_name = serializers.CharField(source="reported_by.get_full_name", read_only=True)
    attachments = SupervisionAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "text",
            "is_final",
            "late",
            "reported_by",
            "reported_by_name",
            "reported_at",
            "attachments",
        ]


class SupervisionReviewSerializer(CleanModelSerializer):
    class Meta:
        model = Review
        fields = ["id", "decision", "opinion", "reviewed_by", "reviewed_at"]


class SupervisionAssignmentSerializer(CleanModelSerializer):
    unit_name = serializers.CharField(source="unit.__str__", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    task_number = serializers.CharField(source="task.number", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "task",
            "task_number",
            "unit",
            "unit_name",
            "role",
            "role_display",
            "status",
            "status_display",
            "deadline",
            "reported_at",
            "reported_late",
            "accepted_at",
            "return_count",
        ]
        read_only_fields = fields


class SupervisionAssignmentDetailSerializer(SupervisionAssignmentSerializer):
    reports = SupervisionReportSerializer(many=True, read_only=True)
    reviews = SupervisionReviewSerializer(many=True, read_only=True)

    class Meta(SupervisionAssignmentSerializer.Meta):
        fields = [*SupervisionAssignmentSerializer.Meta.fields, "reports", "reviews"]
        read_only_fields = fields


class SupervisionTaskSerializer(CleanModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    assignments = SupervisionAssignmentSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "urgency",
            "title",
            "content",
            "basis",
            "materials",
            "issuer",
            "issuer_name",
            "issued_on",
            "deadline",
            "status",
            "status_display",
            "completed_at",
            "source_kind",
            "source_label",
            "source_url",
            "notice_title",
            "notice_number",
            "assignments",
            "url",
        ]
        read_only_fields = fields


class SupervisionTaskIssueSerializer(CleanSerializer):
    issuer = serializers.IntegerField(min_value=1, help_text="督办单位（安委会、安委办或专委会）编号")
    kind = serializers.ChoiceField(choices=TaskKind.choices, default=TaskKind.SUPERVISE)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    basis = serializers.CharField(required=False, allow_blank=True, default="")
    materials = serializers.CharField(required=False, allow_blank=True, default="")
    lead_units = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)
    assisting_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )
    deadline = serializers.DateField()
    notice_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notice_number = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class SupervisionProgressSerializer(CleanSerializer):
    text = serializers.CharField()
    final = serializers.BooleanField(default=False, help_text="报送办结材料、申请验收")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class SupervisionAcceptSerializer(CleanSerializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisionReturnSerializer(CleanSerializer):
    reason = serializers.CharField()
