"""Accident API: the same permissions, scope and service functions as the pages."""

from datetime import date

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from anjian.core.api.schema import ApiSchema
from anjian.core.api.views import ID_REGEX, ScopedModelViewSet
from anjian.core.models import Territory
from anjian.core.scope import restrict

from .. import services, statistics
from ..filters import AccidentFilter
from ..models import Accident, Investigation, ReportHop, ReportVersion
from . import serializers as s


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as exc:
        raise s.django_errors(exc) from exc


class AccidentViewSet(ScopedModelViewSet):
    queryset = Accident.reports.select_related("territory", "enterprise", "sector")
    filterset_class = AccidentFilter
    ordering = ("-occurred_at", "-id")
    permissions = {
        "read": "accidents.view_accident",
        "write": "accidents.change_accident",
        "create": "accidents.add_accident",
        "supplement": "accidents.supplement_accident",
        "open_investigation": "accidents.change_investigation",
        "extend_investigation": "accidents.change_investigation",
        "investigation": "accidents.change_investigation",
        "submit_report": "accidents.change_investigation",
        "close": "accidents.change_investigation",
        "statistics": "accidents.view_statistics",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("versions", queryset=ReportVersion.objects.select_related("reported_by")),
                "hops",
                Prefetch("investigation", queryset=Investigation.objects.prefetch_related("parties")),
            )
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return s.AccidentCreateSerializer
        if self.action == "retrieve":
            return s.AccidentDetailSerializer
        return s.AccidentSerializer

    def perform_create(self, serializer):
        serializer.save()  # the service checks role, scope and runs in a transaction

    def _detail(self, accident):
        accident = Accident.reports.get(pk=accident.pk)
        return Response(s.AccidentDetailSerializer(accident, context=self.get_serializer_context()).data)

    @extend_schema(request=s.SupplementSerializer, responses=s.ReportVersionSerializer)
    @action(detail=True, methods=["post"])
    def supplement(self, request, pk=None):
        """补报: a new version with the totals as of ``as_of`` (493号令 第十三条)."""
        accident = self.get_object()
        data = s.SupplementSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = _call(
            services.supplement,
            request.user,
            accident,
            data.figures(),
            as_of=data.validated_data["as_of"],
            note=data.validated_data["note"],
        )
        return Response(s.ReportVersionSerializer(version).data, status=201)

    @extend_schema(request=s.OpenInvestigationSerializer, responses=s.InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="open-investigation")
    def open_investigation(self, request, pk=None):
        accident = self.get_object()
        data = s.OpenInvestigationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inv = _call(services.open_investigation, request.user, accident, **data.validated_data)
        return Response(s.InvestigationSerializer(inv).data, status=201)

    def _investigation(self):
        accident = self.get_object()
        try:
            return accident.investigation
        except Investigation.DoesNotExist:
            raise ValidationError("该事故尚未启动调查。") from None

    @extend_schema(request=s.ExtensionSerializer, responses=s.InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="extend-investigation")
    def extend_investigation(self, request, pk=None):
        inv = self._investigation()
        data = s.ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inv = _call(services.extend_investigation, request.user, inv, **data.validated_data)
        return Response(s.InvestigationSerializer(inv).data)

    @extend_schema(request=s.InvestigationSerializer, responses=s.InvestigationSerializer)
    @action(detail=True, methods=["patch"])
    def investigation(self, request, pk=None):
        """Findings, nature, the four checks and follow-up."""
        inv = self._investigation()
        data = s.InvestigationSerializer(inv, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        inv = _call(services.update_findings, request.user, inv, data.validated_data)
        return Response(s.InvestigationSerializer(inv).data)

    @extend_schema(request=s.DaySerializer, responses=s.InvestigationSerializer)
    @action(detail=True, methods=["post"], url_path="submit-report")
    def submit_report(self, request, pk=None):
        inv = self._investigation()
        data = s.DaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inv = _call(services.submit_report, request.user, inv, submitted_on=data.validated_data["day"])
        return Response(s.InvestigationSerializer(inv).data)

    @extend_schema(request=s.DaySerializer, responses=s.AccidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        accident = self.get_object()
        data = s.DaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        accident = _call(
            services.close_accident, request.user, accident, closed_on=data.validated_data["day"]
        )
        return self._detail(accident)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="起始日期 YYYY-MM-DD，默认当年1月1日"),
            OpenApiParameter("end", str, description="截止日期，默认今天"),
            OpenApiParameter("dimension", str, enum=list(statistics.DIMENSIONS)),
            OpenApiParameter("territory", int, description="区划（含下级）"),
        ],
        responses={200: dict},
    )
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        """Counts, casualties and losses with the same period last year (同比), 工矿商贸 subtotal, 较大以上."""
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.query_params.get("start") or f"{today.year}-01-01")
            end = date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError:
            raise ValidationError({"start": "日期格式应为 YYYY-MM-DD。"}) from None
        dimension = request.query_params.get("dimension") or "territory"
        queryset = restrict(Accident.objects.all(), request.user)
        root = None
        wanted = request.query_params.get("territory")
        if wanted:
            root = None
            if wanted.isdecimal() and len(wanted) <= 18:
                root = restrict(Territory.objects.all(), request.user).filter(pk=int(wanted)).first()
            if root is None:
                raise ValidationError({"territory": "区划不存在或不在您的数据范围内。"})
            queryset = queryset.filter(territory_path__startswith=root.path)
        elif request.user.territory_id:
            root = request.user.territory
        try:
            report = statistics.build_report(queryset, start, end, dimension, root)
        except ValueError as exc:
            raise ValidationError({"detail": [str(exc)]}) from None  # the dimension, or end before start

        def totals(row):
            c, p = row.current, row.previous
            return {
                "key": row.key,
                "label": row.label,
                "count": c.count,
                "deaths": c.deaths,
                "missing": c.missing,
                "serious_injuries": c.serious_injuries,
                "minor_injuries": c.minor_injuries,
                "direct_loss": str(c.direct_loss),
                "larger_plus": c.larger_plus,
                "previous_count": p.count,
                "previous_deaths": p.deaths,
                "count_change_pct": None if row.count_change is None else str(row.count_change),
                "deaths_change_pct": None if row.deaths_change is None else str(row.deaths_change),
            }

        return Response(
            {
                "start": report.start,
                "end": report.end,
                "previous_start": report.previous_start,
                "previous_end": report.previous_end,
                "dimension": report.dimension,
                "rows": [totals(row) for row in report.rows],
                "industry_mining_trade": totals(report.industry_subtotal),
                "total": totals(report.total),
            }
        )


class ReportHopViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reporting chain; ``receive`` records that a level received the report."""

    queryset = ReportHop.objects.select_related("accident")
    serializer_class = s.ReportHopSerializer
    permissions = {"read": "accidents.view_accident", "receive": "accidents.record_hop"}
    ordering = ("-id",)
    lookup_value_regex = ID_REGEX
    schema = ApiSchema()
    filterset_fields = ["accident", "level", "late"]

    def get_queryset(self):
        return restrict(super().get_queryset(), self.request.user)

    @extend_schema(request=s.HopReceiveSerializer, responses=s.ReportHopSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        hop = self.get_object()
        data = s.HopReceiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hop = _call(services.record_hop, request.user, hop, **data.validated_data)
        return Response(s.ReportHopSerializer(hop).data)
