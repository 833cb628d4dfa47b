"""Generic import pages: upload, template download, preview with row-level errors, commit."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from ..forms import StyledForm
from ..importing import MAX_FILE_BYTES, get_importer
from ..models import ImportBatch
from ..permissions import has_perm
from ..tasks import commit_import, parse_import


class UploadForm(StyledForm):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("只支持 .xlsx 格式的 Excel 文件。")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"文件过大：最大 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return upload


class ImporterMixin:
    def dispatch(self, request, key, *args, **kwargs):
        importer_class = get_importer(key)
        if importer_class is None:
            raise Http404("没有这种导入。")
        if not has_perm(request.user, importer_class.permission):
            raise PermissionDenied("您的角色无权导入此台账。")
        self.importer_class = importer_class
        return super().dispatch(request, key, *args, **kwargs)


class ImportStartView(ImporterMixin, View):
    def get(self, request, key):
        return self.render(UploadForm())

    def post(self, request, key):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            importer=key, file=upload, original_name=upload.name[:200], created_by=request.user
        )
        parse_import.delay(batch.pk)
        return redirect("core:import_batch", key=key, pk=batch.pk)

    def render(self, form, status=200):
        recent = ImportBatch.objects.filter(importer=self.importer_class.key, created_by=self.request.user)[
            :5
        ]
        return render(
            self.request,
            "core/import_start.html",
            {"form": form, "importer": self.importer_class, "recent": recent},
            status=status,
        )


class ImportTemplateView(ImporterMixin, View):
    def get(self, request, key):
        workbook = self.importer_class(request.user).template_workbook()
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{key}-template.xlsx"
        workbook.save(response)
        return response


class ImportBatchView(ImporterMixin, View):
    def get(self, request, key, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, importer=key, created_by=request.user)
        template = "core/import_batch.html"
        if request.htmx:
            template += "#batch"
        return render(request, template, {"batch": batch, "importer": self.importer_class})

    def post(self, request, key, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, importer=key, created_by=request.user)
        if batch.status != ImportBatch.Status.READY:
            messages.error(request, "该批次当前不能导入：请先修正错误后重新上传。")
            return redirect("core:import_batch", key=key, pk=pk)
        ImportBatch.objects.filter(pk=pk).update(status=ImportBatch.Status.COMMITTING)
        commit_import.delay(batch.pk)
        return redirect("core:import_batch", key=key, pk=pk)
