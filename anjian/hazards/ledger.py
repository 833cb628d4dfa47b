"""Hazard ledgers (台账) with rates, computed from the records by GROUP BY queries — never typed in.

Definitions (also in docs/hazards.md):
- 隐患总数 total      = hazards registered in the period, excluding voided ones (作废 is a registration error);
- 已整改 rectified    = status in {整改完成待复查, 复查合格待销号, 已销号} (the rectification has been done and reported);
- 已销号 closed       = status 已销号;
- 整改率 = 已整改 / 隐患总数 × 100%;   销号率 = 已销号 / 隐患总数 × 100%   (no hazards: shown as "—");
- 逾期 overdue        = open hazards flagged is_overdue (deadline passed, services.refresh_overdue);
- 重大 major / 重大已销号 major_closed, 挂牌督办 listed = open hazards with an active listing.

One aggregate query per ledger, grouped by the ledger key. The ledgers by sub-territory, sector and department
sum the summary counts (anjian.stats: SUM(n) FILTER (WHERE …) over a few rows per town, sector and month), so
their cost does not grow with the number of hazards; `summary_selection` turns the list filters into a selection
of summary rows. Where the summary cannot answer — a text search, a source or unit filter, dates that cut a
month, an enterprise user's own records — and for the ledger by unit (one row per unit: it needs the rows, and
a unit has few), the same aggregates count the hazard rows: COUNT(…) FILTER (WHERE …) on columns carried by the
hazard row itself, so no join is needed.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, F, IntegerField, Q, Value, When

from anjian.core.models import Organisation, OrganisationKind, Sector, Territory
from anjian.core.scope import restrict, scope_for
from anjian.stats.queries import counter, found_between_q, is_summary, sector_of, summary_rows, whole_months

from .models import OPEN_STATUSES, Grade, Status, SupervisionLevel

RECTIFIED = (Status.REPORTED, Status.ACCEPTED, Status.CLOSED)
LEDGER_KINDS = {
    "enterprise": "按单位",
    "town": "按镇街（下级区划）",
    "sector": "按行业领域",
    "department": "按部门",
}


def rate(part: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class LedgerRow:
    key: object
    label: str
    total: int = 0
    rectified: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    major: int = 0
    major_closed: int = 0
    listed: int = 0

    @property
    def rectification_rate(self):
        return rate(self.rectified, self.total)

    @property
    def closure_rate(self):
        return rate(self.closed, self.total)

    def add(self, other: "LedgerRow"):
        for name in ("total", "rectified", "closed", "open", "overdue", "major", "major_closed", "listed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def aggregates(summary: bool = False) -> dict:
    """The ledger's figures, counted on hazard rows or summed on summary rows (`summary`)."""
    count = counter(summary)
    return {
        "total": count(~Q(status=Status.VOIDED)),
        "rectified": count(Q(status__in=RECTIFIED)),
        "closed": count(Q(status=Status.CLOSED)),
        "open": count(Q(status__in=OPEN_STATUSES)),
        "overdue": count(Q(is_overdue=True, status__in=OPEN_STATUSES)),
        "major": count(Q(grade=Grade.MAJOR) & ~Q(status=Status.VOIDED)),
        "major_closed": count(Q(grade=Grade.MAJOR, status=Status.CLOSED)),
        "listed": count(Q(status__in=OPEN_STATUSES) & ~Q(supervision_level=SupervisionLevel.NONE)),
    }


def _is_summary(queryset) -> bool:
    return is_summary(queryset)


def _grouped(queryset, key_expr) -> dict:
    rows = (
        queryset.order_by()
        .annotate(ledger_key=key_expr)
        .values("ledger_key")
        .annotate(**aggregates(_is_summary(queryset)))
    )
    return {r.pop("ledger_key"): r for r in rows}


# --- which rows answer ---------------------------------------------------------------------------------------
# The list filters the summary counts can answer; any other filter (q, source, enterprise) needs the rows.
SUMMARY_FILTERS = frozenset(
    {
        "territory",
        "status",
        "grade",
        "sector",
        "is_overdue",
        "open",
        "supervision_level",
        "major_basis_pending",
        "found_after",
        "found_before",
    }
)


def summary_selection(user, filters: dict | None, root: Territory | None = None):
    """The summary rows (HazardCount) holding exactly the hazards that the list filters `filters` (the
    HazardFilter's cleaned data) select in `user`'s scope; None where only the hazard rows can answer."""
    if scope_for(user).enterprise_id is not None:
        return None  # an enterprise's own records: few, and the summary is not kept per unit
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", [], ())}
    if not SUMMARY_FILTERS.issuperset(filters):
        return None
    found_after, found_before = filters.get("found_after"), filters.get("found_before")
    if not whole_months(found_after, found_before):
        return None
    # Rows fine enough to group by the children of `root` (by_subterritory) and of the filter's territory.
    paths = (
        scope_for(user).territory_path,
        getattr(filters.get("territory"), "path", None),
        getattr(root, "path", None),
    )
    selection = restrict(summary_rows(*paths), user)
    if found_after or found_before:
        selection = selection.filter(found_between_q(found_after, found_before))
    if "territory" in filters:
        selection = selection.filter(territory_path__startswith=filters["territory"].path)
    if "status" in filters:
        selection = selection.filter(status__in=filters["status"])
    if "grade" in filters:
        selection = selection.filter(grade=filters["grade"])
    if "sector" in filters:
        selection = selection.filter(sector=filters["sector"].pk)
    if "is_overdue" in filters:
        selection = selection.filter(is_overdue=filters["is_overdue"])
    if "open" in filters:
        open_q = Q(status__in=OPEN_STATUSES)
        selection = selection.filter(open_q if filters["open"] else ~open_q)
    if "supervision_level" in filters:
        selection = selection.filter(supervision_level=int(filters["supervision_level"]))
    if "major_basis_pending" in filters:
        selection = selection.filter(major_basis_pending=filters["major_basis_pending"])
    return selection


def by_enterprise(queryset) -> list[LedgerRow]:
    """Per unit: on the hazard rows (the summary is not kept per unit)."""
    from anjian.registry.models import Enterprise

    groups = _grouped(queryset, F("enterprise_id"))
    names = dict(Enterprise.objects.filter(pk__in=groups).values_list("pk", "name"))
    return sorted(
        (LedgerRow(key=k, label=names.get(k, f"#{k}"), **v) for k, v in groups.items()), key=lambda r: r.label
    )


def by_sector(queryset) -> list[LedgerRow]:
    groups = _grouped(queryset, F("sector" if _is_summary(queryset) else "sector_id"))
    groups = {sector_of(k): v for k, v in groups.items()}
    names = dict(Sector.objects.filter(pk__in=[k for k in groups if k]).values_list("pk", "name"))
    return [
        LedgerRow(key=k, label=names.get(k, "未分行业") if k else "未分行业", **v) for k, v in groups.items()
    ]


def by_subterritory(queryset, root: Territory) -> list[LedgerRow]:
    """Per child of `root` (a district's towns, a town's villages): one query mapping each path prefix to the child."""
    children = list(root.children.order_by("sort_order", "code", "id"))
    if not children:
        return []
    whens = [When(territory_path__startswith=c.path, then=Value(c.pk)) for c in children]
    groups = _grouped(queryset, Case(*whens, default=Value(0), output_field=IntegerField()))
    rows = [LedgerRow(key=c.pk, label=c.name, **groups.get(c.pk, {})) for c in children]
    if groups.get(0):
        rows.append(LedgerRow(key=0, label=f"{root.name}本级", **groups[0]))
    return rows


def by_department(queryset, territory: Territory | None) -> list[LedgerRow]:
    """Per department (成员单位) by the sectors it supervises (管行业必须管安全). A sector supervised by two
    departments counts in both rows; the total row of the ledger is therefore not their sum."""
    sector_rows = {r.key: r for r in by_sector(queryset)}
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT, is_active=True)
    if territory is not None:
        departments = departments.filter(territory_path__startswith=territory.path)
    rows = []
    for dept in departments.prefetch_related("sectors").order_by("territory_path", "sort_order", "name"):
        row = LedgerRow(key=dept.pk, label=str(dept))
        for sector in dept.sectors.all():
            if sector.pk in sector_rows:
                row.add(sector_rows[sector.pk])
        rows.append(row)
    return rows


def sum_rows(rows: list[LedgerRow]) -> LedgerRow:
    """The total of ledger rows that partition the hazards (each hazard in exactly one row)."""
    total = LedgerRow(key=None, label="合计")
    for row in rows:
        total.add(row)
    return total


def totals(queryset) -> LedgerRow:
    values = queryset.order_by().aggregate(**aggregates(_is_summary(queryset)))
    return LedgerRow(key=None, label="合计", **values)
