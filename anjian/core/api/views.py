"""Base viewset: scope through core.scope, permissions through core.permissions, one transaction per write."""

from django.db import transaction
from rest_framework import viewsets

from ..context import _current, acting_as
from ..scope import ensure_in_scope, restrict
from .schema import ApiSchema

# Record ids in URLs are decimal numbers short enough for a 64-bit column: anything else is a 404 at the
# router, before a query could fail on "abc" or on 10^30.
ID_REGEX = r"[0-9]{1,18}"


class ActorFromTokenMixin:
    """Token-authenticated calls are authenticated in the view, after the middleware bound the request's
    actor: bind it here, so the audit trail says who did it."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Token-authenticated calls are authenticated here, after the middleware: tell the audit trail.
        if request.user.is_authenticated and _current.get().user is None:
            self._actor_context = acting_as(
                user=request.user,
                ip=request.META.get("REMOTE_ADDR"),
                request_id=getattr(request, "request_id", None),
                label=request.user.get_full_name(),
            )
            self._actor_context.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        context = getattr(self, "_actor_context", None)
        if context is not None:
            context.__exit__(None, None, None)
            self._actor_context = None
        return super().finalize_response(request, response, *args, **kwargs)


class ScopedModelViewSet(ActorFromTokenMixin, viewsets.ModelViewSet):
    """Subclasses set `queryset`, `serializer_class`, `filterset_class` and `permissions`.

    Deleting is not offered: records are voided or closed through their services, never deleted.
    """

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    permissions: dict[str, str] = {}
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "user": self.request.user}

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            ensure_in_scope(self.request.user, obj)

    def perform_update(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            ensure_in_scope(self.request.user, obj)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    permissions: dict[str, str] = {}
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user)
