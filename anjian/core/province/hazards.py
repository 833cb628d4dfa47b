"""Hazards over three years, in the order they were found (ids and numbers grow with time, as in a real ledger).

The status of a hazard depends only on its age and grade, never on where it is: town and status are independent
columns, so a filter on one does not select the other (the benchmarks would otherwise measure a flattering plan).
Each status carries the fields its workflow step sets (anjian/hazards/services.py): a plan from 已制定整改方案 on,
the report from 整改完成待复查, the review from 复查合格待销号, the closure at 已销号, the reason when 作废.
"""

import bisect
import itertools
import math
import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from . import names
from .loader import CopyTable, next_id
from .tree import person_name

OPEN = ("registered", "plan_set", "rectifying", "reported", "accepted")
OPEN_MIX = (15, 15, 45, 15, 10)
SOURCES = (
    "self_check",
    "department",
    "town_patrol",
    "grid_patrol",
    "public_tip",
    "supervision",
    "accident",
    "import",
)
SOURCE_MIX = (45, 20, 15, 10, 2, 5, 0.5, 2.5)
NATURES = ("thing", "act", "management")
CATEGORIES = (
    "消防安全",
    "用电安全",
    "有限空间",
    "特种设备",
    "危险化学品",
    "高处作业",
    "机械伤害",
    "安全管理",
)
GENERAL_DEADLINES = (3, 7, 7, 15, 15, 30, 30, 60)
MAJOR_DEADLINES = (60, 90, 90, 180)
# 挂牌督办 levels (hazards.SupervisionLevel): 1 town, 2 county, 3 city.
SUPERVISION_PREFIX = "安委督办"
DANGEROUS = frozenset(("hazchem", "coal", "nonCoalMine", "tailings", "fireworks", "explosives"))
# How far along the workflow each status is: 1 plan set, 2 reported, 3 reviewed, 4 closed.
REACHED = {
    "registered": 0,
    "plan_set": 1,
    "rectifying": 1,
    "reported": 2,
    "accepted": 3,
    "closed": 4,
    "voided": 0,
}
EMERGENCY_PLAN = "整改期间落实临时管控措施，设置警戒区域，制定应急处置方案。"


def open_probability(age_days: int, major: bool) -> float:
    """Share of hazards of this age still open: most are rectified within weeks, a tail stays open for months."""
    if major:
        return 0.9 * math.exp(-age_days / 90) + 0.06
    return 0.85 * math.exp(-age_days / 18) + 0.025


class HazardLoader:
    def __init__(self, plan, tree, units, sector_ids, log):
        self.plan, self.tree, self.units, self.log = plan, tree, units, log
        self.rng = random.Random(plan.seed * 1000 + 5)
        self.Hazard = apps.get_model("hazards", "Hazard")
        self.Supervision = apps.get_model("hazards", "HazardSupervision")
        self.sector_ids = sector_ids
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.counters = {}  # (series, year) -> last number
        self.supervisions = []
        self.criteria = self._criteria()
        self._check_choices()
        self._prepare_fast_picks()

    def _check_choices(self):
        """Fail at once (not after an hour of loading) if the workflow's values changed."""
        status = {v for v, _ in self.Hazard._meta.get_field("status").choices}
        source = {v for v, _ in self.Hazard._meta.get_field("source").choices}
        missing = (set(OPEN) | {"closed", "voided"}) - status | (set(SOURCES) - source)
        if missing:
            raise ValueError(f"hazard choices changed, the generator does not know: {sorted(missing)}")

    def _criteria(self):
        """Active clauses per sector id, with the text a major hazard cites (rules.md HZ-03)."""
        Criterion = apps.get_model("hazards", "MajorHazardCriterion")
        by_sector = {}
        for pk, sector_id, standard, clause, text in Criterion.objects.filter(is_active=True).values_list(
            "pk", "sector_id", "standard", "clause", "text"
        ):
            by_sector.setdefault(sector_id, []).append((pk, f"《{standard}》{clause}：{text}"[:2000]))
        everything = [c for clauses in by_sector.values() for c in clauses]
        return by_sector, everything

    def load(self) -> dict:
        plan, rng = self.plan, self.rng
        days = plan.years * 365
        start = plan.today - timedelta(days=days - 1)
        # Weekdays find more than weekends; a slow upward trend (more grids, more self-checks every year).
        day_weights = [
            (1.0 if (start + timedelta(days=d)).weekday() < 5 else 0.35) * (0.8 + 0.4 * d / days)
            for d in range(days)
        ]
        total_weight = sum(day_weights)
        unit_cum = list(itertools.accumulate(self.units.hazard_weight))
        first_id = next_id(self.Hazard)
        counts = {"hazards": 0, "major": 0, "open": 0, "overdue": 0, "supervised": 0}
        remaining = plan.hazards
        columns = [
            "id",
            "number",
            "enterprise_id",
            "territory_id",
            "territory_path",
            "sector_id",
            "location",
            "description",
            "category",
            "nature",
            "source",
            "grade",
            "major_criterion_id",
            "major_clause",
            "status",
            "found_on",
            "inspector_names",
            "registered_at",
            "deadline",
            "is_overdue",
            "rectified_on_spot",
            "confirmed_by_id",
            "measures",
            "responsible_person",
            "funds",
            "emergency_plan",
            "plan_set_at",
            "rectification_note",
            "money_spent",
            "reported_by_id",
            "reported_at",
            "reviewed_by_id",
            "reviewed_at",
            "closed_by_id",
            "closed_at",
            "stop_order",
            "resumption_approved_by_id",
            "resumption_approved_at",
            "supervision_level",
            "supervising_org_id",
            "void_reason",
        ]
        table = CopyTable(self.Hazard, columns)

        def rows():
            nonlocal remaining
            next_pk = first_id
            carried = 0.0
            for d in range(days):
                found_on = start + timedelta(days=d)
                carried += plan.hazards * day_weights[d] / total_weight
                today_count = min(remaining, int(carried)) if d < days - 1 else remaining
                carried -= today_count
                remaining -= today_count
                if not today_count:
                    continue
                picks = rng.choices(range(len(unit_cum)), cum_weights=unit_cum, k=today_count)
                age = (plan.today - found_on).days
                # 08:00 Beijing time; UTC datetimes keep the arithmetic of ten million rows cheap.
                base = datetime.combine(found_on, time(0, 0), tzinfo=UTC)
                for unit in picks:
                    row = self._row(next_pk, unit, found_on, age, base, counts)
                    next_pk += 1
                    yield row

        table.load(rows())
        counts["supervised"] = self._load_supervisions()
        return counts

    def _number(self, series, year):
        n = self.counters.get((series, year), 0) + 1
        self.counters[(series, year)] = n
        return n

    def _prepare_fast_picks(self):
        """Pools and cumulative weights drawn from with one random() each: the row loop runs ten million times."""
        rng = self.rng
        self.people = [person_name(rng) for _ in range(4096)]
        self.phrases = {}
        for code in self.sector_ids:
            _endings, locations, texts = names.SECTOR_WORDS.get(code, names.DEFAULT_WORDS)
            self.phrases[code] = [
                (loc, f"{place}{text}", f"针对“{text}”落实整改，专人负责，限期完成。")
                for loc in locations
                for place in locations
                for text in texts
            ]
        self.open_cum = list(itertools.accumulate(OPEN_MIX))
        self.source_cum = list(itertools.accumulate(SOURCE_MIX))

    def _row(self, pk, unit, found_on, age, base, counts):
        r = self.rng.random
        units, tree = self.units, self.tree
        grid = units.grid[unit]
        code = units.sector[unit]
        people = self.people
        major = r() < (0.05 if code in DANGEROUS else 0.012)
        if r() < open_probability(age, major):
            if age > 2:
                status = OPEN[bisect.bisect(self.open_cum, r() * self.open_cum[-1])]
            else:
                status = "plan_set" if r() < 0.33 else "registered"
        else:
            status = "voided" if r() < 0.015 else "closed"
        registered_at = base + timedelta(seconds=int(r() * 36000))
        if registered_at > self.now:
            registered_at = self.now - timedelta(minutes=1 + int(r() * 59))
        choices = MAJOR_DEADLINES if major else GENERAL_DEADLINES
        deadline = found_on + timedelta(days=choices[int(r() * len(choices))])
        number = f"YH{found_on.year}{self._number('hazards.hazard', found_on.year):07d}"
        criterion_id, clause = None, ""
        if major:
            clauses = self.criteria[0].get(self.sector_ids[code]) or self.criteria[1]
            if clauses:
                criterion_id, clause = clauses[int(r() * len(clauses))]
            else:
                clause = "重大事故隐患判定标准（条款待补充）"
        phrases = self.phrases[code]
        location, description, measures_text = phrases[int(r() * len(phrases))]
        town_user = tree.office_users[grid.town.id]
        on_spot = status == "closed" and not major and r() < 0.3
        # Milestones spread over the time the rectification took (never in the future).
        window = (self.now - registered_at).total_seconds()
        if on_spot:
            took = min(window, 600 + r() * 6600)
        else:
            took = min(window, max(3600.0, (deadline - found_on).days * 86400 * (0.2 + r() * 1.1)))
        reached = REACHED[status]
        measures = responsible = emergency_plan = rectification_note = ""
        funds = plan_set_at = money_spent = reported_by = reported_at = None
        reviewed_by = reviewed_at = closed_by = closed_at = None
        if reached >= 1 and not on_spot:
            measures, responsible = measures_text, people[int(r() * 4096)]
            if major or r() < 0.5:
                funds = Decimal(500 + int(r() * (500000 if major else 20000)))
            emergency_plan = EMERGENCY_PLAN if major else ""
            plan_set_at = registered_at + timedelta(seconds=took * 0.1)
        if reached >= 2:
            rectification_note = "现场立即整改。" if on_spot else "已按要求完成整改，附整改后照片。"
            money_spent = None if on_spot else Decimal(int(r() * 100000))
            reported_by, reported_at = units.user.get(unit), registered_at + timedelta(seconds=took * 0.75)
        if reached >= 3:
            reviewed_by, reviewed_at = town_user, registered_at + timedelta(seconds=took * 0.9)
        if reached >= 4:
            closed_by, closed_at = town_user, registered_at + timedelta(seconds=took)
        is_open = reached < 4 and status != "voided"
        overdue = is_open and deadline < self.plan.today
        stop_order, resumed_by = "none", None
        if major and r() < 0.25:
            stop_order = "partial" if r() < 0.5 else "total"
            if status == "closed":
                resumed_by = tree.office_users[grid.county.id]
        level, org = self._supervision(
            pk, number, grid, major, status, overdue, registered_at, deadline, closed_at
        )
        counts["hazards"] += 1
        counts["major"] += major
        counts["open"] += is_open
        counts["overdue"] += overdue
        return (
            pk,
            number,
            units.ids[unit],
            grid.id,
            grid.path,
            self.sector_ids[code],
            location,
            description,
            CATEGORIES[int(r() * len(CATEGORIES))],
            NATURES[int(r() * 3)],
            SOURCES[bisect.bisect(self.source_cum, r() * self.source_cum[-1])],
            "major" if major else "general",
            criterion_id,
            clause,
            status,
            found_on,
            people[int(r() * 4096)],
            registered_at,
            deadline,
            overdue,
            on_spot,
            town_user if on_spot else None,
            measures,
            responsible,
            funds,
            emergency_plan,
            plan_set_at,
            rectification_note,
            money_spent,
            reported_by,
            reported_at,
            reviewed_by,
            reviewed_at,
            closed_by,
            closed_at,
            stop_order,
            resumed_by,
            closed_at if resumed_by else None,
            level,
            org,
            "重复登记，经核实作废。" if status == "voided" else "",
        )

    def _supervision(self, pk, number, grid, major, status, overdue, registered_at, deadline, closed_at):
        """挂牌督办 (rules.md §1.5): most open major hazards are listed by the county or city, some overdue general
        ones by the town; a closed hazard keeps its (delisted) listing."""
        rng = self.rng
        if status == "voided":
            return 0, None
        if major:
            chance = 0.7
            level = rng.choices((1, 2, 3), (10, 60, 30))[0]
        elif overdue:
            chance, level = 0.2, rng.choices((1, 2), (80, 20))[0]
        else:
            chance, level = 0.01, 1
        if rng.random() >= chance:
            return 0, None
        at = {1: grid.town, 2: grid.county, 3: grid.city}[level]
        org = self.tree.offices[at.id]
        listed_at = registered_at + timedelta(days=rng.randint(1, 10))
        if listed_at > self.now:
            listed_at = self.now
        if closed_at is not None and listed_at > closed_at:
            listed_at = registered_at
        year = listed_at.astimezone(self.tz).year
        self.supervisions.append(
            (
                pk,
                level,
                org,
                max(deadline, listed_at.date() + timedelta(days=30)),
                f"{number}隐患挂牌督办",
                f"{SUPERVISION_PREFIX}〔{year}〕{self._number('hazards.supervision', year)}号",
                self.tree.office_users[at.id],
                listed_at,
                closed_at is None,
                closed_at,
            )
        )
        return level, org

    def _load_supervisions(self) -> int:
        ids = itertools.count(next_id(self.Supervision))
        table = CopyTable(
            self.Supervision,
            [
                "id",
                "hazard_id",
                "level",
                "supervising_org_id",
                "deadline",
                "reason",
                "number",
                "listed_by_id",
                "listed_at",
                "is_active",
                "delisted_at",
            ],
        )
        count = table.load((next(ids), *row) for row in self.supervisions)
        self.supervisions = []
        return count
