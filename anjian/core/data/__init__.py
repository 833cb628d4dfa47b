"""Reference data every installation starts with (idempotent seeding)."""


def seed_sectors(sector_model) -> None:
    from .sectors import SECTORS

    for order, (code, name) in enumerate(SECTORS, start=1):
        sector_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})
