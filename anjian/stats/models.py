"""Summary counts kept beside the records they count, so that pages read a few summary rows instead of scanning
millions of records.

`HazardCount` holds, for every combination of the columns that the dashboard, the ledgers, the home panels and
the bulletins filter or group hazards by, how many hazards have it. Any of their figures is a SUM(n) over the
rows under a territory path prefix. The table is written only by anjian/stats/counts.py, in the transaction of
the change it counts (Hazard.save, the overdue scan, bulk loads) — never by hand.
"""

from datetime import date

from django.db import models

from anjian.core.scope import ScopeSpec

# The key of a summary row, in stats.counts.Key's order.
KEY_FIELDS = (
    "territory",
    "sector",
    "grade",
    "status",
    "is_overdue",
    "supervision_level",
    "major_basis_pending",
    "found_month",
    "late_month",
)
# late_month of a hazard that has not gone overdue (a date no deadline has: NULL would escape the unique key).
NOT_LATE = date(1, 1, 1)


class HazardKeyCount(models.Model):
    """The columns of a summary row: a key (territory, sector, grade, status, overdue flag, listing level,
    pending-basis flag, month found, month of a missed deadline) and how many hazards share it."""

    # No index of its own: the unique key starts with it.
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Copied from the territory like every scoped record, so a territory move re-roots it (core.scope).
    territory_path = models.CharField(max_length=255, editable=False, default="")
    # The hazard's sector id; 0 for a hazard without sector (a NULL would escape the unique key).
    sector = models.PositiveIntegerField("行业领域编号（0=未分行业）", default=0)
    grade = models.CharField("隐患级别", max_length=8)
    status = models.CharField("状态", max_length=16)
    is_overdue = models.BooleanField("已逾期", default=False)
    supervision_level = models.PositiveSmallIntegerField("挂牌督办级别", default=0)
    major_basis_pending = models.BooleanField("待补充判定依据", default=False)
    # First day of the month of found_on: dashboard and bulletin periods are whole quarters or years.
    found_month = models.DateField("发现月份")
    # First day of the month of the deadline of a hazard not rectified by it (stats.counts.late_month); NOT_LATE
    # for the others. The dashboard's "new overdue hazards per month" sums it.
    late_month = models.DateField("未按期整改的整改期限月份", default=NOT_LATE)
    n = models.IntegerField("隐患数", default=0)

    # Scoped like the hazards it counts; enterprise staff see no summary (their pages count their own rows).
    scope = ScopeSpec(territory="territory_path", sectors="sector")

    class Meta:
        abstract = True


class HazardCount(HazardKeyCount):
    """How many hazards share one key. The key is the hazard's own territory (not an ancestor: ancestors sum by
    path prefix), sector, grade, status, overdue flag, listing level, pending-basis flag and month found."""

    KEY_FIELDS = KEY_FIELDS

    class Meta:
        verbose_name = "隐患数量汇总"
        verbose_name_plural = "隐患数量汇总"
        constraints = [
            models.UniqueConstraint(
                fields=list(KEY_FIELDS),
                name="stats_hazardcount_key",
            )
        ]
        indexes = [
            # Every reader sums under a territory prefix, most of them for a range of months.
            models.Index(
                fields=["territory_path", "found_month"],
                opclasses=["varchar_pattern_ops", "date_ops"],
                name="stats_hazardcount_path_idx",
            ),
        ]

    def __str__(self):
        return f"{self.territory_path} {self.sector} {self.grade} {self.status} {self.found_month}: {self.n}"


class RolledUpCount(HazardKeyCount):
    """A summary row rolled up to the ancestor at `depth` (0 province, 1 city, 2 county, 3 town; a hazard
    registered higher up keeps its own territory)."""

    depth = models.PositiveSmallIntegerField("汇总层级")

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["depth", *KEY_FIELDS], name="%(app_label)s_%(class)s_key")
        ]

    def __str__(self):
        return f"[{self.depth}] {self.territory_path} {self.sector} {self.grade} {self.status}: {self.n}"


def _rolled_up_path_index(name: str) -> models.Index:
    # Pages sum the rows of one depth under a territory prefix, most of them for a range of months.
    return models.Index(
        fields=["depth", "territory_path", "found_month"],
        opclasses=["int2_ops", "varchar_pattern_ops", "date_ops"],
        name=name,
    )


class HazardRollup(RolledUpCount):
    """The counts of HazardCount rolled up to each depth, kept by the same writes as HazardCount. A province has
    ~18,000 territories that hold hazards, so its HazardCount has about as many rows per million hazards as a few
    hundred thousand: a page sums the rows of its own level for its totals and of its children's level for figures
    per child (stats.queries.summary_rows)."""

    class Meta(RolledUpCount.Meta):
        verbose_name = "隐患数量分级汇总"
        verbose_name_plural = "隐患数量分级汇总"
        indexes = [_rolled_up_path_index("stats_hazardrollup_path_idx")]


class HazardAreaRollup(RolledUpCount):
    """HazardRollup without the sector, the pending-basis flag and the late month (stored as 0, False and
    NOT_LATE): the figures of an area over all its sectors — found, rectified, closed, open, overdue, major,
    listed, per month. The province's dashboard sums its cities' rows on every open: at 10M hazards a city has
    ~13,700 rows of HazardRollup (192,000 for the 14 cities) and ~1,300 of these (18,400). Kept by the same
    writes as HazardRollup (stats.counts.apply). Read only for users who see every sector (a sector-limited
    user's scope filters `sector`, which these rows do not have: such a user is answered from HazardRollup)."""

    class Meta(RolledUpCount.Meta):
        verbose_name = "隐患数量分级汇总（不分行业）"
        verbose_name_plural = "隐患数量分级汇总（不分行业）"
        indexes = [_rolled_up_path_index("stats_hazardarea_path_idx")]

    def __str__(self):
        return f"[{self.depth}] {self.territory_path} {self.grade} {self.status} {self.found_month}: {self.n}"


class UnitCount(models.Model):
    """How many units (生产经营单位) of one status and risk colour a territory has: depth 0 counts a territory's own
    units, depths 1–3 (stats.units.ROLLUP_DEPTHS: city, county, town) the units under that ancestor. Dashboards
    and bulletins group units by colour per child territory; at a million units that was a scan of the unit rows
    on every open of the province dashboard. Written only by anjian/stats/units.py, in the transaction of the
    change it counts. No sector: users limited to some sectors are answered from the unit rows."""

    depth = models.PositiveSmallIntegerField("汇总层级（0=本区划）")
    territory = models.ForeignKey(
        "core.Territory", verbose_name="所属区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    territory_path = models.CharField(max_length=255, editable=False, default="")
    status = models.CharField("经营状态", max_length=16)
    risk_level = models.CharField("风险等级", max_length=8, blank=True)
    n = models.IntegerField("单位数", default=0)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "单位数量汇总"
        verbose_name_plural = "单位数量汇总"
        constraints = [
            models.UniqueConstraint(
                fields=["depth", "territory", "status", "risk_level"], name="stats_unitcount_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["depth", "territory_path"],
                opclasses=["int2_ops", "varchar_pattern_ops"],
                name="stats_unitcount_path_idx",
            ),
        ]

    def __str__(self):
        return f"[{self.depth}] {self.territory_path} {self.status} {self.risk_level or '未评定'}: {self.n}"
