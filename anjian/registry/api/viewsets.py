"""REST endpoints of the registry: same scope (core.scope) and permission table as the pages."""

from django.db import transaction

from anjian.core.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.scope import ensure_in_scope

from .. import filters, services
from ..models import (
    BlacklistEntry,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    RiskPoint,
    SpecialEquipment,
)
from . import serializers

REGISTER_PERMISSIONS = {"read": "registry.view_register", "write": "registry.change_register"}


class EnterpriseViewSet(ScopedModelViewSet):
    queryset = Enterprise.objects.select_related("territory").prefetch_related("sectors")
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filters.EnterpriseFilter
    permissions = {
        "read": "registry.view_enterprise",
        "create": "registry.add_enterprise",
        "write": "registry.change_enterprise",
    }

    def get_queryset(self):
        return super().get_queryset().annotate(is_blacklisted=services.blacklisted_exists())


class RiskPointViewSet(ScopedModelViewSet):
    queryset = RiskPoint.objects.all()
    serializer_class = serializers.RiskPointSerializer
    filterset_class = filters.RiskPointFilter
    permissions = REGISTER_PERMISSIONS

    def _save(self, serializer):
        with transaction.atomic():
            point = serializer.save()
            services.recompute_risk_level(point.enterprise)
            ensure_in_scope(self.request.user, point)

    perform_create = perform_update = _save


class LicenceViewSet(ScopedModelViewSet):
    queryset = Licence.objects.all()
    serializer_class = serializers.LicenceSerializer
    filterset_class = filters.LicenceFilter
    permissions = REGISTER_PERMISSIONS


class HazardousChemicalViewSet(ScopedModelViewSet):
    queryset = HazardousChemical.objects.all()
    serializer_class = serializers.HazardousChemicalSerializer
    filterset_class = filters.HazardousChemicalFilter
    permissions = REGISTER_PERMISSIONS


class MajorHazardSourceViewSet(ScopedModelViewSet):
    queryset = MajorHazardSource.objects.all()
    serializer_class = serializers.MajorHazardSourceSerializer
    filterset_class = filters.MajorHazardSourceFilter
    permissions = REGISTER_PERMISSIONS

    def _save(self, serializer):
        with transaction.atomic():
            source = serializer.save()
            services.recompute_major_hazard(source)
            ensure_in_scope(self.request.user, source)

    perform_create = perform_update = _save


class ConstructionProjectViewSet(ScopedModelViewSet):
    queryset = ConstructionProject.objects.all()
    serializer_class = serializers.ConstructionProjectSerializer
    filterset_class = filters.ConstructionProjectFilter
    permissions = REGISTER_PERMISSIONS


class SpecialEquipmentViewSet(ScopedModelViewSet):
    queryset = SpecialEquipment.objects.all()
    serializer_class = serializers.SpecialEquipmentSerializer
    filterset_class = filters.SpecialEquipmentFilter
    permissions = REGISTER_PERMISSIONS


class BlacklistEntryViewSet(ScopedReadOnlyViewSet):
    """Read-only: listing and removal go through the pages' services (decision documents, reasons)."""

    queryset = BlacklistEntry.objects.prefetch_related("persons")
    serializer_class = serializers.BlacklistEntrySerializer
    filterset_class = filters.BlacklistFilter
    permissions = {"read": "registry.view_blacklistentry"}


class ClosureRecordViewSet(ScopedModelViewSet):
    """关闭取缔 register. Recording one bans the registered unit through the same service as the page."""

    queryset = ClosureRecord.objects.all()
    serializer_class = serializers.ClosureRecordSerializer
    filterset_class = filters.ClosureFilter
    permissions = {"read": "registry.view_closurerecord", "write": "registry.change_closurerecord"}

    def perform_create(self, serializer):
        with transaction.atomic():
            closure = services.record_closure(serializer, self.request.user)
            ensure_in_scope(self.request.user, closure)
