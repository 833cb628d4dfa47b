from django.db import migrations


def load(apps, schema_editor):
    from anjian.hazards.data import migrate_legacy_criteria, seed_criteria

    criterion = apps.get_model("hazards", "MajorHazardCriterion")
    seed_criteria(apps.get_model("core", "Sector"), criterion, apps.get_model("hazards", "HazardStandard"))
    migrate_legacy_criteria(criterion, apps.get_model("hazards", "Hazard"))


class Migration(migrations.Migration):
    dependencies = [("hazards", "0008_criteria_catalogue")]

    # Loads the shipped catalogue (and the 煤矿 / 民用爆炸物品 sectors it needs); moves hazards off the first seed
    # clauses. Not reversed: catalogue rows are never deleted once hazards may cite them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
