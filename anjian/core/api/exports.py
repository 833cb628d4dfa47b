"""Background Excel exports over the API, the same jobs as the pages (core.export_jobs):

    POST /api/core/exports/                {"list_url": "/hazards/?grade=major"} → 202 the job
    GET  /api/core/exports/                the caller's recent jobs
    GET  /api/core/exports/<id>/           status, rows_done / rows_total, error, download URL when done
    GET  /api/core/exports/<id>/download/  the .xlsx; 409 until done, 403 once expired or no longer allowed

`list_url` is the address of a list page with its filters, exactly as the page's "导出 Excel" link has it:
the job re-runs that list for the caller (same scope, same filterset). Over the API every export is a job,
whatever its size. A job is its owner's: anyone else gets 404, like a missing one.
"""

from urllib.parse import urlsplit

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..export_jobs import ExportForbidden, ExportRefused, download_refusal, list_view_for, start_export
from ..exports import XLSX_CONTENT_TYPE, attachment_header, export_filename
from ..models import ExportJob
from .schema import ApiSchema

RECENT_JOBS = 20


class ExportRequestSerializer(serializers.Serializer):
    list_url = serializers.CharField(
        max_length=2000,
        help_text="台账页面地址及筛选条件，与页面“导出 Excel”链接相同，如 /hazards/?grade=major",
    )


class ExportJobSerializer(serializers.ModelSerializer):
    list_url = serializers.CharField(read_only=True, help_text="导出的台账及筛选条件")
    download_url = serializers.SerializerMethodField(help_text="完成后的下载地址；未完成时为空")

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "export_name",
            "list_url",
            "status",
            "rows_done",
            "rows_total",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]

    def get_download_url(self, job) -> str:
        if job.status != ExportJob.Status.DONE or not job.file:
            return ""
        return reverse("api-export-download", args=[job.pk])


class ExportView(APIView):
    schema = ApiSchema()

    def job(self, request, pk) -> ExportJob:
        return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


class ExportListView(ExportView):
    @extend_schema(
        summary="开始导出台账（后台生成 Excel）",
        request=ExportRequestSerializer,
        responses={202: ExportJobSerializer},
    )
    def post(self, request):
        serializer = ExportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            parts = urlsplit(serializer.validated_data["list_url"])
        except ValueError:  # e.g. an unbalanced "[" read as an IPv6 host
            parts = None
        if parts is None or parts.scheme or parts.netloc or not parts.path.startswith("/"):
            raise ValidationError({"list_url": ["请填写本系统台账页面的地址，如 /hazards/?grade=major。"]})
        try:
            view = list_view_for(request.user, parts.path, parts.query)
        except ExportForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except ExportRefused as exc:
            raise ValidationError({"list_url": [str(exc)]}) from exc
        job = start_export(request.user, view)
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary="我最近的导出任务", responses={200: ExportJobSerializer(many=True)})
    def get(self, request):
        jobs = ExportJob.objects.filter(created_by=request.user)[:RECENT_JOBS]
        return Response(ExportJobSerializer(jobs, many=True).data)


class ExportDetailView(ExportView):
    @extend_schema(summary="导出任务的状态与进度", responses={200: ExportJobSerializer})
    def get(self, request, pk):
        return Response(ExportJobSerializer(self.job(request, pk)).data)


class ExportDownloadView(ExportView):
    action = "download"
    conflict_actions = frozenset({"download"})

    @extend_schema(
        summary="下载导出的 Excel 文件（仅限本人，保留期内）",
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Excel 文件"),
        },
    )
    def get(self, request, pk):
        job = self.job(request, pk)
        if job.in_progress:
            return Response(
                {"detail": f"文件尚未生成（{job.get_status_display()}）。"}, status=status.HTTP_409_CONFLICT
            )
        refusal = download_refusal(request.user, job)
        if refusal:
            raise PermissionDenied(refusal)
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("文件已不存在，请重新导出。") from exc
        response = FileResponse(handle, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = attachment_header(export_filename(job.export_name, job.created_at))
        return response


urlpatterns = [
    path("exports/", ExportListView.as_view(), name="api-exports"),
    path("exports/<int:pk>/", ExportDetailView.as_view(), name="api-export-detail"),
    path("exports/<int:pk>/download/", ExportDownloadView.as_view(), name="api-export-download"),
]
