"""The header words of an importer, as an administrator keeps them: list, add, change, remove, with history.

Who: the people who maintain reference data (安委办 staff and the system administrator, `core.change_sector`).
The words an importer knows by itself are listed for reference and cannot be changed here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from ..audit import history_for
from ..forms import StyledForm
from ..importing import get_importer
from ..importing.synonyms import add_synonym, change_synonym, delete_synonym, synonym_problem
from ..models import ImportColumnSynonym
from ..permissions import has_perm

# The people who maintain reference data (sectors, the department map) maintain the column words too.
SYNONYM_PERMISSION = "core.change_sector"


class SynonymForm(StyledForm):
    field = forms.ChoiceField(label="对应字段")
    synonym = forms.CharField(
        label="表头写法", max_length=100, help_text="如“存在问题”；比较时忽略全半角、空格、括号和*"
    )

    def __init__(self, *args, importer=None, exclude_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer, self.exclude_pk = importer, exclude_pk
        self.fields["field"].choices = importer.field_options()

    def clean(self):
        data = super().clean()
        field, word = data.get("field"), (data.get("synonym") or "").strip()
        if field and word:
            problem = synonym_problem(self.importer, field, word, exclude_pk=self.exclude_pk)
            if problem:
                self.add_error("synonym", problem)
        return data


class SynonymMixin:
    def dispatch(self, request, key, *args, **kwargs):
        importer_class = get_importer(key)
        if importer_class is None:
            raise Http404("没有这种导入。")
        if not has_perm(request.user, SYNONYM_PERMISSION):
            raise PermissionDenied("您的角色不能维护列名同义词。")
        self.importer = importer_class(request.user)
        return super().dispatch(request, key, *args, **kwargs)

    def synonym(self, key, pk):
        return get_object_or_404(ImportColumnSynonym, pk=pk, importer=key)


class SynonymListView(SynonymMixin, View):
    def get(self, request, key):
        return self.render(SynonymForm(importer=self.importer))

    def post(self, request, key):
        form = SynonymForm(request.POST, importer=self.importer)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            add_synonym(self.importer, form.cleaned_data["field"], form.cleaned_data["synonym"], request.user)
        except IntegrityError:  # added by someone else a moment ago
            form.add_error("synonym", "该写法已存在。")
            return self.render(form, status=400)
        messages.success(request, f"已添加：“{form.cleaned_data['synonym'].strip()}”。")
        return redirect("core:import_synonyms", key=key)

    def render(self, form, status=200):
        labels = dict(self.importer.field_options())
        added = ImportColumnSynonym.objects.filter(importer=self.importer.key)
        columns = [
            (column, [s for s in added if s.field == column.field]) for column in self.importer.columns
        ]
        return render(
            self.request,
            "core/import_synonyms.html",
            {"importer": self.importer, "columns": columns, "form": form, "labels": labels},
            status=status,
        )


class SynonymEditView(SynonymMixin, View):
    def get(self, request, key, pk):
        synonym = self.synonym(key, pk)
        form = SynonymForm(
            importer=self.importer,
            exclude_pk=synonym.pk,
            initial={"field": synonym.field, "synonym": synonym.synonym},
        )
        return self.render(synonym, form)

    def post(self, request, key, pk):
        synonym = self.synonym(key, pk)
        form = SynonymForm(request.POST, importer=self.importer, exclude_pk=synonym.pk)
        if not form.is_valid():
            return self.render(synonym, form, status=400)
        try:
            change_synonym(
                self.importer, synonym, form.cleaned_data["field"], form.cleaned_data["synonym"], request.user
            )
        except IntegrityError:
            form.add_error("synonym", "该写法已存在。")
            return self.render(synonym, form, status=400)
        messages.success(request, "已保存。")
        return redirect("core:import_synonym_edit", key=key, pk=synonym.pk)

    def render(self, synonym, form, status=200):
        return render(
            self.request,
            "core/import_synonym_edit.html",
            {"importer": self.importer, "synonym": synonym, "form": form, "history": history_for(synonym)},
            status=status,
        )


class SynonymDeleteView(SynonymMixin, View):
    def post(self, request, key, pk):
        synonym = self.synonym(key, pk)
        delete_synonym(self.importer, synonym, request.user)
        messages.success(request, f"已删除：“{synonym.synonym}”。")
        return redirect("core:import_synonyms", key=key)
