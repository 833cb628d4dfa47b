from django.db import migrations


def seed(apps, schema_editor):
    from anjian.enforcement.provisions import seed_provisions

    seed_provisions(apps.get_model("enforcement", "Provision"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
