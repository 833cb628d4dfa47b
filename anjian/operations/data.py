"""Default reference data, seeded on install and editable afterwards (rules as data, national values as defaults)."""

# Warning type -> (sector codes exposed, minimum level, hours to acknowledge). The examples:
# 森林火险 -> 森林防火; 暴雨 -> 尾矿库、非煤矿山、建筑施工. The office edits these rows per installation.
DEFAULT_EXPOSURE = {
    "rainstorm": (["tailings", "nonCoalMine", "construction"], "blue", 2),
    "typhoon": (["construction", "waterTransport", "tailings", "nonCoalMine"], "blue", 2),
    "cold_wave": (["gas", "construction"], "yellow", 4),
    "freezing": (["roadTransport", "construction", "gas"], "yellow", 4),
    "snowstorm": (["roadTransport", "construction"], "yellow", 4),
    "gale": (["construction", "specialEquipment", "waterTransport"], "yellow", 2),
    "heat": (["hazchem", "fireworks", "construction", "gas"], "orange", 4),
    "smog": (["roadTransport"], "orange", 4),
    "fog": (["roadTransport", "waterTransport"], "orange", 2),
    "thunder": (["hazchem", "fireworks", "nonCoalMine"], "yellow", 2),
    "forest_fire": (["forestFire"], "blue", 2),
    "geohazard": (["nonCoalMine", "tailings", "construction"], "blue", 2),
}

# 《安全生产领域举报奖励办法》(2018) national defaults (rules.md §5.2 RW-02, RW-03); RW-08: local tables differ.
DEFAULT_REWARD_RULES = {
    "hazard_or_illegal": {"rate": "0.15", "minimum": "3000", "maximum": "300000"},
    "concealed_accident": {"rate": "0", "minimum": "0", "maximum": "300000"},
}


def seed_defaults(exposure_model, sector_model, reward_model) -> None:
    """Idempotent: existing rows (possibly edited) are left alone."""
    sectors = {s.code: s for s in sector_model.objects.all()}
    for warning_type, (codes, level, hours) in DEFAULT_EXPOSURE.items():
        rule, created = exposure_model.objects.get_or_create(
            warning_type=warning_type, defaults={"min_level": level, "ack_hours": hours}
        )
        if created:
            rule.sectors.set([sectors[c] for c in codes if c in sectors])
    for kind, values in DEFAULT_REWARD_RULES.items():
        reward_model.objects.get_or_create(kind=kind, defaults=values)


def seed() -> None:
    from anjian.core.models import Sector

    from .models import ExposureRule, RewardRule

    seed_defaults(ExposureRule, Sector, RewardRule)
