"""督查 API: the same access rules, permission table, transitions table and services as the pages.

GET /api/oversight/visits/, /api/oversight/problems/ (filters as the list pages). POST /api/oversight/visits/
registers a visit (services.register_visit). POST /api/oversight/problems/{id}/<action>/ for every action of
workflow.TRANSITIONS: 403 when the role may never take it, 409 with {"detail": <Chinese reason>} when the
problem's state or a guard refuses it, 400 for bad input.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.api.views import ID_REGEX, ActorFromTokenMixin, ScopedModelViewSet

from .. import services, workflow
from ..access import problems_for, visits_for
from ..filters import ProblemFilter, VisitFilter
from ..models import OversightVisit, Problem
from ..workflow import TransitionRefused
from . import serializers as s


class VisitViewSet(ScopedModelViewSet):
    queryset = OversightVisit.objects.select_related("inspecting_org").prefetch_related("targets")
    serializer_class = s.VisitSerializer
    filterset_class = VisitFilter
    http_method_names = ["get", "post", "head", "options"]
    permissions = {"read": "oversight.view_oversightvisit", "write": "oversight.change_oversightvisit"}

    def get_queryset(self):
        return visits_for(self.request.user, self.queryset.all())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        targets = data.pop("targets", [])
        try:
            serializer.instance = services.register_visit(actor=self.request.user, targets=targets, **data)
        except ValidationError as exc:
            from rest_framework.exceptions import ValidationError as ApiError

            raise ApiError({"detail": exc.messages}) from exc
        except PermissionDenied as exc:
            from rest_framework.exceptions import PermissionDenied as ApiDenied

            raise ApiDenied(str(exc)) from exc


class ProblemViewSet(ActorFromTokenMixin, viewsets.ReadOnlyModelViewSet):
    """Problems are entered on their visit (pages, import); the API reads them and takes workflow actions."""

    queryset = Problem.objects.select_related("responsible_unit")
    serializer_class = s.ProblemSerializer
    filterset_class = ProblemFilter
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()
    conflict_actions = frozenset(workflow.ACTIONS)
    permissions = {
        "read": "oversight.view_problem",
        **{name: "oversight.change_problem" for name in workflow.ACTIONS},
    }

    def get_queryset(self):
        return problems_for(self.request.user, self.queryset.all())

    def get_serializer_class(self):
        if self.action in workflow.BY_ACTION:
            return s.ProblemActionSerializer
        return s.ProblemSerializer

    def _run(self, request, pk, name):
        problem = get_object_or_404(self.get_queryset(), pk=pk)
        if request.user.role not in workflow.BY_ACTION[name].roles:
            return Response(
                {"detail": workflow.refusal(problem, request.user, name)}, status=status.HTTP_403_FORBIDDEN
            )
        data = s.ProblemActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if request.FILES:
            values["files"] = request.FILES.getlist("files")
        try:
            services.perform(problem, request.user, name, values)
        except TransitionRefused as exc:
            return Response({"detail": exc.reason}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        problem.refresh_from_db()
        return Response(s.ProblemSerializer(problem).data)


def _make_action(name, label):
    @extend_schema(request=s.ProblemActionSerializer, responses=s.ProblemSerializer, summary=label)
    def handler(self, request, pk=None):
        return self._run(request, pk, name)

    handler.__name__ = name
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"), url_name=name)(handler)


for _t in workflow.TRANSITIONS:
    setattr(ProblemViewSet, _t.action, _make_action(_t.action, _t.label))
