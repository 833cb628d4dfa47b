from django.db import migrations


def seed(apps, schema_editor):
    from anjian.hazards.data.legacy import seed_legacy_criteria

    seed_legacy_criteria(apps.get_model("core", "Sector"), apps.get_model("hazards", "MajorHazardCriterion"))


class Migration(migrations.Migration):
    dependencies = [("hazards", "0002_hazard_inspection")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
