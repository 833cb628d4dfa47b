"""API: the same permissions and scope as the pages; state changes through the services."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.audit import record_action
from anjian.core.scope import ensure_in_scope

from .. import services
from ..filters import ReportFilter, TemplateFilter
from ..models import Report, ReportTemplate, TemplateField
from . import serializers as S


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise drf_serializers.ValidationError({"detail": exc.messages}) from exc


class ReportTemplateViewSet(ScopedModelViewSet):
    queryset = ReportTemplate.objects.prefetch_related("fields", "sectors")
    serializer_class = S.ReportTemplateSerializer
    filterset_class = TemplateFilter
    permissions = {"read": "reporting.view_reporttemplate", "write": "reporting.change_reporttemplate"}

    def perform_create(self, serializer):
        organisation = self.request.user.organisation
        if organisation is None:
            raise exceptions.PermissionDenied("您的账号未关联机构，不能制定报表。")
        with transaction.atomic():
            template = serializer.save(owner=organisation, territory=organisation.territory)
            ensure_in_scope(self.request.user, template)

    def perform_update(self, serializer):
        with transaction.atomic():
            template = serializer.save(version=serializer.instance.version + 1)
            ensure_in_scope(self.request.user, template)
            record_action(template, "reporting.template_changed", f"模板改为第{template.version}版")


class TemplateFieldViewSet(ScopedModelViewSet):
    queryset = TemplateField.objects.select_related("template")
    serializer_class = S.ReportTemplateFieldSerializer
    permissions = {"read": "reporting.view_reporttemplate", "write": "reporting.change_reporttemplate"}

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer):
        with transaction.atomic():
            row = serializer.save()
            ensure_in_scope(self.request.user, row)
            template = ReportTemplate.objects.select_for_update().get(pk=row.template_id)
            template.version += 1
            template.save(update_fields=["version"])
            record_action(template, "reporting.template_changed", f"字段“{row.label}”已保存")


class ReportViewSet(ScopedReadOnlyViewSet):
    queryset = Report.objects.select_related("template").prefetch_related("receivers")
    serializer_class = S.ReportingReportSerializer
    filterset_class = ReportFilter
    conflict_actions = ("save", "submit", "refresh", "return_report", "confirm")
    permissions = {
        "read": "reporting.view_report",
        "save": "reporting.fill_report",
        "submit": "reporting.fill_report",
        "refresh": "reporting.fill_report",
        "return_report": "reporting.receive_report",
        "confirm": "reporting.receive_report",
    }

    def _act(self, report, action_name, call):
        reason = services.refusal(self.request.user, report, action_name)
        if reason:
            # Not the unit's report (403) or not in a state that allows it (409).
            allowed_by_state = report.status in services.TRANSITIONS[action_name].sources
            if allowed_by_state:
                raise exceptions.PermissionDenied(reason)
            raise Conflict(reason)
        try:
            report = _call(call)
        except PermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        return Response(S.ReportingReportSerializer(report).data)

    @extend_schema(request=S.ReportFillSerializer, responses=S.ReportingReportSerializer)
    @action(detail=True, methods=["post"])
    def save(self, request, pk=None):
        report = self.get_object()
        data = S.ReportFillSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        return self._act(
            report,
            "save",
            lambda: services.save_draft(
                report,
                request.user,
                d.get("values", {}),
                d.get("narrative", ""),
                d.get("signer_name", ""),
                d["signer_confirmed"],
            ),
        )

    @extend_schema(request=S.ReportFillSerializer, responses=S.ReportingReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        data = S.ReportFillSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        return self._act(
            report,
            "submit",
            lambda: services.submit(
                report,
                request.user,
                values=d.get("values"),
                narrative=d.get("narrative"),
                signer_name=d.get("signer_name"),
                signer_confirmed=d["signer_confirmed"] if "signer_confirmed" in request.data else None,
            ),
        )

    @extend_schema(request=None, responses=S.ReportingReportSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        report = self.get_object()
        return self._act(report, "save", lambda: services.refresh_auto(report, request.user))

    @extend_schema(request=S.ReportReturnSerializer, responses=S.ReportingReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request, pk=None):
        report = self.get_object()
        data = S.ReportReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._act(
            report,
            "return",
            lambda: services.return_report(report, request.user, data.validated_data["reason"]),
        )

    @extend_schema(request=None, responses=S.ReportingReportSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        report = self.get_object()
        return self._act(report, "confirm", lambda: services.confirm_report(report, request.user))


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "记录当前的状态不允许此操作。"
    default_code = "conflict"
