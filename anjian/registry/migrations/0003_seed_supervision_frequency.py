"""Seed the supervision frequency table (分级分类监管) from rules.DEFAULT_INSPECTIONS_PER_YEAR.

No national table exists (rules.md RK-03): the office edits these rows afterwards.
"""

from django.db import migrations

NOTES = {
    "major": "重大风险（红）：每月至少检查1次",
    "high": "较大风险（橙）：每季度至少检查1次",
    "medium": "一般风险（黄）：每半年至少检查1次",
    "low": "低风险（蓝）：每年至少检查1次",
}


def seed(apps, schema_editor):
    from anjian.registry.rules import DEFAULT_INSPECTIONS_PER_YEAR

    SupervisionFrequency = apps.get_model("registry", "SupervisionFrequency")
    for level, count in DEFAULT_INSPECTIONS_PER_YEAR.items():
        SupervisionFrequency.objects.get_or_create(
            risk_level=level.value,
            defaults={"inspections_per_year": count, "note": NOTES[level.value]},
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_blacklistentry_closurerecord_constructionproject_and_more")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
