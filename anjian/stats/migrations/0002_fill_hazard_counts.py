from django.db import migrations


def fill(apps, schema_editor):
    """Filled by 0004 now: the counting code writes the columns of the latest key (late_month), which the table
    does not have yet at this step."""


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("hazards", "0009_criteria_catalogue_data"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
