"""Generic import pages: upload, template download, preview (what was found, column mapping, unit confirmation,
row-level errors), commit; and the words each importer understands for its columns."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from ..forms import StyledForm
from ..importing import (
    IGNORE,
    MAX_FILE_BYTES,
    get_importer,
    remember_columns,
    remember_units,
)
from ..importing.synonyms import add_synonym, delete_synonym
from ..models import ImportBatch, ImportColumnSynonym
from ..permissions import has_perm
from ..tasks import commit_import, parse_import
from .import_synonyms import SYNONYM_PERMISSION, SynonymForm


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
        action = request.POST.get("action")
        if action in ("add_synonym", "delete_synonym"):
            return self.edit_synonyms(request, key, action)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            importer=key, file=upload, original_name=upload.name[:200], created_by=request.user
        )
        parse_import.delay(batch.pk)
        return redirect("core:import_batch", key=key, pk=batch.pk)

    def edit_synonyms(self, request, key, action):
        if not has_perm(request.user, SYNONYM_PERMISSION):
            raise PermissionDenied("您的角色不能维护列名同义词。")
        importer = self.importer_class(request.user)
        if action == "delete_synonym":
            synonym = ImportColumnSynonym.objects.filter(pk=request.POST.get("pk"), importer=key).first()
            if synonym is not None:
                delete_synonym(importer, synonym, request.user)
            messages.success(request, "已删除同义词。")
            return redirect("core:import_start", key=key)
        form = SynonymForm(request.POST, importer=importer)
        if not form.is_valid():
            return self.render(UploadForm(), synonym_form=form, status=400)
        try:
            add_synonym(importer, form.cleaned_data["field"], form.cleaned_data["synonym"], request.user)
        except IntegrityError:
            messages.error(request, "该写法已存在。")
        else:
            messages.success(request, f"已添加：“{form.cleaned_data['synonym']}”。")
        return redirect("core:import_start", key=key)

    def render(self, form, synonym_form=None, status=200):
        importer = self.importer_class(self.request.user)
        recent = ImportBatch.objects.filter(importer=self.importer_class.key, created_by=self.request.user)[
            :5
        ]
        can_edit = has_perm(self.request.user, SYNONYM_PERMISSION)
        return render(
            self.request,
            "core/import_start.html",
            {
                "form": form,
                "importer": self.importer_class,
                "recent": recent,
                "columns": importer.columns,
                "added_synonyms": ImportColumnSynonym.objects.filter(importer=self.importer_class.key),
                "synonym_form": synonym_form or (SynonymForm(importer=importer) if can_edit else None),
                "can_edit_synonyms": can_edit,
            },
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
    """The preview. POST answers it: `map` (unknown headers → field or 忽略), `confirm_units` (close matches),
    or, with no action, commits a batch that is ready."""

    def get(self, request, key, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, importer=key, created_by=request.user)
        template = "core/import_batch.html"
        if request.htmx:
            template += "#batch"
        importer = self.importer_class(request.user)
        return render(
            request,
            template,
            {
                "batch": batch,
                "importer": self.importer_class,
                "field_options": importer.field_options(),
                "ignore": IGNORE,
            },
        )

    def post(self, request, key, pk):
        batch = get_object_or_404(ImportBatch, pk=pk, importer=key, created_by=request.user)
        action = request.POST.get("action")
        if action == "map" and batch.status == ImportBatch.Status.MAPPING:
            return self.map_columns(request, batch)
        if action == "confirm_units" and batch.status == ImportBatch.Status.INVALID:
            return self.confirm_units(request, batch)
        if batch.status != ImportBatch.Status.READY:
            messages.error(request, "该批次当前不能导入：请先修正错误后重新上传。")
            return redirect("core:import_batch", key=key, pk=pk)
        ImportBatch.objects.filter(pk=pk).update(status=ImportBatch.Status.COMMITTING)
        commit_import.delay(batch.pk)
        return redirect("core:import_batch", key=key, pk=pk)

    def map_columns(self, request, batch):
        fields = {name for name, _label in self.importer_class(request.user).field_options()}
        answers = {}
        for index, header in enumerate(batch.summary.get("unknown_headers", [])):
            value = request.POST.get(f"column-{index}")
            if value is None or (value != IGNORE and value not in fields):
                messages.error(request, f"请为列“{header}”选择对应字段或“忽略”。")
                return redirect("core:import_batch", key=batch.importer, pk=batch.pk)
            answers[header] = value
        remember_columns(request.user, batch.importer, answers)
        self.reparse(batch)
        return redirect("core:import_batch", key=batch.importer, pk=batch.pk)

    def confirm_units(self, request, batch):
        offered = {c["source"]: c["target"] for c in batch.summary.get("confirmations", [])}
        chosen = {source: offered[source] for source in request.POST.getlist("unit") if source in offered}
        if not chosen:
            messages.error(request, "请勾选要确认的单位。")
            return redirect("core:import_batch", key=batch.importer, pk=batch.pk)
        remember_units(request.user, batch.importer, chosen)
        self.reparse(batch)
        return redirect("core:import_batch", key=batch.importer, pk=batch.pk)

    def reparse(self, batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PARSING, processed_rows=0)
        parse_import.delay(batch.pk)
