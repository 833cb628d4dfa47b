"""The leaders' dashboard (驾驶舱) and the risk map. Every figure links to the filtered list behind it.

Scope: the figures of a user are those of `core.scope.restrict` inside the chosen territory (default: the user's
own). A town user therefore sees only the town; a department inspector only the sectors of the department.
"""

import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from anjian.assessment import links
from anjian.assessment.measures import HAZARD_OPEN, group_by_children, percent
from anjian.assessment.periods import Period
from anjian.core.exports import xlsx_response
from anjian.core.models import Territory, TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import PermissionRequiredMixin

from . import metrics, trends

QUARTERS = [(0, "全年"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]
EXPORTS = {
    "towns": "分区划统计",
    "sectors": "分行业隐患统计",
    "supervision": "挂牌督办清单",
    "colours": "单位风险等级",
}


def chosen_territory(request) -> Territory:
    """The territory asked for (?territory=), if the user may see it; otherwise the user's own."""
    own = request.user.territory
    if own is None:
        raise PermissionDenied("您的账号未设置所属区划。")
    wanted = request.GET.get("territory")
    if wanted and wanted.isdigit() and int(wanted) != own.pk:
        territory = restrict(Territory.objects.filter(pk=int(wanted)), request.user).first()
        if territory is None:
            raise Http404("区划不存在或不在您的数据范围内。")
        return territory
    return own


def chosen_period(request) -> tuple[int, int, Period]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or 0)
        period = Period.quarter(year, quarter)
    except (ValueError, OverflowError) as exc:  # "?year=abc", "?year=99999999999" (overflows a date)
        raise BadRequest("统计期不正确。") from exc
    if not 2000 <= year <= today.year + 1:
        raise BadRequest("统计期不正确。")
    return year, quarter, period


class DashboardView(PermissionRequiredMixin, View):
    permission = "dashboard.view_dashboard"

    def get(self, request):
        territory = chosen_territory(request)
        year, quarter, period = chosen_period(request)
        area = metrics.Area(territory, request.user)
        children = area.children()
        summary = metrics.summary(area, period)
        towns = metrics.by_town(area, period, children)
        worst = metrics.worst_towns([(row["territory"], row["hazards"]) for row in towns])
        worst_by_pk = {w["territory"].pk: w for w in worst}
        for row in towns:
            row["worst"] = worst_by_pk.get(row["territory"].pk)
            if row["worst"]:
                row["worst"]["url"] = row["hazard_links"].get("overdue", "")
        colours = metrics.units_by_colour(area, children)
        sectors = metrics.hazards_by_sector(area, period) if metrics.hazards_ready() else []
        supervision = metrics.supervision_list(area) if metrics.hazards_ready() else []
        export = request.GET.get("export")
        if export:
            if not has_perm(request.user, "dashboard.export_dashboard"):
                raise PermissionDenied("您的角色无权导出。")
            return self.export(export, territory, period, towns, sectors, supervision, colours)
        charts = {
            "trend": metrics.hazard_trend(area, year) if metrics.hazards_ready() else [],
            "accidents": metrics.accident_trend(area, year) if metrics.accidents_ready() else [],
            "colours": [
                {"name": c["label"], "value": c["count"], "colour": c["colour"], "url": c["url"]}
                for c in colours["totals"]
            ],
            "towns": [
                {
                    "name": row["territory"].name,
                    "overdue": (row["hazards"] or {}).get("overdue", 0),
                    "open": (row["hazards"] or {}).get("open", 0),
                    "url": row["hazard_links"].get("overdue", ""),
                    "worst_rank": row["worst"]["rank"] if row["worst"] else None,
                }
                for row in towns
            ],
            "year": year,
        }
        context = {
            "title": "安全生产驾驶舱",
            "territory": territory,
            "territories": self.territory_choices(request, territory),
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "period": period,
            "summary": summary,
            "towns": towns,
            "worst_towns": worst,
            "sparks": trends.card_sparklines(
                trends.monthly_trends(area, min(period.end, timezone.localdate()))
            ),
            "colours": colours,
            "sectors": sectors,
            "supervision": metrics.supervision_counts(area) if metrics.hazards_ready() else [],
            "supervision_list": supervision,
            "charts": charts,
            "can_export": has_perm(request.user, "dashboard.export_dashboard"),
            "query": request.GET.urlencode(),
            "enterprise_url": links.list_url(
                links.ENTERPRISE_LIST, territory=territory.pk, status="operating"
            ),
        }
        return render(request, "dashboard/index.html", context)

    @staticmethod
    def territory_choices(request, current):
        """The user's own territory and the level below it (towns of a district)."""
        own = request.user.territory
        rows = [
            own,
            *Territory.objects.filter(parent=own, retired_on__isnull=True).order_by("sort_order", "code"),
        ]
        if current not in rows:
            rows.append(current)
        return rows

    def export(self, which, territory, period, towns, sectors, supervision, colours):
        title = f"{territory.name} {period.label} {EXPORTS.get(which, '')}"
        if which == "towns":
            headers = [
                "区划",
                "排查隐患",
                "其中重大",
                "已整改",
                "整改率",
                "已销号",
                "销号率",
                "未销号",
                "逾期未整改",
                "重大隐患（未销号）",
                "挂牌督办",
                "事故起数",
                "死亡人数",
                "上年同期事故",
                "上年同期死亡",
                "在营单位",
            ]
            rows = []
            for row in towns:
                h, a = row["hazards"] or {}, row["accidents"] or {}
                rows.append(
                    [
                        row["territory"].name,
                        h.get("found"),
                        h.get("found_major"),
                        h.get("rectified"),
                        h.get("rectification_rate"),
                        h.get("closed"),
                        h.get("closure_rate"),
                        h.get("open"),
                        h.get("overdue"),
                        h.get("major_open"),
                        h.get("listed"),
                        a.get("accidents"),
                        a.get("deaths"),
                        a.get("accidents_prev"),
                        a.get("deaths_prev"),
                        sum(row["colours"].values()),
                    ]
                )
        elif which == "sectors":
            headers = [
                "行业领域",
                "排查隐患",
                "已整改",
                "整改率",
                "已销号",
                "销号率",
                "未销号",
                "逾期未整改",
                "重大隐患（未销号）",
            ]
            rows = [
                [
                    s["name"],
                    s["figures"]["found"],
                    s["figures"]["rectified"],
                    s["figures"]["rectification_rate"],
                    s["figures"]["closed"],
                    s["figures"]["closure_rate"],
                    s["figures"]["open"],
                    s["figures"]["overdue"],
                    s["figures"]["major_open"],
                ]
                for s in sectors
            ]
        elif which == "supervision":
            headers = [
                "隐患编号",
                "单位",
                "区划",
                "隐患描述",
                "级别",
                "挂牌督办",
                "督办机构",
                "整改期限",
                "状态",
                "逾期",
            ]
            rows = [
                [
                    h.number,
                    h.enterprise.name,
                    h.territory.name,
                    h.description,
                    h.get_grade_display(),
                    h.get_supervision_level_display(),
                    str(h.supervising_org or ""),
                    h.deadline,
                    h.get_status_display(),
                    h.is_overdue,
                ]
                for h in supervision
            ]
        elif which == "colours":
            headers = ["风险等级", "在营单位数"]
            rows = [[c["label"], c["count"]] for c in colours["totals"]]
        else:
            raise Http404("未知的导出表格。")
        return xlsx_response(EXPORTS[which], EXPORTS[which], headers, rows, title=title)


# --- map ---------------------------------------------------------------------------------------------------------
def county_of(territory: Territory) -> Territory | None:
    if territory.kind == TerritoryKind.COUNTY:
        return territory
    for ancestor in territory.ancestors():
        if ancestor.kind == TerritoryKind.COUNTY:
            return ancestor
    return None


def boundary_url(county: Territory | None) -> str:
    """The shipped GeoJSON of the county (static/dashboard/geo/<code>.geojson), if there is one."""
    if county is None or not county.code:
        return ""
    name = f"dashboard/geo/{county.code}.geojson"
    return static(name) if finders.find(name) else ""


class MapView(PermissionRequiredMixin, View):
    permission = "dashboard.view_dashboard"

    def get(self, request):
        territory = request.user.territory
        if territory is None:
            raise PermissionDenied("您的账号未设置所属区划。")
        county = county_of(territory)
        context = {
            "title": "风险地图",
            "territory": territory,
            "geojson_url": boundary_url(county),
            "map_name": county.code if county else "",
            "tile_url": settings.ANJIAN.get("MAP_TILE_URL", ""),
            "highlight": territory.name if territory.kind != TerritoryKind.COUNTY else "",
            "legend": metrics.RISK_LEVELS,
            "worst_count": metrics.WORST_TOWNS,
        }
        return render(request, "dashboard/map.html", context)


def _jitter(seed: int, spread: float = 0.03) -> tuple[float, float]:
    digest = hashlib.sha256(str(seed).encode()).digest()
    return ((digest[0] / 255 - 0.5) * 2 * spread, (digest[1] / 255 - 0.5) * 2 * spread)


class MapData(PermissionRequiredMixin, View):
    """Units by risk colour and open hazards per unit, in the user's scope. Units without coordinates are drawn
    near the centre of their town (approximate, marked as such)."""

    permission = "dashboard.view_dashboard"
    limit = 5000

    def get(self, request):
        from anjian.registry.models import Enterprise

        territory = request.user.territory
        if territory is None:
            raise PermissionDenied("您的账号未设置所属区划。")
        county = county_of(territory)
        towns = (
            list(
                Territory.objects.filter(parent=county, retired_on__isnull=True).order_by(
                    "sort_order", "code", "id"
                )
            )
            if county
            else []
        )
        town_codes = {t.pk: t.code for t in towns}
        units = (
            restrict(Enterprise.objects.filter(status="operating"), request.user)
            .filter(territory_path__startswith=territory.path)
            .order_by()
        )
        if towns:
            units = units.annotate(town=group_by_children(towns))
        rows = list(
            units.values("pk", "name", "risk_level", "longitude", "latitude", *(["town"] if towns else []))[
                : self.limit
            ]
        )
        hazards = {}
        if metrics.hazards_ready():
            from anjian.hazards.models import Hazard

            hazards = {
                r["enterprise_id"]: r
                for r in restrict(Hazard.objects.filter(status__in=HAZARD_OPEN), request.user)
                .filter(territory_path__startswith=territory.path)
                .order_by()
                .values("enterprise_id")
                .annotate(
                    open=Count("id"),
                    major=Count("id", filter=Q(grade="major")),
                    overdue=Count("id", filter=Q(is_overdue=True)),
                )
            }
        try:
            detail = reverse("registry:enterprise_detail", args=[999999999])
        except NoReverseMatch:
            detail = ""
        colours = {level: colour for level, _label, colour in metrics.RISK_LEVELS}
        labels = {level: label for level, label, _colour in metrics.RISK_LEVELS}
        points = []
        for r in rows:
            h = hazards.get(r["pk"], {})
            points.append(
                {
                    "id": r["pk"],
                    "name": r["name"],
                    "risk": labels.get(r["risk_level"], "未评定"),
                    "colour": colours.get(r["risk_level"], "#adb5bd"),
                    "lon": float(r["longitude"]) if r["longitude"] is not None else None,
                    "lat": float(r["latitude"]) if r["latitude"] is not None else None,
                    "town": town_codes.get(r.get("town")),
                    "jitter": _jitter(r["pk"]),
                    "open": h.get("open", 0),
                    "major": h.get("major", 0),
                    "overdue": h.get("overdue", 0),
                    "url": detail.replace("999999999", str(r["pk"])) if detail else "",
                }
            )
        return JsonResponse(
            {
                "units": points,
                "towns": self.town_figures(request, territory, towns),
                "truncated": len(rows) >= self.limit,
            }
        )

    @staticmethod
    def town_figures(request, territory, towns) -> list[dict]:
        """Open and overdue hazards per town of the county, and the worst towns' rank (one grouped query: the
        figures of the dashboard's town table)."""
        if not towns or not metrics.hazards_ready():
            return []
        area = metrics.Area(territory, request.user)
        rows = metrics.hazards_by_town(area, Period.year(timezone.localdate().year), towns)
        worst = {
            w["territory"].pk: w for w in metrics.worst_towns([(r["territory"], r["figures"]) for r in rows])
        }
        return [
            {
                "code": r["territory"].code,
                "name": r["territory"].name,
                "open": r["figures"]["open"],
                "overdue": r["figures"]["overdue"],
                "overdue_rate": percent(r["figures"]["overdue"], r["figures"]["open"]),
                "worst_rank": worst[r["territory"].pk]["rank"] if r["territory"].pk in worst else None,
                "url": r["links"]["overdue"],
            }
            for r in rows
        ]
