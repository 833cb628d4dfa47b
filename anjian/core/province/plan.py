"""How big the generated province is. Full scale: 14 cities, ~120 counties, ~1,500 towns, 1M units, 10M hazards."""

import math
from dataclasses import dataclass
from datetime import date

FULL_UNITS = 1_000_000
FULL_HAZARDS = 10_000_000
# Counties per city at full scale (sum 120): the capital and the big industrial cities have more.
FULL_COUNTIES = [12, 10, 10, 9, 9, 9, 8, 8, 8, 8, 8, 7, 7, 7]


@dataclass(frozen=True)
class Plan:
    seed: int
    units: int
    hazards: int
    today: date
    password: str
    years: int = 3
    # The tree shrinks with the scale below 0.1 so that a small province keeps several units per grid.
    tree_factor: float = 1.0
    enterprise_user_every: int = 50  # one enterprise account per this many units
    inspections_per_hazard: float = 0.2
    cases_per_hazard: float = 0.004
    accidents_per_hazard: float = 0.0004

    @classmethod
    def build(cls, *, scale=None, units=None, hazards=None, seed=1, today=None, password="") -> "Plan":
        if scale is None:  # one of --units/--hazards alone sets the scale of the rest
            scale = units / FULL_UNITS if units else (hazards / FULL_HAZARDS if hazards else 1.0)
        units = units if units is not None else max(50, round(FULL_UNITS * scale))
        hazards = hazards if hazards is not None else max(100, round(FULL_HAZARDS * scale))
        tree_factor = min(1.0, max(units / FULL_UNITS / 0.1, 0.0))
        return cls(
            seed=seed,
            units=units,
            hazards=hazards,
            today=today or date.today(),
            password=password,
            tree_factor=tree_factor,
        )

    @property
    def city_count(self) -> int:
        return max(2, round(len(FULL_COUNTIES) * math.sqrt(self.tree_factor)))

    def counties_in_city(self, index: int) -> int:
        return max(2, round(FULL_COUNTIES[index % len(FULL_COUNTIES)] * math.sqrt(self.tree_factor)))

    @property
    def towns_per_county(self) -> tuple[int, int]:
        low, high = 8, 17  # mean ~12.5
        factor = math.sqrt(self.tree_factor)
        return max(2, round(low * factor)), max(2, round(high * factor))

    @property
    def villages_per_town(self) -> tuple[int, int]:
        factor = math.sqrt(self.tree_factor)
        return max(1, round(5 * factor)), max(2, round(11 * factor))
