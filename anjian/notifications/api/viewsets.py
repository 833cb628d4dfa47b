"""API of the deadlines engine: same permissions and scope as the pages."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.api.views import ID_REGEX, ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.scope import ensure_in_scope

from .. import filters, services
from ..models import Delivery, Firing, KeyPeriod, Notification, ReminderRule
from . import serializers


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own in-app messages."""

    serializer_class = serializers.NotificationSerializer
    filterset_class = filters.NotificationFilter
    queryset = Notification.objects.all()
    permissions = {"read": "notifications.view_notification", "write": "notifications.view_notification"}
    ordering = ("-id",)
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    @extend_schema(request=None, responses=serializers.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.mark_read(notification)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(request.user)})

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"])
    def counts(self, request):
        return Response(
            {"unread": services.unread_count(request.user), "todo": services.todo_count(request.user)}
        )


class TodoViewSet(viewsets.ViewSet):
    """The signed-in user's to-do list, most urgent first (not paginated: it is what waits now)."""

    permissions = {"read": "notifications.view_todo"}
    schema = ApiSchema()

    @extend_schema(responses=serializers.TodoSerializer(many=True))
    def list(self, request):
        return Response(serializers.TodoSerializer(services.todo_for(request.user), many=True).data)


class ReminderRuleViewSet(ScopedModelViewSet):
    queryset = ReminderRule.objects.all()
    serializer_class = serializers.ReminderRuleSerializer
    filterset_class = filters.RuleFilter
    permissions = {"read": "notifications.view_reminderrule", "write": "notifications.change_reminderrule"}


class FiringViewSet(ScopedReadOnlyViewSet):
    queryset = Firing.objects.select_related("rule")
    serializer_class = serializers.FiringSerializer
    filterset_class = filters.FiringFilter
    permissions = {"read": "notifications.view_firing"}


class KeyPeriodViewSet(ScopedModelViewSet):
    queryset = KeyPeriod.objects.all()
    serializer_class = serializers.KeyPeriodSerializer
    filterset_class = filters.KeyPeriodFilter
    permissions = {"read": "notifications.view_keyperiod", "write": "notifications.change_keyperiod"}

    def get_queryset(self):
        # Read: the periods that apply to the user (ancestors) and those of their subtree; write: subtree only.
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return services.visible_key_periods(self.request.user)
        return super().get_queryset()

    def perform_update(self, serializer):
        with transaction.atomic():
            ensure_in_scope(self.request.user, serializer.instance)
            obj = serializer.save()
            ensure_in_scope(self.request.user, obj)


class DeliveryViewSet(ScopedReadOnlyViewSet):
    queryset = Delivery.objects.select_related("notification__recipient")
    serializer_class = serializers.DeliverySerializer
    filterset_class = filters.DeliveryFilter
    permissions = {"read": "notifications.view_delivery", "retry": "notifications.retry_delivery"}

    @extend_schema(request=None, responses=serializers.DeliverySerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        delivery = self.get_object()
        try:
            services.retry_delivery(delivery, request.user)
        except ValueError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        delivery.refresh_from_db()
        return Response(self.get_serializer(delivery).data)
