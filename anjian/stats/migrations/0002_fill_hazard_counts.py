from django.db import migrations


def fill(apps, schema_editor):
    from anjian.stats.counts import rebuild

    rebuild(apps.get_model("hazards", "Hazard"), with_rollups=False)  # 0003 rolls them up


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("hazards", "0009_criteria_catalogue_data"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
