"""Background exports (core.export_jobs): the job's page with its progress, the user's recent jobs, and the
download, which only the owner gets, and only while they may still export that list."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views import View

from ..export_jobs import download_refusal
from ..exports import XLSX_CONTENT_TYPE, attachment_header, export_filename
from ..models import ExportJob

RECENT_JOBS = 20


def own_job(request, pk) -> ExportJob:
    # Someone else's job looks exactly like a missing one (404): its existence is not leaked.
    if not request.user.is_authenticated:
        raise Http404("导出任务不存在。")
    return get_object_or_404(ExportJob, pk=pk, created_by=request.user)


class ExportJobView(View):
    def get(self, request, pk):
        job = own_job(request, pk)
        template = "core/export_job.html"
        if request.htmx:
            template += "#job"
        return render(request, template, {"job": job, "refusal": download_refusal(request.user, job)})


class ExportJobListView(View):
    def get(self, request):
        if not request.user.is_authenticated:
            raise PermissionDenied("请先登录。")
        jobs = ExportJob.objects.filter(created_by=request.user)[:RECENT_JOBS]
        return render(request, "core/export_jobs.html", {"jobs": jobs, "title": "我的导出"})


class ExportDownloadView(View):
    def get(self, request, pk):
        job = own_job(request, pk)
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
