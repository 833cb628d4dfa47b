import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0001_initial"),
        ("inspections", "0002_seed_checklists"),
    ]

    operations = [
        migrations.AddField(
            model_name="inspectionitem",
            name="hazard",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="inspection_item",
                to="hazards.hazard",
                verbose_name="登记的隐患",
            ),
        ),
    ]
