"""Imports over the API, the same steps as the pages (core.views.imports):

    POST /api/core/imports/<key>/                 multipart `file` → 201 {id, status}
    GET  /api/core/imports/<key>/<id>/            status, total_rows, what was found, errors [{row, column, message}]
    POST /api/core/imports/<key>/<id>/mapping/    {"columns": {"备注": "", "问题隐患": "description"}} → 200
    POST /api/core/imports/<key>/<id>/commit/     → 202 {id, status}; 409 unless the batch is ready

A batch is its uploader's: anyone else gets 404, like a missing one.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..importing import IGNORE, MAX_FILE_BYTES, get_importer, remember_columns
from ..models import ImportBatch
from ..permissions import has_perm
from ..tasks import commit_import, parse_import
from .schema import ApiSchema


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Excel 文件（.xlsx）")

    def validate_file(self, upload):
        if not upload.name.lower().endswith(".xlsx"):
            raise serializers.ValidationError("只支持 .xlsx 格式的 Excel 文件。")
        if upload.size > MAX_FILE_BYTES:
            raise serializers.ValidationError(f"文件过大：最大 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return upload


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="表格中的行号；整个文件的问题为空")
    column = serializers.CharField(help_text="列名（多个工作表时带工作表名）")
    message = serializers.CharField()


class BatchSerializer(serializers.ModelSerializer):
    table = serializers.SerializerMethodField(
        help_text="找到的表格，如“第3行为表头，读取 2024年1月–12月 共12个工作表”"
    )
    unknown_headers = serializers.SerializerMethodField(help_text="待指定对应字段的列名（状态为 mapping 时）")
    errors = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "importer",
            "original_name",
            "status",
            "created_at",
            "total_rows",
            "processed_rows",
            "table",
            "unknown_headers",
            "warnings",
            "errors",
            "summary",
        ]

    def get_table(self, batch) -> str:
        return batch.summary.get("table", "")

    def get_unknown_headers(self, batch) -> list[str]:
        return batch.summary.get("unknown_headers", [])

    @extend_schema_field(ImportErrorSerializer(many=True))
    def get_errors(self, batch) -> list[dict]:
        return [{"row": row, "column": column, "message": message} for row, column, message in batch.errors]


class ImportView(APIView):
    schema = ApiSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        importer = get_importer(kwargs["key"])
        if importer is None:
            raise Http404("没有这种导入。")
        if not has_perm(request.user, importer.permission):
            raise PermissionDenied("您的角色无权导入此台账。")
        self.importer_class = importer

    def batch(self, request, key, pk):
        return get_object_or_404(ImportBatch, pk=pk, importer=key, created_by=request.user)


class ImportUploadView(ImportView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="上传台账文件并开始校验",
        request={"multipart/form-data": UploadSerializer},
        responses={
            201: inline_serializer(
                "ImportCreated", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
    )
    def post(self, request, key):
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        batch = ImportBatch.objects.create(
            importer=key, file=upload, original_name=upload.name[:200], created_by=request.user
        )
        parse_import.delay(batch.pk)
        batch.refresh_from_db(fields=["status"])
        return Response({"id": batch.pk, "status": batch.status}, status=status.HTTP_201_CREATED)


class ImportDetailView(ImportView):
    @extend_schema(summary="导入批次的状态、找到的表格和逐行错误", responses={200: BatchSerializer})
    def get(self, request, key, pk):
        return Response(BatchSerializer(self.batch(request, key, pk)).data)


class ImportMappingView(ImportView):
    parser_classes = [JSONParser]
    action = "mapping"
    conflict_actions = frozenset({"mapping"})

    @extend_schema(
        summary="指定无法识别的列对应的字段（空字符串表示忽略），按本单位记住后重新校验",
        request=inline_serializer(
            "ImportMapping", {"columns": serializers.DictField(child=serializers.CharField(allow_blank=True))}
        ),
        responses={200: BatchSerializer},
    )
    def post(self, request, key, pk):
        batch = self.batch(request, key, pk)
        if batch.status != ImportBatch.Status.MAPPING:
            return Response({"detail": "该批次没有待指定的列。"}, status=status.HTTP_409_CONFLICT)
        columns = request.data.get("columns") if isinstance(request.data, dict) else None
        if not isinstance(columns, dict):
            raise ValidationError({"columns": ["请提供 {列名: 字段} 对象。"]})
        fields = {name for name, _label in self.importer_class(request.user).field_options()}
        problems = {}
        answers = {}
        for header in batch.summary.get("unknown_headers", []):
            value = columns.get(header)
            if value is None:
                problems[header] = "请指定对应字段，或填空字符串表示忽略。"
            elif value != IGNORE and value not in fields:
                problems[header] = f"没有字段“{value}”，可选：{'、'.join(sorted(fields))}。"
            else:
                answers[header] = value
        if problems:
            raise ValidationError({"columns": problems})
        remember_columns(request.user, key, answers)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PARSING, processed_rows=0)
        parse_import.delay(batch.pk)
        batch.refresh_from_db()
        return Response(BatchSerializer(batch).data)


class ImportCommitView(ImportView):
    action = "commit"
    conflict_actions = frozenset({"commit"})

    @extend_schema(
        summary="确认导入（全部成功或全部不导入）",
        request=None,
        responses={
            202: inline_serializer(
                "ImportCommitted", {"id": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
    )
    def post(self, request, key, pk):
        batch = self.batch(request, key, pk)
        claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
            status=ImportBatch.Status.COMMITTING
        )
        if not claimed:
            return Response(
                {"detail": f"该批次当前状态为“{batch.get_status_display()}”，不能导入：请先修正错误。"},
                status=status.HTTP_409_CONFLICT,
            )
        commit_import.delay(batch.pk)
        batch.refresh_from_db(fields=["status"])
        return Response({"id": batch.pk, "status": batch.status}, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("imports/<slug:key>/", ImportUploadView.as_view(), name="api-import"),
    path("imports/<slug:key>/<int:pk>/", ImportDetailView.as_view(), name="api-import-detail"),
    path("imports/<slug:key>/<int:pk>/mapping/", ImportMappingView.as_view(), name="api-import-mapping"),
    path("imports/<slug:key>/<int:pk>/commit/", ImportCommitView.as_view(), name="api-import-commit"),
]
