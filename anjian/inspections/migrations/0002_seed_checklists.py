from django.db import migrations


def seed(apps, schema_editor):
    from anjian.inspections.data import seed_checklists

    seed_checklists(
        apps.get_model("inspections", "ChecklistTemplate"),
        apps.get_model("inspections", "ChecklistItem"),
        apps.get_model("core", "Sector"),
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
