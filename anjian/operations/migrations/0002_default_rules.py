from django.db import migrations


def forwards(apps, schema_editor):
    from anjian.operations.data import seed_defaults

    seed_defaults(
        apps.get_model("operations", "ExposureRule"),
        apps.get_model("core", "Sector"),
        apps.get_model("operations", "RewardRule"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        ("core", "0003_audit_append_only_and_sectors"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
