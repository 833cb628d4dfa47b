"""督办事项 API: the same visibility, permission table, transitions table and services as the pages.

GET/POST /api/supervision/tasks/ (POST → services.issue_task), GET /api/supervision/tasks/{id}/;
GET /api/supervision/assignments/ (the user's visible parts), POST /api/supervision/assignments/{id}/progress/,
…/accept/, …/return/. A refusal by side (not the unit, not the issuer) is HTTP 403; by the assignment's state
HTTP 409 with {"detail": <Chinese reason>}; bad input HTTP 400.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.api.views import ID_REGEX, ActorFromTokenMixin
from anjian.core.models import Organisation

from .. import services, workflow
from ..filters import TaskFilter
from ..models import Assignment, ProgressReport, Task
from . import serializers as s


def _invalid(exc: ValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return Response(detail, status=status.HTTP_400_BAD_REQUEST)


class TaskViewSet(
    ActorFromTokenMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Task.objects.all()
    serializer_class = s.SupervisionTaskSerializer
    filterset_class = TaskFilter
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()
    permissions = {"read": "supervision.view_task", "create": "supervision.add_task"}

    def get_queryset(self):
        return (
            services.visible_tasks(self.request.user)
            .select_related("issuer")
            .prefetch_related(
                Prefetch("assignments", queryset=Assignment.objects.select_related("unit", "task"))
            )
            .order_by("-id")
        )

    @extend_schema(request=s.SupervisionTaskIssueSerializer, responses={201: s.SupervisionTaskSerializer})
    def create(self, request, *args, **kwargs):
        data = s.SupervisionTaskIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        organisations = Organisation.objects.select_related("territory")
        lead = list(organisations.filter(pk__in=v["lead_units"]))
        assisting = list(organisations.filter(pk__in=v["assisting_units"]))
        missing = set(v["lead_units"]) - {o.pk for o in lead} | set(v["assisting_units"]) - {
            o.pk for o in assisting
        }
        if missing:
            return Response({"lead_units": ["所选单位不存在。"]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            task = services.issue_task(
                by=request.user,
                issuer=organisations.filter(pk=v["issuer"]).first(),
                title=v["title"],
                content=v["content"],
                basis=v["basis"],
                lead_units=lead,
                assisting_units=assisting,
                deadline=v["deadline"],
                materials=v["materials"],
                kind=v["kind"],
                urgency=v["urgency"],
                notice_title=v["notice_title"],
                notice_number=v["notice_number"],
            )
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as exc:
            return _invalid(exc)
        return Response(
            s.SupervisionTaskSerializer(self.get_queryset().get(pk=task.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class AssignmentViewSet(
    ActorFromTokenMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    queryset = Assignment.objects.all()
    serializer_class = s.SupervisionAssignmentSerializer
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()
    conflict_actions = frozenset({"progress", "accept", "send_back"})
    permissions = {
        "read": "supervision.view_task",
        "progress": "supervision.report_assignment",
        "accept": "supervision.review_assignment",
        "send_back": "supervision.review_assignment",
    }

    def get_queryset(self):
        queryset = (
            services.visible_assignments(self.request.user).select_related("task", "unit").order_by("-id")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.prefetch_related("attachments").select_related(
                        "reported_by"
                    ),
                ),
                "reviews",
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.SupervisionAssignmentDetailSerializer
        return {
            "progress": s.SupervisionProgressSerializer,
            "accept": s.SupervisionAcceptSerializer,
            "send_back": s.SupervisionReturnSerializer,
        }.get(self.action, s.SupervisionAssignmentSerializer)

    def _run(self, request, pk, step, serializer_class, perform):
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        reason = services.refusal(assignment, step, request.user)
        if reason:
            try:
                workflow.next_status(assignment.status, step)
            except workflow.IllegalTransition:
                return Response({"detail": reason}, status=status.HTTP_409_CONFLICT)
            return Response({"detail": reason}, status=status.HTTP_403_FORBIDDEN)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            perform(assignment, data.validated_data)
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return _invalid(exc)
        assignment.refresh_from_db()
        return Response(s.SupervisionAssignmentSerializer(assignment).data)

    @extend_schema(request=s.SupervisionProgressSerializer, responses=s.SupervisionAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """报送进展; `final` = 报送办结材料 (申请验收). Attachments as multipart `files`."""
        step = (
            workflow.Action.SUBMIT
            if str(request.data.get("final", "")).lower() in ("true", "1")
            else workflow.Action.PROGRESS
        )
        return self._run(
            request,
            pk,
            step,
            s.SupervisionProgressSerializer,
            lambda a, v: services.report_progress(
                a, by=request.user, text=v["text"], final=v["final"], files=request.FILES.getlist("files")
            ),
        )

    @extend_schema(request=s.SupervisionAcceptSerializer, responses=s.SupervisionAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """验收办结."""
        return self._run(
            request,
            pk,
            workflow.Action.ACCEPT,
            s.SupervisionAcceptSerializer,
            lambda a, v: services.accept(a, by=request.user, opinion=v["opinion"]),
        )

    @extend_schema(request=s.SupervisionReturnSerializer, responses=s.SupervisionAssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """退回重办 (with the reason)."""
        return self._run(
            request,
            pk,
            workflow.Action.RETURN,
            s.SupervisionReturnSerializer,
            lambda a, v: services.send_back(a, by=request.user, reason=v["reason"]),
        )
