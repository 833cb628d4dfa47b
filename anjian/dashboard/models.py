"""Administrative boundaries for the map: one stored GeoJSON geometry per territory, at any level.

Kept here (not on core.Territory) because only the map draws them; imported from GeoJSON files by
`manage.py import_boundaries` or the upload page (anjian/dashboard/boundaries.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.scope import ScopeSpec


class TerritoryBoundary(Audited):
    """The boundary of one territory: a WGS84 (or GCJ-02, like the map tiles) Polygon or MultiPolygon."""

    territory = models.OneToOneField(
        "core.Territory",
        verbose_name="行政区划",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="boundary",
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    geometry = models.JSONField("边界（GeoJSON 几何）")
    centre = models.JSONField("标注点（经度, 纬度）")
    source = models.CharField("来源文件", max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    # The geometry is large: its change is recorded as the named import action, not as a field diff.
    audit_exclude = ("geometry",)
    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "行政区划边界"
        verbose_name_plural = "行政区划边界"
        ordering = ["territory_path"]

    def __str__(self):
        return f"{self.territory.name}边界"
