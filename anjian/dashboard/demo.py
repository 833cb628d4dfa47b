"""Demo step of the dashboard: the fictional boundaries of the demo province's cities, the city's counties and
the district's towns (anjian/dashboard/data/*.geojson), imported like any real file so the map works at every
level of the demo."""

from pathlib import Path

from .boundaries import import_boundaries

DATA = Path(__file__).resolve().parent / "data"
# (file, level of its features)
FILES = (
    ("990000-cities.geojson", "city"),
    ("990100-counties.geojson", "county"),
    ("990102-towns.geojson", "town"),
)


def build(ctx) -> None:
    imported = 0
    for name, level in FILES:
        report = import_boundaries((DATA / name).read_bytes(), level=level, source=f"演示数据 {name}")
        imported += len(report.imported)
    ctx.log.append(f"行政区划边界 {imported} 个（虚构演示边界）")
