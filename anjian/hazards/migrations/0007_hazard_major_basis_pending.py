from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0006_overdue_partial_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazard",
            name="major_basis_pending",
            field=models.BooleanField(db_default=False, default=False, verbose_name="待补充判定依据"),
        ),
    ]
