"""What every committee page shares: readers see through `services.readable`, writers through core.scope."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from anjian.core.audit import history_for
from anjian.core.models import AuditEntry
from anjian.core.scope import restrict
from anjian.core.views.generic import PermissionRequiredMixin

from .. import services


class ReadableMixin:
    """List and detail pages: town staff also read the committee records of the levels above them."""

    def scoped_queryset(self):
        return services.readable(self.base_queryset(), self.request.user)


def get_in_scope(model_or_qs, user, pk, readable_only=False):
    """One record the user may see (readable_only) or change (core scope); 404 otherwise."""
    queryset = model_or_qs if hasattr(model_or_qs, "model") else model_or_qs._default_manager.all()
    queryset = services.readable(queryset, user) if readable_only else restrict(queryset, user)
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("记录不存在或不在您的数据范围内。") from exc


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class ActionFormView(PermissionRequiredMixin, View):
    """A small form that performs one service action on a record, then returns to its page.

    Subclasses set `permission`, `form_class`, `title`, and implement `get_target()` and `perform(form, target)`
    (which returns the URL to go to). A refused action shows its Chinese reason on the form; nothing is lost."""

    form_class = None
    title = ""
    template_name = "committee/action_form.html"
    success_message = "已保存。"

    def get_target(self):
        raise NotImplementedError

    def form_kwargs(self, target) -> dict:
        return {}

    def initial(self, target) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        target = self.get_target()
        form = self.form_class(initial=self.initial(target), **self.form_kwargs(target))
        return self.render_form(form, target)

    def post(self, request, *args, **kwargs):
        target = self.get_target()
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs(target))
        if form.is_valid():
            try:
                url = self.perform(form, target)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            except PermissionDenied:
                raise
            else:
                messages.success(request, self.success_message)
                return redirect(url)
        return self.render_form(form, target, status=400)

    def render_form(self, form, target, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "target": target, "title": self.title, "back_url": target.get_absolute_url()},
            status=status,
        )


def merged_history(records, limit: int = 100):
    """Audit entries of several records (a committee, its posts, holders and memberships), newest first."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    q = Q()
    for model, ids in records:
        ids = [str(i) for i in ids]
        if ids:
            q |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    if not q:
        return []
    return AuditEntry.objects.filter(q).select_related("content_type").order_by("-timestamp", "-id")[:limit]


__all__ = ["ActionFormView", "ReadableMixin", "error_text", "get_in_scope", "history_for", "merged_history"]
