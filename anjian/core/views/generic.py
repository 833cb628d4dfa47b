"""Generic pages written once: list (filters, search, keyset pages, htmx, Excel), detail (with history), edit.

Each model's views only declare their queryset, filterset, columns and form (NetBox's generic views habit).
Scope and permissions are applied here, through core.scope and core.permissions, for every page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from .. import export_jobs
from ..audit import history_for
from ..exports import ExportTable
from ..pagination import (
    EXACT_COUNT_LIMIT,
    SEARCH_COUNT_BUDGET_MS,
    SEARCH_COUNT_LIMIT,
    CountHint,
    count_hint,
    keyset_page,
    search_page,
)
from ..permissions import has_perm
from ..scope import ensure_in_scope, restrict
from ..tables import Card, Cards, Cells, TableRows

EXPORT_CHUNK_ROWS = 2000


class PermissionRequiredMixin:
    """Refuses the page unless the user's role holds `permission` (403, Chinese error page)."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not has_perm(request.user, self.get_permission()):
            raise PermissionDenied("您的角色无权使用此功能。")
        return super().dispatch(request, *args, **kwargs)

    def get_permission(self) -> str:
        return self.permission


class ScopedObjectMixin:
    model = None
    queryset = None

    def base_queryset(self):
        return self.queryset.all() if self.queryset is not None else self.model._default_manager.all()

    def scoped_queryset(self):
        return restrict(self.base_queryset(), self.request.user)

    def get_object(self):
        # Out-of-scope and missing records look the same (404): existence is not leaked.
        try:
            return self.scoped_queryset().get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError) as exc:
            raise Http404("记录不存在或不在您的数据范围内。") from exc


class ObjectListView(PermissionRequiredMixin, ScopedObjectMixin, View):
    filterset_class = None
    columns: list = []
    ordering: tuple[str, ...] = ("-id",)
    title = ""
    template_name = "core/object_list.html"
    # What an htmx filter request gets back. Page templates extend core/object_list.html, and a partial
    # is only found under the template that defines it, so the partial is named on its own template.
    results_template = "core/object_list.html#results"
    export_name = ""  # file name of the Excel export; empty: no export
    export_permission = ""  # defaults to the view permission
    add_url = ""  # url name of the create page
    add_permission = ""
    import_url = ""
    import_permission = ""
    page_size = None
    # On a phone each row is a card: title, status, deadline, unit and a line or two more. Name the columns
    # by label ({"title": "隐患编号", "status": "状态", "deadline": "整改期限", "unit": "单位"}) or leave
    # it empty: the link column is the title, and labels mentioning 状态/期限/单位 fill the rest.
    card_fields: dict[str, str] = {}

    def filtered_queryset(self):
        """The rows the user sees: scope, then the request's filters. Pages, htmx fragments and exports (in the
        request or as a background job) all start here. Returns (queryset, filterset or None)."""
        queryset = self.scoped_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            queryset = (
                filterset.qs
                if filterset.is_bound and filterset.is_valid()
                else (queryset.none() if filterset.is_bound else queryset)
            )
        return queryset, filterset

    def can_export(self, user) -> bool:
        return bool(self.export_name) and has_perm(user, self.export_permission or self.get_permission())

    def get(self, request, *args, **kwargs):
        queryset, filterset = self.filtered_queryset()
        if request.GET.get("export") == "xlsx" and self.export_name:
            if not self.can_export(request.user):
                raise PermissionDenied("您的角色无权导出此台账。")
            if export_jobs.too_big_for_request(queryset):
                # Written in the background; the user follows its progress on the job's page.
                return redirect(export_jobs.start_export(request.user, self))
            return self.export(queryset)
        size = self.page_size or settings.ANJIAN["LIST_PAGE_SIZE"]
        searching = bool(request.GET.get("q", "").strip())
        paginate = search_page if searching else keyset_page
        page = paginate(queryset, self.ordering, request.GET.get("cursor"), size)
        columns = [c for c in self.columns if c.display]
        rows = TableRows((obj, Cells(c.html(obj) for c in columns)) for obj in page.items)
        if page.too_broad:
            total = None  # the page says why it is empty
        elif page.is_first and not page.has_next:
            total = CountHint(len(page.items), exact=True)  # all rows are on this page: no query
        elif page.is_first and page.matches_seen is not None:  # the search collected its matches already
            seen = page.matches_seen
            total = (
                CountHint(seen, exact=True)
                if seen <= SEARCH_COUNT_LIMIT
                else CountHint(SEARCH_COUNT_LIMIT, False)
            )
        else:
            total = count_hint(
                queryset,
                SEARCH_COUNT_LIMIT if searching else EXACT_COUNT_LIMIT,
                at_least=len(page.items),
                budget_ms=SEARCH_COUNT_BUDGET_MS if searching else None,
                estimate=not searching,
            )
        context = {
            "title": self.title,
            "filterset": filterset,
            "active_filters": active_filter_count(request, filterset),
            "columns": columns,
            "rows": rows,
            "cards": cards(columns, rows, self.card_fields),
            "total": total,
            "page": page,
            "next_url": self._page_url(request, page.next_cursor) if page.next_cursor else "",
            "first_url": self._page_url(request, None),
            "export_url": self._export_url(request) if self.can_export(request.user) else "",
            "add_url": self.add_url if self.add_url and has_perm(request.user, self.add_permission) else "",
            "import_url": self.import_url
            if self.import_url and has_perm(request.user, self.import_permission)
            else "",
            **self.extra_context(),
        }
        template = self.template_name
        if request.htmx and request.htmx.target == "results":
            template = self.results_template
        return render(request, template, context)

    def extra_context(self) -> dict:
        return {}

    def export_rows(self, queryset):
        columns = [c for c in self.columns if c.export]
        # Columns reading "enterprise.name" follow foreign keys: joined once, not one query per row.
        related = export_jobs.related_paths(queryset.model, columns)
        if related and not queryset.query.deferred_loading[0]:  # only()/defer() cannot be combined with it
            queryset = queryset.select_related(*related)
        for obj in queryset.order_by(*self.ordering).iterator(chunk_size=EXPORT_CHUNK_ROWS):
            yield [c.value(obj) for c in columns]

    def export_table(self, queryset) -> ExportTable:
        """The sheet this list exports. A view with its own ledger layout overrides this (not `export`), so
        that background jobs write the same sheet."""
        headers = [c.label for c in self.columns if c.export]
        return ExportTable(self.title or self.export_name, headers, self.export_rows(queryset))

    def export(self, queryset):
        return self.export_table(queryset).response(self.export_name)

    @staticmethod
    def _params(request, **changes) -> str:
        # Empty filters are left out: the links stay short and read like what the user chose.
        params = {
            k: [v for v in values if v != ""]
            for k, values in request.GET.lists()
            if k not in ("cursor", "export") and any(v != "" for v in values)
        }
        for key, value in changes.items():
            if value is not None:
                params[key] = [value]
        return urlencode(params, doseq=True)

    def _page_url(self, request, cursor):
        query = self._params(request, cursor=cursor)
        return f"{request.path}?{query}" if query else request.path

    def _export_url(self, request):
        return f"{request.path}?{self._params(request, export='xlsx')}"


CARD_LABEL_HINTS = {
    "status": ("状态", "阶段"),
    "deadline": ("期限", "到期", "截止"),
    "unit": ("单位", "企业"),
}
CARD_DETAILS = 2  # further columns shown on a card, "label：value"


def card_layout(columns, card_fields: dict[str, str]) -> dict[str, int]:
    """Which column fills which part of a card: {"title": 0, "status": 4, …} (column positions)."""
    labels = [c.label for c in columns]
    if card_fields:
        return {part: labels.index(label) for part, label in card_fields.items() if label in labels}
    layout = {"title": next((i for i, c in enumerate(columns) if c.link), 0)} if columns else {}
    for part, hints in CARD_LABEL_HINTS.items():
        for i, label in enumerate(labels):
            if i not in layout.values() and any(hint in label for hint in hints):
                layout[part] = i
                break
    return layout


def cards(columns, rows, card_fields: dict[str, str]) -> Cards:
    layout = card_layout(columns, card_fields)
    if not layout:
        return Cards()
    others = [i for i in range(len(columns)) if i not in layout.values()]
    result = Cards()
    for _obj, cells in rows:
        card = {part: cells[i] for part, i in layout.items()}
        if "deadline" in layout:
            card["deadline_label"] = columns[layout["deadline"]].label
        card["details"] = [(columns[i].label, cells[i]) for i in others if cells[i] != ""][:CARD_DETAILS]
        result.append(Card(card))
    return result


def active_filter_count(request, filterset) -> int:
    if filterset is None:
        return 0
    return sum(1 for name, values in request.GET.lists() if name in filterset.filters and any(values))


class ObjectDetailView(PermissionRequiredMixin, ScopedObjectMixin, View):
    template_name = ""
    change_permission = ""
    edit_url = ""  # url name taking pk

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        context = {
            "object": obj,
            "history": history_for(obj),
            "can_change": bool(self.change_permission) and has_perm(request.user, self.change_permission),
            "edit_url": self.edit_url,
            **self.extra_context(obj),
        }
        return render(request, self.template_name, context)

    def extra_context(self, obj) -> dict:
        return {}


class ObjectEditView(PermissionRequiredMixin, ScopedObjectMixin, View):
    """Create (no pk in the URL) or change a record, in one transaction, re-checking scope after the write."""

    form_class = None
    template_name = "core/object_form.html"
    add_permission = ""
    change_permission = ""
    title_add = "新建"
    title_change = "修改"
    success_message = "已保存。"

    def get_permission(self):
        return self.change_permission if "pk" in self.kwargs else self.add_permission

    def get_instance(self):
        return self.get_object() if "pk" in self.kwargs else self.new_instance()

    def new_instance(self):
        return self.model()

    def get_form(self, instance, data=None, files=None):
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user)

    def get(self, request, *args, **kwargs):
        instance = self.get_instance()
        return self.render_form(self.get_form(instance), instance)

    def post(self, request, *args, **kwargs):
        instance = self.get_instance()
        form = self.get_form(instance, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(form, instance, status=400)
        with transaction.atomic():
            obj = self.save(form)
            ensure_in_scope(request.user, obj)
        messages.success(request, self.success_message)
        return redirect(obj.get_absolute_url())

    def save(self, form):
        return form.save()

    def render_form(self, form, instance, status=200):
        title = self.title_change if instance.pk else self.title_add
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"form": form, "object": instance if instance.pk else None, "title": title},
            status=status,
        )
