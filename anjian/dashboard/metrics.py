"""The figures of the leaders' dashboard, also frozen into bulletins: one GROUP BY query per table (hazards:
over the summary counts of anjian.stats).

An `Area` is where the figures come from: a territory subtree, narrowed to what a user may see
(core.scope.restrict) when a user is given. Bulletins build their data with the same functions for their
territory, so a bulletin and the dashboard of the same period show the same numbers (tested).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractMonth, TruncMonth
from django.utils import timezone

from anjian.assessment import links
from anjian.assessment.indicators import _model_ready
from anjian.assessment.measures import (
    HAZARD_CLOSED,
    HAZARD_OPEN,
    HAZARD_RECTIFIED,
    LARGER_OR_ABOVE,
    accident_period_q,
    group_by_children,
    hazard_found_q,
    percent,
)
from anjian.assessment.periods import Period
from anjian.core.models import Sector, Territory
from anjian.core.scope import restrict, scope_for
from anjian.stats.counts import month_of
from anjian.stats.queries import (
    counter,
    found_between_q,
    sector_of,
    summary_depth,
    summary_rows,
    whole_months,
)

RISK_LEVELS = [
    ("major", "重大风险（红）", "#E60012"),
    ("high", "较大风险（橙）", "#F39800"),
    ("medium", "一般风险（黄）", "#FFF100"),
    ("low", "低风险（蓝）", "#0068B7"),
    ("", "未评定", "#adb5bd"),
]
SUPERVISION_LEVELS = [(4, "省级挂牌"), (3, "市级挂牌"), (2, "县级挂牌"), (1, "镇街挂牌")]


@dataclass(frozen=True)
class Area:
    territory: Territory
    user: object | None = None

    def rows(self, queryset, path_field: str = "territory_path"):
        if self.user is not None:
            queryset = restrict(queryset, self.user)
        return queryset.filter(**{f"{path_field}__startswith": self.territory.path})

    def children(self) -> list[Territory]:
        return list(
            Territory.objects.filter(parent=self.territory, retired_on__isnull=True).order_by(
                "sort_order", "code", "id"
            )
        )


def _ratio_text(part, total):
    return percent(part, total)


# --- hazards ------------------------------------------------------------------------------------------------------
# Hazard figures are sums over the summary counts (anjian.stats: a few hundred rows per town and year), never a
# scan of the hazard rows. The rows answer only what the summary cannot: a user who sees one enterprise's
# records, a period that is not made of whole months — and tests, which compare both (`from_rows=True`).
@dataclass(frozen=True)
class HazardSource:
    queryset: object  # HazardCount or Hazard rows under the area
    summary: bool
    depth: int | None = None  # the depth of rolled-up rows (HazardRollup), else None

    def count(self, q=None):
        return counter(self.summary)(q)

    def found(self, period: Period) -> Q:
        if self.summary:
            return found_between_q(period.start, period.end) & ~Q(status="voided")
        return hazard_found_q(period)

    @property
    def sector_field(self) -> str:
        return "sector" if self.summary else "sector_id"


def hazard_source(
    area: Area,
    period: Period | None = None,
    from_rows: bool = False,
    by_child: bool = False,
    all_sectors: bool = False,
) -> HazardSource:
    """Where the figures of `area` are summed from. `all_sectors=True`: the reader groups or filters by none of
    sector, pending-basis flag and late month, so the rolled-up rows without them (HazardAreaRollup) answer when
    the user sees every sector."""
    from anjian.hazards.models import Hazard

    scope = scope_for(area.user) if area.user is not None else None
    enterprise_only = scope is not None and scope.enterprise_id is not None
    aligned = period is None or whole_months(period.start, period.end)
    if from_rows or enterprise_only or not aligned:
        return HazardSource(area.rows(Hazard.objects.all()), summary=False)
    paths = (area.territory.path, scope.territory_path if scope is not None else None)
    # A sector-limited user's scope filters the rows' sector: only the tables that keep it can answer them.
    every_sector = all_sectors and (scope is None or scope.sector_ids is None)
    return HazardSource(
        area.rows(summary_rows(*paths, by_child=by_child, area=every_sector)),
        summary=True,
        depth=summary_depth(*paths, by_child=by_child),
    )


def child_of_row(children, depth: int | None):
    """The child territory a row counts under: rows rolled up to the children's own depth name it (a GROUP BY on
    the territory id); other rows are mapped by path prefix (a CASE over the children)."""
    if depth is not None and children and depth == children[0].path.count(".") - 1:
        return F("territory_id")
    return group_by_children(children)


def _hazard_aggregates(source: HazardSource, period: Period) -> dict:
    count = source.count
    found = source.found(period)
    open_q = Q(status__in=HAZARD_OPEN)
    # 逾期 = open hazards flagged overdue by the hazards deadline scan: exactly the hazard list's
    # `is_overdue=true&open=true` filter, so a click lands on these records.
    overdue = open_q & Q(is_overdue=True)
    return {
        "found": count(found),
        "found_major": count(found & Q(grade="major")),
        "rectified": count(found & Q(status__in=HAZARD_RECTIFIED)),
        "closed": count(found & Q(status__in=HAZARD_CLOSED)),
        "open": count(open_q),
        "overdue": count(overdue),
        "major_open": count(open_q & Q(grade="major")),
        "major_overdue": count(overdue & Q(grade="major")),
        "listed": count(open_q & Q(supervision_level__gt=0)),
    }


def _hazard_rates(row: dict) -> dict:
    row = {
        k: row.get(k) or 0
        for k in (
            "found",
            "found_major",
            "rectified",
            "closed",
            "open",
            "overdue",
            "major_open",
            "major_overdue",
            "listed",
        )
    }
    row["rectification_rate"] = _ratio_text(row["rectified"], row["found"])
    row["closure_rate"] = _ratio_text(row["closed"], row["found"])
    return row


def hazard_links(territory_id, period: Period, **extra) -> dict:
    """Where each hazard figure clicks through to (hazards/filters.py HazardFilter parameters)."""
    base = {"territory": territory_id, **extra}
    in_period = {**base, "found_after": period.start.isoformat(), "found_before": period.end.isoformat()}
    url = links.list_url
    return {
        "found": url(links.HAZARD_LIST, **in_period),
        "found_major": url(links.HAZARD_LIST, grade="major", **in_period),
        "rectified": url(links.HAZARD_LIST, status=list(HAZARD_RECTIFIED), **in_period),
        "closed": url(links.HAZARD_LIST, status="closed", **in_period),
        "open": url(links.HAZARD_LIST, open="true", **base),
        "overdue": url(links.HAZARD_LIST, open="true", is_overdue="true", **base),
        "major_open": url(links.HAZARD_LIST, open="true", grade="major", **base),
        "major_overdue": url(links.HAZARD_LIST, open="true", is_overdue="true", grade="major", **base),
    }


def hazards_ready() -> bool:
    return all(
        map(
            _model_ready,
            ("hazards.Hazard", "stats.HazardCount", "stats.HazardRollup", "stats.HazardAreaRollup"),
        )
    )


def hazard_totals(area: Area, period: Period, from_rows: bool = False) -> dict:
    source = hazard_source(area, period, from_rows, all_sectors=True)
    return _hazard_rates(source.queryset.aggregate(**_hazard_aggregates(source, period)))


def hazards_by_town(area: Area, period: Period, children, from_rows: bool = False) -> list[dict]:
    if not children:
        return []
    source = hazard_source(area, period, from_rows, by_child=True, all_sectors=True)
    groups = {
        r.pop("child"): r
        for r in source.queryset.order_by()
        .annotate(child=child_of_row(children, source.depth))
        .values("child")
        .annotate(**_hazard_aggregates(source, period))
    }
    return [
        {"territory": c, "figures": _hazard_rates(groups.get(c.pk, {})), "links": hazard_links(c.pk, period)}
        for c in children
    ]


def hazards_by_sector(area: Area, period: Period, from_rows: bool = False) -> list[dict]:
    source = hazard_source(area, period, from_rows)
    groups = list(
        source.queryset.order_by().values(source.sector_field).annotate(**_hazard_aggregates(source, period))
    )
    names = dict(
        Sector.objects.filter(
            pk__in=[g[source.sector_field] for g in groups if g[source.sector_field]]
        ).values_list("pk", "name")
    )
    rows = []
    for g in groups:
        sector_id = sector_of(g.pop(source.sector_field))
        figures = _hazard_rates(g)
        if not (figures["found"] or figures["open"]):
            continue
        rows.append(
            {
                "sector_id": sector_id,
                "name": names.get(sector_id, "未分行业"),
                "figures": figures,
                "links": hazard_links(area.territory.pk, period, sector=sector_id) if sector_id else {},
            }
        )
    return sorted(rows, key=lambda r: (-r["figures"]["found"], r["name"]))


def hazard_trend(area: Area, year: int, from_rows: bool = False) -> list[dict]:
    """整改率 and 销号率 of the hazards found in each month of the year (one query)."""
    period = Period.year(year)
    source = hazard_source(area, period, from_rows, all_sectors=True)
    month = F("found_month__month") if source.summary else ExtractMonth("found_on")
    count = source.count
    rows = (
        source.queryset.filter(source.found(period))
        .order_by()
        .annotate(month=month)
        .values("month")
        .annotate(
            found=count(),
            rectified=count(Q(status__in=HAZARD_RECTIFIED)),
            closed=count(Q(status__in=HAZARD_CLOSED)),
        )
    )
    by_month = {r["month"]: r for r in rows}
    trend = []
    for month in range(1, 13):
        r = by_month.get(month, {"found": 0, "rectified": 0, "closed": 0})
        trend.append(
            {
                "month": month,
                "found": r["found"],
                "rectification_rate": round(r["rectified"] * 100 / r["found"], 1) if r["found"] else None,
                "closure_rate": round(r["closed"] * 100 / r["found"], 1) if r["found"] else None,
            }
        )
    return trend


def hazards_by_month(area: Area, period: Period, from_rows: bool = False) -> dict[date, dict]:
    """Hazards found per month of the period (first day of the month → found, found_major, rectified, closed):
    the dashboard's sparklines."""
    source = hazard_source(area, period, from_rows, all_sectors=True)
    month = F("found_month") if source.summary else TruncMonth("found_on")
    count = source.count
    rows = (
        source.queryset.filter(source.found(period))
        .order_by()
        .annotate(month=month)
        .values("month")
        .annotate(
            found=count(),
            found_major=count(Q(grade="major")),
            rectified=count(Q(status__in=HAZARD_RECTIFIED)),
            closed=count(Q(status__in=HAZARD_CLOSED)),
        )
    )
    return {month_of(r.pop("month")): r for r in rows}


def supervision_list(area: Area, limit: int = 50) -> list:
    """The listed hazards themselves (a page of records, not a count: it stays on the rows)."""
    from anjian.hazards.models import Hazard

    return list(
        area.rows(Hazard.objects.filter(status__in=HAZARD_OPEN, supervision_level__gt=0))
        .select_related("enterprise", "territory", "supervising_org")
        # What the card and its export show: a dashboard opened all day loads no more than that.
        .only(
            "number",
            "description",
            "grade",
            "status",
            "supervision_level",
            "deadline",
            "is_overdue",
            "enterprise__name",
            "territory__name",
            "supervising_org__name",
            "supervising_org__short_name",
        )
        .order_by("deadline", "id")[:limit]
    )


def supervision_counts(area: Area, from_rows: bool = False) -> list[dict]:
    source = hazard_source(area, None, from_rows, all_sectors=True)
    counts = dict(
        source.queryset.filter(status__in=HAZARD_OPEN, supervision_level__gt=0)
        .order_by()
        .values_list("supervision_level")
        .annotate(n=source.count())
    )
    return [
        {
            "label": label,
            "count": counts.get(level, 0),
            "url": links.list_url(
                links.HAZARD_LIST, territory=area.territory.pk, open="true", supervision_level=level
            ),
        }
        for level, label in SUPERVISION_LEVELS
    ]


# --- accidents ----------------------------------------------------------------------------------------------------
def _accident_aggregates(period: Period) -> dict:
    now, before = accident_period_q(period), accident_period_q(period.previous_year())
    return {
        "accidents": Count("id", filter=now),
        "fatalities": Sum("deaths", filter=now),
        "larger_plus": Count("id", filter=now & Q(grade__in=LARGER_OR_ABOVE)),
        "accidents_prev": Count("id", filter=before),
        "fatalities_prev": Sum("deaths", filter=before),
    }


def _accident_row(row: dict) -> dict:
    # Aggregates cannot share the field's name: deaths are summed as `fatalities`.
    row = dict(row, deaths=row.get("fatalities"), deaths_prev=row.get("fatalities_prev"))
    row = {
        k: row.get(k) or 0 for k in ("accidents", "deaths", "larger_plus", "accidents_prev", "deaths_prev")
    }
    row["accidents_change"] = _change(row["accidents"], row["accidents_prev"])
    row["deaths_change"] = _change(row["deaths"], row["deaths_prev"])
    return row


def _change(now: int, before: int) -> str:
    """同比 (rules.md AC-51): the change against the same period of last year."""
    if not before:
        return "—" if not now else "上年同期为0"
    change = (now - before) * 100 / before
    return (
        f"{'上升' if change > 0 else '下降' if change < 0 else '持平'}{abs(change):.1f}%"
        if change
        else "持平"
    )


def accident_links(territory_id, period: Period) -> dict:
    base = {"territory": territory_id, "since": period.start.isoformat(), "until": period.end.isoformat()}
    previous = period.previous_year()
    prev = {"territory": territory_id, "since": previous.start.isoformat(), "until": previous.end.isoformat()}
    return {
        "accidents": links.list_url(links.ACCIDENT_LIST, **base),
        "deaths": links.list_url(links.ACCIDENT_LIST, **base),
        "accidents_prev": links.list_url(links.ACCIDENT_LIST, **prev),
        "deaths_prev": links.list_url(links.ACCIDENT_LIST, **prev),
    }


def accidents_ready() -> bool:
    return _model_ready("accidents.Accident")


def accident_totals(area: Area, period: Period) -> dict:
    from anjian.accidents.models import Accident

    return _accident_row(area.rows(Accident.objects.all()).aggregate(**_accident_aggregates(period)))


def accidents_by_town(area: Area, period: Period, children) -> dict[int, dict]:
    from anjian.accidents.models import Accident

    if not children:
        return {}
    rows = (
        area.rows(Accident.objects.all())
        .order_by()
        .annotate(child=group_by_children(children))
        .values("child")
        .annotate(**_accident_aggregates(period))
    )
    return {r.pop("child"): _accident_row(r) for r in rows}


def accident_trend(area: Area, year: int) -> list[dict]:
    """Accidents and deaths per month, this year and last year (one query)."""
    from anjian.accidents.models import Accident

    this, last = Period.year(year), Period.year(year - 1)
    start, _ = last.datetime_range()
    _, end = this.datetime_range()
    rows = (
        area.rows(Accident.objects.filter(occurred_at__gte=start, occurred_at__lt=end))
        .order_by()
        .annotate(month=ExtractMonth("occurred_at"))
        .values("month")
        .annotate(
            accidents=Count("id", filter=accident_period_q(this)),
            fatalities=Sum("deaths", filter=accident_period_q(this)),
            accidents_prev=Count("id", filter=accident_period_q(last)),
            fatalities_prev=Sum("deaths", filter=accident_period_q(last)),
        )
    )
    by_month = {r["month"]: dict(r, deaths=r["fatalities"], deaths_prev=r["fatalities_prev"]) for r in rows}
    return [
        {
            k: (by_month.get(m, {}).get(k) or 0)
            for k in ("accidents", "deaths", "accidents_prev", "deaths_prev")
        }
        | {"month": m}
        for m in range(1, 13)
    ]


# --- enforcement ----------------------------------------------------------------------------------------------------
def enforcement_ready() -> bool:
    return _model_ready("enforcement.Case") and _model_ready("enforcement.Measure")


def enforcement_totals(area: Area, period: Period) -> dict:
    from anjian.enforcement.models import FINE_MEASURES, Case, Measure

    cases = area.rows(Case.objects.all()).aggregate(
        cases=Count("id", filter=Q(filed_on__gte=period.start, filed_on__lte=period.end)),
        decided=Count("id", filter=Q(decided_on__gte=period.start, decided_on__lte=period.end)),
    )
    fines = area.rows(Measure.objects.all()).aggregate(
        fines=Sum(
            "amount",
            filter=Q(
                measure__in=FINE_MEASURES,
                case__decided_on__gte=period.start,
                case__decided_on__lte=period.end,
            ),
        )
    )
    in_period = {
        "territory": area.territory.pk,
        "filed_after": period.start.isoformat(),
        "filed_before": period.end.isoformat(),
    }
    return {
        "cases": cases["cases"] or 0,
        "decided": cases["decided"] or 0,
        "fines": fines["fines"] or Decimal("0"),
        "links": {"cases": links.list_url(links.CASE_LIST, **in_period)},
    }


# --- units by risk colour ----------------------------------------------------------------------------------------
def unit_source(area: Area, children, from_rows: bool = False):
    """What operating units are counted from: the unit counts (anjian.stats.units) at the children's depth where
    it is rolled up (a province, city or county page reads a few rows per child), else the town's own-territory
    counts; the unit rows for users limited to some sectors or to one unit (the counts have no sector) and in
    tests (`from_rows`). Returns (queryset, the aggregate counting units, the rolled-up depth or None)."""
    from anjian.registry.models import Enterprise
    from anjian.stats.models import UnitCount
    from anjian.stats.units import ROLLUP_DEPTHS

    scope = scope_for(area.user) if area.user is not None else None
    if from_rows or (scope is not None and (scope.sector_ids is not None or scope.enterprise_id is not None)):
        return area.rows(Enterprise.objects.filter(status="operating")), Count("id"), None
    depth = children[0].path.count(".") - 1 if children else None
    within_scope = scope is None or area.territory.path.startswith(scope.territory_path or "")
    if depth not in ROLLUP_DEPTHS or not within_scope:
        depth = 0  # a town's villages; or a page above the user's own territory: the rows under it
    rows = UnitCount.objects.filter(depth=depth, status="operating")
    return area.rows(rows), Sum("n"), depth or None


def units_by_colour(area: Area, children, from_rows: bool = False) -> dict:
    """Operating units per risk colour, for the whole area and per child territory (one query)."""
    queryset, count, depth = unit_source(area, children, from_rows)
    qs = queryset.order_by().annotate(child=child_of_row(children, depth) if children else F("territory_id"))
    rows = qs.values("child", "risk_level").annotate(n=count)
    totals = {level: 0 for level, _l, _c in RISK_LEVELS}
    per_child: dict[int, dict] = {}
    known = {c.pk for c in children} if children else None
    for r in rows:
        totals[r["risk_level"]] = totals.get(r["risk_level"], 0) + r["n"]
        child = r["child"] if known is None or r["child"] in known else 0  # registered above the children
        per_child.setdefault(child, {level: 0 for level, _l, _c in RISK_LEVELS})[r["risk_level"]] += r["n"]
    return {
        "totals": [
            {
                "level": level,
                "label": label,
                "colour": colour,
                "count": totals.get(level, 0),
                "url": links.list_url(
                    links.ENTERPRISE_LIST,
                    territory=area.territory.pk,
                    status="operating",
                    risk_level=level or "none",
                ),
            }
            for level, label, colour in RISK_LEVELS
        ],
        "per_child": per_child,
        "total": sum(totals.values()),
    }


# --- exposures (季曝光) -------------------------------------------------------------------------------------------
REPEAT_OFFENDER_MIN_HAZARDS = 3


def exposures(area: Area, period: Period, as_of: date | None = None) -> dict:
    """Units to expose: open major hazards past their deadline; units with many hazards found in the period
    (屡查屡犯, at least REPEAT_OFFENDER_MIN_HAZARDS); units on the serious-dishonesty list (rules.md §5.1)."""
    from anjian.registry.models import BlacklistEntry, active_blacklist_q

    as_of = as_of or min(period.end, timezone.localdate())
    result = {"major_overdue": [], "repeat_offenders": [], "blacklisted": []}
    if hazards_ready():
        from anjian.hazards.models import Hazard

        result["major_overdue"] = [
            {
                "number": h.number,
                "enterprise": h.enterprise.name,
                "territory": h.territory.name,
                "description": h.description[:60],
                "deadline": h.deadline.isoformat() if h.deadline else "",
                "url": h.get_absolute_url(),
            }
            for h in area.rows(Hazard.objects.filter(status__in=HAZARD_OPEN, grade="major", is_overdue=True))
            .select_related("enterprise", "territory")
            .order_by("deadline", "id")[:50]
        ]
        result["repeat_offenders"] = [
            {
                "enterprise_id": r["enterprise_id"],
                "enterprise": r["enterprise__name"],
                "hazards": r["n"],
                "url": links.list_url(
                    links.HAZARD_LIST,
                    enterprise=r["enterprise_id"],
                    found_after=period.start.isoformat(),
                    found_before=period.end.isoformat(),
                ),
            }
            for r in area.rows(Hazard.objects.filter(hazard_found_q(period)))
            .order_by()
            .values("enterprise_id", "enterprise__name")
            .annotate(n=Count("id"))
            .filter(n__gte=REPEAT_OFFENDER_MIN_HAZARDS)
            .order_by("-n", "enterprise__name")[:30]
        ]
    result["blacklisted"] = [
        {
            "enterprise": b.enterprise.name,
            "ground": b.get_ground_display(),
            "start_date": b.start_date.isoformat(),
            "end_date": b.end_date.isoformat() if b.end_date else "",
            "url": b.get_absolute_url(),
        }
        for b in area.rows(
            BlacklistEntry.objects.filter(active_blacklist_q(as_of)), "enterprise__territory_path"
        )
        .select_related("enterprise")
        .order_by("-start_date", "id")[:50]
    ]
    return result


# --- the towns doing worst -----------------------------------------------------------------------------------------
WORST_TOWNS = 3


def worst_towns(rows, count: int = WORST_TOWNS) -> list[dict]:
    """The towns with the highest overdue rate (逾期未整改 / 未销号), worst first. `rows`: (territory, hazard
    figures) pairs as computed for the town table, so no query of its own. Only towns with an overdue hazard
    count; on equal rates the town with more overdue hazards comes first, then the table order."""
    ranked = []
    for order, (territory, figures) in enumerate(rows):
        figures = figures or {}
        overdue, open_ = figures.get("overdue", 0), figures.get("open", 0)
        if overdue and open_:
            ranked.append((-overdue / open_, -overdue, order, territory, overdue, open_))
    ranked.sort(key=lambda r: r[:3])
    return [
        {"territory": t, "rank": rank, "overdue": overdue, "open": open_, "rate": percent(overdue, open_)}
        for rank, (_r, _o, _order, t, overdue, open_) in enumerate(ranked[:count], start=1)
    ]


# --- the whole page -------------------------------------------------------------------------------------------------
def summary(area: Area, period: Period) -> dict:
    """The headline figures of a period (the same numbers the bulletin freezes)."""
    data = {"hazards": None, "accidents": None, "enforcement": None}
    if hazards_ready():
        data["hazards"] = hazard_totals(area, period)
        data["hazard_links"] = hazard_links(area.territory.pk, period)
    if accidents_ready():
        data["accidents"] = accident_totals(area, period)
        data["accident_links"] = accident_links(area.territory.pk, period)
    if enforcement_ready():
        data["enforcement"] = enforcement_totals(area, period)
    return data


def by_town(area: Area, period: Period, children, colours: dict | None = None) -> list[dict]:
    """Per child territory: hazards, accidents and units by colour (three grouped queries; `colours`: the
    units_by_colour the caller already has)."""
    hazard_rows = (
        {r["territory"].pk: r for r in hazards_by_town(area, period, children)} if hazards_ready() else {}
    )
    accident_rows = accidents_by_town(area, period, children) if accidents_ready() else {}
    colours = (colours or units_by_colour(area, children))["per_child"]
    rows = []
    for child in children:
        rows.append(
            {
                "territory": child,
                "hazards": hazard_rows.get(child.pk, {}).get("figures"),
                "hazard_links": hazard_rows.get(child.pk, {}).get("links", {}),
                "accidents": accident_rows.get(child.pk, _accident_row({})) if accidents_ready() else None,
                "accident_links": accident_links(child.pk, period),
                "colours": colours.get(child.pk, {}),
                "units_url": links.list_url(links.ENTERPRISE_LIST, territory=child.pk, status="operating"),
            }
        )
    return rows
