"""The leaders' dashboard (驾驶舱) and the risk map. Every figure links to the filtered list behind it.

Scope: the figures of a user are those of `core.scope.restrict` inside the chosen territory (default: the user's
own). A town user therefore sees only the town; a department inspector only the sectors of the department.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from anjian.assessment import links
from anjian.assessment.measures import HAZARD_OPEN, group_by_children, percent
from anjian.assessment.periods import Period
from anjian.core.exports import xlsx_response
from anjian.core.forms import StyledForm
from anjian.core.models import Territory, TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import PermissionRequiredMixin

from . import boundaries, committee_work, metrics, trends

# What the children of a territory are called on the dashboard and the map.
CHILD_LABELS = {
    TerritoryKind.PROVINCE: "市",
    TerritoryKind.CITY: "县（区）",
    TerritoryKind.COUNTY: "镇街",
}
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
        colours = metrics.units_by_colour(area, children)
        towns = metrics.by_town(area, period, children, colours)
        worst = metrics.worst_towns([(row["territory"], row["hazards"]) for row in towns])
        worst_by_pk = {w["territory"].pk: w for w in worst}
        for row in towns:
            row["worst"] = worst_by_pk.get(row["territory"].pk)
            if row["worst"]:
                row["worst"]["url"] = row["hazard_links"].get("overdue", "")
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
            "child_label": CHILD_LABELS.get(territory.kind, "区划"),
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
            "committee_cards": committee_work.cards(request.user),
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
        """The user's own territory and the level below it (a county's towns, a city's counties, a province's
        cities); when the user went down a level, the way back up and the level below the current one."""
        own = request.user.territory
        below = Territory.objects.filter(retired_on__isnull=True).order_by("sort_order", "code")
        rows = [own, *below.filter(parent=own)]
        if current != own:
            between = Territory.objects.filter(
                pk__in=current.ancestor_ids, path__startswith=own.path, depth__gt=own.depth
            ).order_by("depth")
            rows += [t for t in between if t not in rows]
            rows += [t for t in below.filter(parent=current) if t not in rows]
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
def map_area(request) -> tuple[Territory, Territory | None]:
    """(the territory whose figures are shown, the territory whose children's boundaries are drawn). The root is
    the chosen territory when its children have boundaries (a province draws its cities, a city its counties, a
    county its towns), else the nearest ancestor whose children do (a town is highlighted in its county)."""
    territory = chosen_territory(request)
    return territory, boundaries.map_root(territory)


def highlighted_child(territory: Territory, root: Territory | None) -> str:
    """The name of the root's child that holds the user's territory (drawn highlighted), if it is below one."""
    if root is None or territory.pk == root.pk:
        return ""
    child_id = (
        territory.ancestor_ids[root.depth + 1] if len(territory.ancestor_ids) > root.depth + 1 else None
    )
    child = Territory.objects.filter(pk=child_id).first() if child_id else None
    return child.name if child else ""


class MapView(PermissionRequiredMixin, View):
    permission = "dashboard.view_dashboard"

    def get(self, request):
        territory, root = map_area(request)
        query = f"?territory={territory.pk}"
        context = {
            "title": "风险地图",
            "territory": territory,
            "root": root,
            "geojson_url": reverse("dashboard:map_boundaries") + query if root else "",
            "points_url": reverse("dashboard:map_data") + query,
            "map_name": boundaries.feature_key(root) if root else "",
            "child_label": CHILD_LABELS.get(root.kind, "下级区划") if root else "",
            "tile_url": settings.ANJIAN.get("MAP_TILE_URL", ""),
            "highlight": highlighted_child(territory, root),
            "legend": metrics.RISK_LEVELS,
            "worst_count": metrics.WORST_TOWNS,
            "can_import": has_perm(request.user, "dashboard.import_boundaries"),
        }
        return render(request, "dashboard/map.html", context)


class MapBoundaries(PermissionRequiredMixin, View):
    """The GeoJSON the map draws: the boundaries of the root's children (stored by import_boundaries)."""

    permission = "dashboard.view_dashboard"

    def get(self, request):
        _territory, root = map_area(request)
        if root is None:
            raise Http404("尚未导入本区划的边界数据。")
        return JsonResponse(boundaries.feature_collection(root))


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

        territory, root = map_area(request)
        towns = (
            list(
                Territory.objects.filter(parent=root, retired_on__isnull=True).order_by(
                    "sort_order", "code", "id"
                )
            )
            if root
            else []
        )
        town_codes = {t.pk: boundaries.feature_key(t) for t in towns}
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
                .filter(territory_path__startswith=territory.path, enterprise_id__in=[r["pk"] for r in rows])
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
        truncated = len(rows) >= self.limit
        figures = self.town_figures(request, territory, towns)
        data = {"units": points, "towns": figures, "truncated": truncated}
        if towns and (truncated or root.kind in (TerritoryKind.PROVINCE, TerritoryKind.CITY)):
            # A city or province has too many units to gather in the browser: the circles per county/city are
            # counted here (one grouped query), the points stay for the zoomed-in view.
            data["clusters"] = self.clusters(units, town_codes, labels, figures)
        return JsonResponse(data)

    @staticmethod
    def clusters(units, town_codes, labels, figures) -> list[dict]:
        by_code = {f["code"]: f for f in figures}
        groups = {}
        for row in units.values("town", "risk_level").annotate(n=Count("id")).order_by():
            code = town_codes.get(row["town"])
            if code is None:
                continue
            group = groups.setdefault(code, {"code": code, "count": 0, "risks": {}})
            group["count"] += row["n"]
            label = labels.get(row["risk_level"], "未评定")
            group["risks"][label] = group["risks"].get(label, 0) + row["n"]
        for code, group in groups.items():
            group["open"] = by_code.get(code, {}).get("open", 0)
            group["overdue"] = by_code.get(code, {}).get("overdue", 0)
        return list(groups.values())

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
                "code": boundaries.feature_key(r["territory"]),
                "name": r["territory"].name,
                "open": r["figures"]["open"],
                "overdue": r["figures"]["overdue"],
                "overdue_rate": percent(r["figures"]["overdue"], r["figures"]["open"]),
                "worst_rank": worst[r["territory"].pk]["rank"] if r["territory"].pk in worst else None,
                "url": r["links"]["overdue"],
            }
            for r in rows
        ]


class BoundaryImportForm(StyledForm):
    file = forms.FileField(
        label="GeoJSON 文件", help_text="FeatureCollection，面要素，经纬度坐标（WGS84 或 GCJ-02）"
    )
    level = forms.ChoiceField(label="区划层级", choices=list(boundaries.LEVEL_LABELS.items()))
    code_property = forms.CharField(label="区划代码属性名", initial="code", max_length=60)
    name_property = forms.CharField(label="区划名称属性名", initial="name", max_length=60)


class BoundaryImportView(PermissionRequiredMixin, View):
    """Upload page for the 安委办: boundaries of the territories in its own area."""

    permission = "dashboard.import_boundaries"

    def get(self, request):
        return self.render(BoundaryImportForm())

    def post(self, request):
        form = BoundaryImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        own = request.user.territory
        if own is None:
            raise PermissionDenied("您的账号未设置所属区划。")
        data = form.cleaned_data
        upload = data["file"]
        try:
            report = boundaries.import_boundaries(
                upload.read(),
                level=data["level"],
                code_property=data["code_property"].strip(),
                name_property=data["name_property"].strip(),
                parent=own,  # only territories in the user's own area
                source=upload.name,
                actor=request.user,
            )
        except boundaries.BoundaryFileError as exc:
            return self.render(form, problems=exc.problems, status=400)
        if not report.imported:
            return self.render(
                form,
                problems=["没有任何要素匹配到本辖区的区划，未导入。请检查区划层级和属性名。"],
                unmatched=report.unmatched,
                status=400,
            )
        messages.success(request, report.summary())
        return redirect(reverse("dashboard:map"))

    def render(self, form, problems=(), unmatched=(), status=200):
        context = {
            "title": "导入行政区划边界",
            "form": form,
            "problems": problems,
            "unmatched": unmatched,
            "stored": boundaries.stored_in(self.request.user.territory),
        }
        return render(self.request, "dashboard/boundary_import.html", context, status=status)
