"""FilterSets shared by the registry's pages, API and exports."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone

from anjian.core.filters import IdFilter, SearchFilterMixin, TerritoryFilterMixin
from anjian.core.models import Sector

from . import rules
from .models import (
    BlacklistEntry,
    BlacklistGround,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    EnterpriseScale,
    EnterpriseStatus,
    EquipmentKind,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    LicenceKind,
    MajorHazardSource,
    RiskColour,
    RiskPoint,
    SpecialEquipment,
    active_blacklist_q,
)
from .services import blacklisted_exists

BOOLEAN_CHOICES = [("yes", "是"), ("no", "否")]
EXPIRY_CHOICES = [("expired", "已过期"), ("expiring", f"{rules.DEFAULT_EXPIRY_WARN_DAYS}天内到期")]


class EnterpriseFilter(SearchFilterMixin, TerritoryFilterMixin):
    sector = django_filters.ModelChoiceFilter(
        label="监管行业",
        queryset=Sector.objects.filter(is_active=True),
        method="filter_sector",
        field_name="sectors",  # (for the schema's type; filter_sector does the filtering)
    )
    risk_level = django_filters.ChoiceFilter(
        label="风险等级", choices=[*RiskColour.choices, ("none", "未评定")], method="filter_risk"
    )
    status = django_filters.ChoiceFilter(label="经营状态", choices=EnterpriseStatus.choices)
    scale = django_filters.ChoiceFilter(label="规模", choices=EnterpriseScale.choices)
    blacklisted = django_filters.ChoiceFilter(
        label="严重失信", choices=BOOLEAN_CHOICES, method="filter_blacklisted"
    )
    search_fields = ("name", "credit_code")

    class Meta:
        model = Enterprise
        fields = ["q", "territory", "sector", "risk_level", "status", "scale", "blacklisted"]

    def filter_sector(self, queryset, name, value):
        # EXISTS on the link table: no duplicated rows, no DISTINCT.
        through = Enterprise.sectors.through
        from django.db.models import Exists, OuterRef

        return queryset.filter(Exists(through.objects.filter(enterprise_id=OuterRef("pk"), sector=value)))

    def filter_risk(self, queryset, name, value):
        return queryset.filter(risk_level="" if value == "none" else value)

    def filter_blacklisted(self, queryset, name, value):
        exists = blacklisted_exists()
        return queryset.filter(exists) if value == "yes" else queryset.filter(~exists)


class EnterpriseChildFilter(SearchFilterMixin, TerritoryFilterMixin):
    """Registers reach territory through their unit."""

    territory_path_field = "enterprise__territory_path"
    # The "查看全部" link of the unit's file (一企一档) opens the list narrowed to that unit.
    enterprise = IdFilter(label="单位编号", field_name="enterprise_id", widget=forms.HiddenInput)
    search_fields = ("enterprise__name", "enterprise__credit_code")


class DueDateFilterMixin(django_filters.FilterSet):
    due = django_filters.ChoiceFilter(label="到期情况", choices=EXPIRY_CHOICES, method="filter_due")
    due_field = ""

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(**{f"{self.due_field}__lt": today})
        # rules.expiry_status: "30天内到期" includes day 30
        limit = today + timedelta(days=rules.DEFAULT_EXPIRY_WARN_DAYS)
        return queryset.filter(**{f"{self.due_field}__gte": today, f"{self.due_field}__lte": limit})


class RiskPointFilter(EnterpriseChildFilter):
    level = django_filters.ChoiceFilter(label="风险等级", choices=RiskColour.choices)
    search_fields = ("name", "enterprise__name")

    class Meta:
        model = RiskPoint
        fields = ["q", "territory", "level", "method", "is_active"]


class LicenceFilter(DueDateFilterMixin, EnterpriseChildFilter):
    kind = django_filters.ChoiceFilter(label="证照类型", choices=LicenceKind.choices)
    due_field = "valid_until"
    search_fields = ("number", "holder", "enterprise__name")

    class Meta:
        model = Licence
        fields = ["q", "territory", "kind", "due"]


class HazardousChemicalFilter(EnterpriseChildFilter):
    search_fields = ("name", "cas_no", "enterprise__name")

    class Meta:
        model = HazardousChemical
        fields = ["q", "territory", "activity", "highly_toxic"]


class MajorHazardSourceFilter(DueDateFilterMixin, EnterpriseChildFilter):
    level = django_filters.ChoiceFilter(label="级别", choices=list(rules.MAJOR_HAZARD_LEVEL_LABELS.items()))
    due_field = "next_assessment_on"
    search_fields = ("name", "record_no", "enterprise__name")

    class Meta:
        model = MajorHazardSource
        fields = ["q", "territory", "level", "due"]


class ConstructionProjectFilter(DueDateFilterMixin, EnterpriseChildFilter):
    active = django_filters.ChoiceFilter(label="在建", choices=BOOLEAN_CHOICES, method="filter_active")
    due_field = "planned_completion_on"
    search_fields = ("name", "builder", "permit_no", "enterprise__name")

    class Meta:
        model = ConstructionProject
        fields = ["q", "territory", "active", "due"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(completed_on__isnull=(value == "yes"))


class SpecialEquipmentFilter(DueDateFilterMixin, EnterpriseChildFilter):
    kind = django_filters.ChoiceFilter(label="设备类别", choices=EquipmentKind.choices)
    due_field = "next_inspection_on"
    search_fields = ("registration_no", "device_code", "location", "enterprise__name")

    class Meta:
        model = SpecialEquipment
        fields = ["q", "territory", "kind", "due"]


class ForestCheckpointFilter(SearchFilterMixin, TerritoryFilterMixin):
    enterprise = IdFilter(label="单位编号", field_name="enterprise_id", widget=forms.HiddenInput)
    search_fields = ("name", "rangers")

    class Meta:
        model = ForestCheckpoint
        fields = ["q", "territory", "is_active"]


class BlacklistFilter(EnterpriseChildFilter):
    ground = django_filters.ChoiceFilter(label="列入事由", choices=BlacklistGround.choices)
    current = django_filters.ChoiceFilter(
        label="当前在名单内", choices=BOOLEAN_CHOICES, method="filter_current"
    )
    search_fields = ("enterprise__name", "enterprise__credit_code", "decision_no")

    class Meta:
        model = BlacklistEntry
        fields = ["q", "territory", "ground", "current"]

    def filter_current(self, queryset, name, value):
        q = active_blacklist_q(timezone.localdate())
        return queryset.filter(q) if value == "yes" else queryset.exclude(q)


class ClosureFilter(SearchFilterMixin, TerritoryFilterMixin):
    search_fields = ("name", "decision_no", "address")

    class Meta:
        model = ClosureRecord
        fields = ["q", "territory"]
