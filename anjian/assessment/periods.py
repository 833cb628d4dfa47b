"""Periods (季度、年度) and assessed targets (a territory subtree, optionally narrowed to a department's sectors)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str = ""

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        if quarter == 0:
            return cls.year(year)
        if not 1 <= quarter <= 4:
            raise ValueError("季度必须是1～4。")
        start = date(year, 3 * quarter - 2, 1)
        end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(days=1)
        return cls(start, end, f"{year}年第{'一二三四'[quarter - 1]}季度")

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year}年度")

    def previous_year(self) -> "Period":
        """Same period of last year (同比, rules.md AC-51)."""
        return Period(_minus_year(self.start), _minus_year(self.end), f"上年同期（{self.label}）")

    def as_of(self, today: date | None = None) -> date:
        """The day at which 'overdue' is judged: the period end, or today for a period still running."""
        today = today or timezone.localdate()
        return min(self.end, today)

    def datetime_range(self) -> tuple[datetime, datetime]:
        """[start 00:00, day after end 00:00) in local time, for DateTimeFields (index-friendly range)."""
        tz = timezone.get_current_timezone()
        return (
            timezone.make_aware(datetime.combine(self.start, time.min), tz),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min), tz),
        )


def _minus_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def current_quarter(today: date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


@dataclass(frozen=True)
class Target:
    """What an indicator is computed for: a territory subtree (towns) or, for a department, the district
    narrowed to the sectors it supervises (管行业必须管安全)."""

    name: str
    territory_id: int
    territory_path: str
    sector_ids: frozenset[int] | None = None

    @classmethod
    def for_territory(cls, territory) -> "Target":
        return cls(territory.name, territory.pk, territory.path)

    @classmethod
    def for_body(cls, organisation) -> "Target":
        from anjian.core.models import OrganisationKind

        territory = organisation.territory
        if organisation.kind == OrganisationKind.DEPARTMENT:
            return cls(
                str(organisation),
                territory.pk,
                territory.path,
                frozenset(organisation.sectors.values_list("pk", flat=True)),
            )
        return cls(str(organisation), territory.pk, territory.path)
