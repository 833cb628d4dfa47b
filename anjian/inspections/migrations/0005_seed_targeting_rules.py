from django.db import migrations


def seed(apps, schema_editor):
    from anjian.inspections.data.targeting import seed_targeting_rules

    seed_targeting_rules(apps.get_model("inspections", "TargetingRule"))


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_targeting_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
