"""System checks that keep the scope mechanism honest."""

from django.apps import apps
from django.core.checks import Error, register


@register()
def scoped_models_declare_scope(app_configs, **kwargs):
    """Every model with a territory path must say how it is scoped, or `restrict()` would hide it entirely."""
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("anjian."):
            continue
        names = {f.name for f in model._meta.concrete_fields}
        if "territory_path" in names and getattr(model, "scope", None) is None:
            errors.append(
                Error(
                    f"{model.__name__} has territory_path but no `scope = ScopeSpec(...)`", id="anjian.E001"
                )
            )
    return errors
