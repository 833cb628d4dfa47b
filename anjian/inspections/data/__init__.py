"""Reference data of the inspections app: sector checklist templates."""


def seed_checklists(template_model, item_model, sector_model) -> int:
    """Create the seeded templates that do not exist yet (idempotent); returns how many were created.

    Takes the model classes so a data migration can pass its historical models.
    """
    from .checklists import CHECKLISTS

    created = 0
    for code, name, sector_code, description, items in CHECKLISTS:
        if template_model.objects.filter(code=code).exists():
            continue
        sector = sector_model.objects.filter(code=sector_code).first() if sector_code else None
        template = template_model.objects.create(code=code, name=name, sector=sector, description=description)
        item_model.objects.bulk_create(
            item_model(
                template=template, order=order, category=category, text=text, basis=basis, major_clause=major
            )
            for order, (category, text, basis, major) in enumerate(items, start=1)
        )
        created += 1
    return created
