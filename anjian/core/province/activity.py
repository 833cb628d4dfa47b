"""Inspections, enforcement cases and accidents, in proportion to the hazards (numbers from the same series the
services use, so the counters can be moved past them)."""

import itertools
import random
from datetime import datetime, time, timedelta

from django.apps import apps
from django.utils import timezone

from . import names
from .loader import CopyTable, next_id
from .tree import person_name

ACCIDENT_CATEGORIES = ("1986-01", "1986-02", "1986-03", "1986-04", "1986-05", "1986-06", "1986-09", "1986-12")


def _day_picks(plan, rng, total):
    """(date, unit numbers…) spread evenly over the plan's years."""
    days = plan.years * 365
    start = plan.today - timedelta(days=days - 1)
    for d in sorted(rng.randrange(days) for _ in range(total)):
        yield start + timedelta(days=d)


def load_inspections(plan, tree, units, sector_ids, counters) -> int:
    """现场检查记录: town patrols, county and city inspections of the department in charge of the unit's sector."""
    rng = random.Random(plan.seed * 1000 + 6)
    Inspection = apps.get_model("inspections", "Inspection")
    tz = timezone.get_current_timezone()
    total = round(plan.hazards * plan.inspections_per_hazard)
    ids = itertools.count(next_id(Inspection))
    n_units = len(units.ids)

    def rows():
        for day in _day_picks(plan, rng, total):
            unit = rng.randrange(n_units)
            grid, code = units.grid[unit], units.sector[unit]
            sector = sector_ids[code]
            level = rng.choices(("town", "county", "city"), (45, 45, 10))[0]
            at = grid.town if level == "town" else (grid.county if level == "county" else grid.city)
            if level == "town":
                org, lead = tree.offices[at.id], tree.office_users[at.id]
            else:
                org = tree.departments.get((at.id, sector)) or tree.offices[at.id]
                lead = tree.inspector_users.get(org) or tree.office_users[at.id]
            year = day.year
            counters[("inspections.record", year)] = counters.get(("inspections.record", year), 0) + 1
            started = datetime.combine(day, time(9, 0), tzinfo=tz) + timedelta(minutes=rng.randrange(420))
            recent = (plan.today - day).days < 3
            status = "draft" if recent and rng.random() < 0.5 else "completed"
            _endings, locations, _texts = names.SECTOR_WORDS.get(code, names.DEFAULT_WORDS)
            yield (
                next(ids),
                f"现检〔{year}〕{counters[('inspections.record', year)]}号",
                level,
                rng.choices(("routine", "special", "random", "holiday"), (70, 15, 10, 5))[0],
                status,
                units.ids[unit],
                grid.id,
                grid.path,
                sector,
                org,
                tree.department_names.get(org, at.name),
                day,
                rng.choice(locations),
                lead,
                person_name(rng),
                "安全负责人",
                "检查发现问题已当场告知，责令限期整改。" if status == "completed" else "",
                started,
                started + timedelta(hours=2) if status == "completed" else None,
                lead,
            )

    table = CopyTable(
        Inspection,
        [
            "id",
            "number",
            "level",
            "kind",
            "status",
            "enterprise_id",
            "territory_id",
            "territory_path",
            "sector_id",
            "organisation_id",
            "supervising_body",
            "inspected_on",
            "location",
            "lead_inspector_id",
            "unit_contact",
            "unit_contact_title",
            "summary",
            "created_at",
            "completed_at",
            "created_by_id",
        ],
    )
    return table.load(rows())


def load_cases(plan, tree, units, sector_ids, counters) -> int:
    """行政处罚案件 of county departments: most closed, the recent ones still in progress."""
    rng = random.Random(plan.seed * 1000 + 7)
    Case = apps.get_model("enforcement", "Case")
    total = max(1, round(plan.hazards * plan.cases_per_hazard))
    ids = itertools.count(next_id(Case))

    def rows():
        for day in _day_picks(plan, rng, total):
            unit = rng.randrange(len(units.ids))
            grid, code = units.grid[unit], units.sector[unit]
            sector = sector_ids[code]
            org = tree.departments.get((grid.county.id, sector)) or tree.departments.get(
                (grid.county.id, sector_ids["commerce"])
            )
            handler = tree.inspector_users[org]
            key = (f"enforcement.case.{org}", day.year)
            counters[key] = counters.get(key, 0) + 1
            name = tree.department_names[org]
            age = (plan.today - day).days
            stage = "closed" if age > 120 and rng.random() < 0.95 else rng.choice(("filed", "investigation"))
            decided = day + timedelta(days=rng.randint(20, 80)) if stage == "closed" else None
            yield (
                next(ids),
                f"{name[:6]}立〔{day.year}〕{counters[key]}号",
                f"{units.names[unit]}涉嫌未按规定排查治理事故隐患案",
                units.ids[unit],
                units.names[unit],
                person_name(rng),
                grid.id,
                grid.path,
                sector,
                org,
                handler,
                "hazard",
                "隐患排查中发现",
                "经查，该单位未按规定及时消除事故隐患。",
                stage,
                day,
                day + timedelta(days=90),
                decided,
                decided,
                decided + timedelta(days=5) if decided else None,
                "已执行完毕，结案。" if stage == "closed" else "",
            )

    table = CopyTable(
        Case,
        [
            "id",
            "number",
            "title",
            "enterprise_id",
            "party_name",
            "responsible_persons",
            "territory_id",
            "territory_path",
            "sector_id",
            "organisation_id",
            "handler_id",
            "source_kind",
            "source_description",
            "facts",
            "stage",
            "filed_on",
            "decision_due",
            "decided_on",
            "served_on",
            "closed_on",
            "outcome_note",
        ],
    )
    return table.load(rows())


def load_accidents(plan, tree, units, sector_ids) -> int:
    """生产安全事故: almost all 一般事故 (493号令 第三条: fewer than 3 deaths, 10 serious injuries, 1000万 loss)."""
    rng = random.Random(plan.seed * 1000 + 8)
    Accident = apps.get_model("accidents", "Accident")
    tz = timezone.get_current_timezone()
    total = max(1, round(plan.hazards * plan.accidents_per_hazard))
    ids = itertools.count(next_id(Accident))

    def rows():
        for day in _day_picks(plan, rng, total):
            unit = rng.randrange(len(units.ids))
            grid, code = units.grid[unit], units.sector[unit]
            occurred = datetime.combine(day, time(0, 0), tzinfo=tz) + timedelta(minutes=rng.randrange(1440))
            deaths = rng.choices((0, 1, 2), (70, 25, 5))[0]
            age = (plan.today - day).days
            status = "closed" if age > 90 else rng.choice(("reported", "investigating"))
            _endings, locations, _texts = names.SECTOR_WORDS.get(code, names.DEFAULT_WORDS)
            yield (
                next(ids),
                f"{units.names[unit]}“{day:%m·%d}”{rng.choice(('物体打击', '高处坠落', '机械伤害', '触电'))}事故",
                units.ids[unit],
                units.names[unit],
                grid.id,
                grid.path,
                sector_ids[code],
                occurred,
                rng.choice(locations),
                rng.choice(ACCIDENT_CATEGORIES),
                "事故经过初步查明，详见调查报告。",
                "已启动应急响应，现场已处置。",
                deaths,
                rng.randint(0, 2),
                rng.randint(0, 3),
                occurred + timedelta(minutes=rng.randint(10, 60)),
                day + timedelta(days=30),
                status,
                tree.office_users[grid.county.id],
            )

    table = CopyTable(
        Accident,
        [
            "id",
            "title",
            "enterprise_id",
            "unit_name",
            "territory_id",
            "territory_path",
            "sector_id",
            "occurred_at",
            "place",
            "category",
            "summary",
            "measures",
            "deaths",
            "serious_injuries",
            "minor_injuries",
            "unit_received_at",
            "supplement_until",
            "status",
            "created_by_id",
        ],
    )
    return table.load(rows())
