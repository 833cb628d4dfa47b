"""Administrative boundaries: import from a GeoJSON file (any level), and the feature collection the map draws.

A feature is matched to a territory of the chosen level by its code property (区划代码), or failing that by its
name property (unique among that level's territories, optionally below a parent). Whole-file problems (not JSON,
not a FeatureCollection, a feature that is not a polygon, coordinates that are not longitude/latitude) reject the
file and change nothing; features that match no territory are reported and the rest imported. Geometry is read
and checked with Shapely.
"""

import json
from dataclasses import dataclass, field

from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from anjian.core.audit import record_action, register_actions
from anjian.core.models import Territory, TerritoryKind

from .models import TerritoryBoundary

register_actions({"boundary.imported": "导入行政区划边界"})

K = TerritoryKind
LEVEL_KINDS = {
    "province": (K.PROVINCE,),
    "city": (K.CITY,),
    "county": (K.COUNTY,),
    "town": (K.TOWN, K.STREET, K.PARK),
    "village": (K.VILLAGE, K.COMMUNITY),
    "grid": (K.GRID,),
}
LEVEL_LABELS = {
    "province": "省",
    "city": "市",
    "county": "县（区）",
    "town": "镇街/园区",
    "village": "村（社区）",
    "grid": "网格",
}
MAX_BYTES = 50 * 1024 * 1024
PRECISION = 6  # decimal places kept: about 0.1 m, plenty for a boundary drawn on a dashboard


class BoundaryFileError(Exception):
    """The file cannot be imported; `problems` lists every reason (Chinese)."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    imported: list[Territory] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # "要素 3（名称 东山镇，代码 990102109）"

    def summary(self) -> str:
        text = f"已导入 {len(self.imported)} 个区划的边界"
        if self.unmatched:
            text += f"；{len(self.unmatched)} 个要素未匹配到区划：" + "、".join(self.unmatched)
        return text + "。"


def parse(content: bytes) -> list[dict]:
    """The features of a GeoJSON FeatureCollection (or a single Feature); raises BoundaryFileError."""
    if len(content) > MAX_BYTES:
        raise BoundaryFileError([f"文件超过 {MAX_BYTES // 1024 // 1024} MB。"])
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryFileError([f"文件不是有效的 GeoJSON（JSON 格式错误：{exc}）。"]) from exc
    if not isinstance(data, dict) or data.get("type") not in ("FeatureCollection", "Feature"):
        raise BoundaryFileError(["文件不是 GeoJSON 要素集合（type 应为 FeatureCollection）。"])
    features = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(["文件中没有任何要素（features 为空）。"])
    return features


def _label(index: int, props: dict, code_property: str, name_property: str) -> str:
    parts = []
    if props.get(name_property):
        parts.append(f"名称 {props[name_property]}")
    if props.get(code_property):
        parts.append(f"代码 {props[code_property]}")
    return f"要素 {index}" + (f"（{'，'.join(parts)}）" if parts else "")


def _geometry(feature, label: str):
    """The feature's geometry as a Shapely polygon/multipolygon, or a Chinese reason why it cannot be used."""
    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not raw:
        return None, f"{label}没有几何图形。"
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return None, f"{label}的几何类型是 {kind or '未知'}，边界须为面（Polygon 或 MultiPolygon）。"
    try:
        geom = shape(raw)
    except Exception as exc:  # Shapely raises several types for malformed coordinates
        return None, f"{label}的坐标格式错误（{exc}）。"
    if geom.is_empty:
        return None, f"{label}的几何图形为空。"
    west, south, east, north = geom.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None, f"{label}的坐标不是经纬度（超出 ±180°/±90°），请转换为 WGS84 或 GCJ-02 经纬度后再导入。"
    if not geom.is_valid:
        return None, f"{label}的几何图形无效：{explain_validity(geom)}。"
    return geom, None


def _candidates(level: str, parent: Territory | None):
    qs = Territory.objects.filter(kind__in=LEVEL_KINDS[level], retired_on__isnull=True)
    return qs.filter(path__startswith=parent.path) if parent else qs


def _match(props, candidates_by_code, candidates_by_name, code_property, name_property):
    """(territory, None) or (None, reason)."""
    code = str(props.get(code_property) or "").strip()
    if code:
        if code in candidates_by_code:
            return candidates_by_code[code], None
        # Codes are often 12-digit statistical codes: 990102000000 is the county 990102.
        for known, territory in candidates_by_code.items():
            longer, shorter = (code, known) if len(code) > len(known) else (known, code)
            if longer.startswith(shorter) and set(longer[len(shorter) :]) <= {"0"}:
                return territory, None
    name = str(props.get(name_property) or "").strip()
    if name:
        matches = candidates_by_name.get(name, [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            return None, "名称对应多个区划，请在文件中提供区划代码或指定上级区划"
    return None, "未匹配到区划"


@transaction.atomic
def import_boundaries(
    content: bytes,
    *,
    level: str,
    code_property: str = "code",
    name_property: str = "name",
    parent: Territory | None = None,
    source: str = "",
    actor=None,
) -> ImportReport:
    """Store the boundary of every territory of `level` the file's features match (replacing older ones).

    Raises BoundaryFileError, changing nothing, when the file or any feature's geometry is unusable.
    """
    if level not in LEVEL_KINDS:
        raise BoundaryFileError([f"未知的区划层级“{level}”，可选：{'、'.join(LEVEL_KINDS)}。"])
    features = parse(content)
    candidates = list(_candidates(level, parent))
    by_code = {t.code: t for t in candidates if t.code}
    by_name: dict[str, list[Territory]] = {}
    for t in candidates:
        by_name.setdefault(t.name, []).append(t)

    problems, report, rows = [], ImportReport(), {}
    for index, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        label = _label(index, props, code_property, name_property)
        geom, problem = _geometry(feature, label)
        if problem:
            problems.append(problem)
            continue
        territory, reason = _match(props, by_code, by_name, code_property, name_property)
        if territory is None:
            report.unmatched.append(f"{label}：{reason}")
            continue
        if territory.pk in rows:
            problems.append(f"{label}与前面的要素匹配到同一区划“{territory.name}”。")
            continue
        centre = props.get("cp")
        if not (isinstance(centre, list) and len(centre) == 2 and geom.covers(_point(centre))):
            point = geom.representative_point()  # inside the shape, unlike the centroid of a crescent
            centre = [round(point.x, PRECISION), round(point.y, PRECISION)]
        rows[territory.pk] = (territory, _rounded(mapping(geom)), centre)
    if problems:
        raise BoundaryFileError(problems)

    for territory, geometry, centre in rows.values():
        boundary, _created = TerritoryBoundary.objects.update_or_create(
            territory=territory,
            defaults={"geometry": geometry, "centre": centre, "source": source[:200], "imported_by": actor},
        )
        record_action(boundary, "boundary.imported", f"来自 {source or '上传文件'}", actor=actor)
        report.imported.append(territory)
    return report


def _point(xy):
    from shapely.geometry import Point

    try:
        return Point(float(xy[0]), float(xy[1]))
    except (TypeError, ValueError):
        return Point()


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, tuple | list):
            if value and isinstance(value[0], int | float):
                return [round(float(v), PRECISION) for v in value]
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


# --- what the map draws ----------------------------------------------------------------------------------------
def feature_key(territory: Territory) -> str:
    """The key joining a map feature to the figures of its territory (the code; parks and grids may have none)."""
    return territory.code or f"id{territory.pk}"


def children_with_boundaries(territory: Territory) -> list[Territory]:
    return list(
        Territory.objects.filter(parent=territory, retired_on__isnull=True, boundary__isnull=False).order_by(
            "sort_order", "code", "id"
        )
    )


def map_root(territory: Territory) -> Territory | None:
    """The territory whose children the map draws: the user's own if its children have boundaries, else the
    nearest ancestor whose children do (a town user sees the county's towns, their own highlighted)."""
    for candidate in [territory, *reversed(list(territory.ancestors()))]:
        if TerritoryBoundary.objects.filter(territory__parent=candidate).exists():
            return candidate
    return None


def feature_collection(root: Territory) -> dict:
    children = Territory.objects.filter(parent=root, retired_on__isnull=True).values_list("pk", flat=True)
    boundaries = (
        TerritoryBoundary.objects.filter(territory_id__in=children)
        .select_related("territory")
        .order_by("territory__sort_order", "territory__code", "territory_id")
    )
    return {
        "type": "FeatureCollection",
        "name": root.name,
        "features": [
            {
                "type": "Feature",
                "properties": {"name": b.territory.name, "code": feature_key(b.territory), "cp": b.centre},
                "geometry": b.geometry,
            }
            for b in boundaries
        ],
    }


def stored_in(territory: Territory | None) -> list[tuple[str, int]]:
    """How many boundaries are stored per kind in the territory's area: (kind label, count)."""
    if territory is None:
        return []
    from django.db.models import Count

    rows = (
        TerritoryBoundary.objects.filter(territory_path__startswith=territory.path)
        .values("territory__kind")
        .annotate(n=Count("pk"))
        .order_by("territory__kind")
    )
    labels = dict(TerritoryKind.choices)
    return [(labels.get(r["territory__kind"], r["territory__kind"]), r["n"]) for r in rows]
