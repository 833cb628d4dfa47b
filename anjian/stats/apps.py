from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "anjian.stats"
    label = "stats"
    verbose_name = "统计汇总"

    def ready(self):
        from django.db.models.signals import post_delete

        from anjian.core.scope import territory_moved

        from . import counts, units

        # Hazards are voided, not deleted; a deletion (admin clean-up, tests) still leaves the counts true.
        post_delete.connect(
            counts.hazard_deleted, sender="hazards.Hazard", dispatch_uid="stats.hazard_deleted"
        )
        territory_moved.connect(counts.territory_moved, dispatch_uid="stats.territory_moved")
        post_delete.connect(
            units.unit_deleted, sender="registry.Enterprise", dispatch_uid="stats.unit_deleted"
        )
        territory_moved.connect(units.territory_moved, dispatch_uid="stats.units_territory_moved")
