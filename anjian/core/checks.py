"""System checks: the scope mechanism stays honest, and the deployment keeps its security promises."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Warning, register


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


# 等保 2.0 三级 (GB/T 22239-2019 8.1.4.3 安全审计): audit records kept at least six months.
MINIMUM_AUDIT_RETENTION_MONTHS = 6


@register()
def audit_retention_is_long_enough(app_configs, **kwargs):
    months = getattr(settings, "AUDIT_RETENTION_MONTHS", 12)
    if months < MINIMUM_AUDIT_RETENTION_MONTHS:
        return [
            Error(
                f"AUDIT_RETENTION_MONTHS={months}：审计记录至少保存 {MINIMUM_AUDIT_RETENTION_MONTHS} 个月（等保三级）。",
                id="anjian.E010",
            )
        ]
    return []


@register(deploy=True)
def deployment_mode_is_production(app_configs, **kwargs):
    """`check --deploy` on an embedded installation says so once, instead of only listing its symptoms."""
    if getattr(settings, "DEPLOYMENT", "embedded") != "production":
        return [
            Warning(
                "嵌入式模式（DEPLOYMENT 未设为 production）：使用内置演示密钥、HTTP Cookie，仅用于演示和测试。",
                hint="生产部署请设置 DEPLOYMENT=production 及 docs/operations-deployment.md 中的变量。",
                id="anjian.W010",
            )
        ]
    return []
