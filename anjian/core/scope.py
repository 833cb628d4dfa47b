"""Data scope: which records a user may see. The one place where this is decided.

Every queryset shown to a user — pages, API, exports, tasks acting for a user — goes through `restrict()`.
A model declares how it is scoped with a `scope = ScopeSpec(...)` class attribute:

- territory: the field holding the record's territory path (copied from its territory, indexed);
- sectors: the field naming the record's supervision sector(s), FK or many-to-many;
- enterprise: the field naming the record's enterprise ("pk" on the enterprise itself).

Rules (tested as a matrix in core/tests/test_scope.py):
- 安委办, leaders, town and grid staff, system and security administrators: their territory's subtree;
- department inspectors: their territory's subtree AND the sectors their department supervises
  (管行业必须管安全); a record without a sector is not theirs;
- enterprise staff: their own enterprise's records only; never territory-wide lists;
- audit administrators: everything (they read the audit trail only, by permission);
- anyone else, inactive or anonymous: nothing.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Concat, Substr
from django.dispatch import Signal

from .roles import Role


@dataclass(frozen=True)
class ScopeSpec:
    territory: str | None = None
    sectors: str | None = None
    enterprise: str | None = None
    public: bool = False  # reference data everybody signed in may read (e.g. sectors)


@dataclass(frozen=True)
class Scope:
    nothing: bool = False
    territory_path: str | None = None  # None: no territory restriction
    sector_ids: frozenset[int] | None = None  # None: all sectors
    enterprise_id: int | None = None  # set for enterprise staff


NOTHING = Scope(nothing=True)
EVERYTHING = Scope()


def scope_for(user) -> Scope:
    """The data scope of a user; computed once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_anjian_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._anjian_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    role = user.role
    if role == Role.AUDIT_ADMIN:
        return EVERYTHING
    if role == Role.ENTERPRISE:
        return Scope(enterprise_id=user.enterprise_id) if user.enterprise_id else NOTHING
    if not user.territory_id:
        return NOTHING
    path = user.territory.path
    if role == Role.INSPECTOR:
        sector_ids = (
            frozenset(user.organisation.sectors.values_list("pk", flat=True))
            if user.organisation_id
            else frozenset()
        )
        return Scope(territory_path=path, sector_ids=sector_ids)
    if role in (Role.OFFICE, Role.LEADER, Role.TOWN, Role.GRID, Role.SYS_ADMIN, Role.SEC_ADMIN):
        return Scope(territory_path=path)
    return NOTHING


def scope_q(model, scope: Scope) -> Q | None:
    """The filter for `model` under `scope`; None means no row at all."""
    spec: ScopeSpec | None = getattr(model, "scope", None)
    if scope.nothing or spec is None:
        return None
    if spec.public:
        return Q()
    if scope.enterprise_id is not None:
        if not spec.enterprise:
            return None
        return Q(**{spec.enterprise: scope.enterprise_id})
    q = Q()
    if scope.territory_path is not None:
        if not spec.territory:
            return None
        q &= Q(**{f"{spec.territory}__startswith": scope.territory_path})
    if scope.sector_ids is not None and spec.sectors:
        q &= _sector_q(model, spec.sectors, scope.sector_ids)
    return q


def _sector_q(model, field_name: str, sector_ids: frozenset[int]) -> Q:
    if "__" in field_name:
        # A path through a foreign key (e.g. "enterprise__sectors" on a register row): EXISTS on the related
        # record, so the sector rule of the parent applies unchanged and rows are never duplicated.
        head, rest = field_name.split("__", 1)
        related = model._meta.get_field(head).related_model
        inner = _sector_q(related, rest, sector_ids)
        return Q(Exists(related._base_manager.filter(inner, pk=OuterRef(head))))
    field = model._meta.get_field(field_name)
    if field.many_to_many:
        # EXISTS instead of a join, so rows are never duplicated and no DISTINCT is needed.
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        return Q(Exists(through.objects.filter(**{source: OuterRef("pk"), f"{target}__in": sector_ids})))
    return Q(**{f"{field_name}__in": sector_ids})


def restrict(queryset: models.QuerySet, user) -> models.QuerySet:
    """`queryset` narrowed to what `user` may see."""
    q = scope_q(queryset.model, scope_for(user))
    return queryset.none() if q is None else queryset.filter(q)


def can_view(user, obj) -> bool:
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def ensure_in_scope(user, obj) -> None:
    """Re-check after a write, inside the transaction: a user cannot move a record out of their scope."""
    if not can_view(user, obj):
        raise PermissionDenied("保存后的记录超出了您的数据范围，操作已撤销。")


def territory_path_fields():
    """(model, field name) of every model that copies a territory path."""
    from django.apps import apps

    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "territory" in names and "territory_path" in names:
            yield model


def sync_territory_path(sender, instance, **kwargs):
    """pre_save: keep `territory_path` equal to the path of the record's territory."""
    if not hasattr(instance, "territory_path") or not hasattr(instance, "territory_id"):
        return
    instance.territory_path = instance.territory.path if instance.territory_id else ""


# Sent (in the transaction of the move) after a territory moved under another parent and every copied path was
# re-rooted, for what depends on a territory's ancestors rather than its path (stats: rolled-up counts).
territory_moved = Signal()


def rewrite_territory_paths(old_prefix: str, new_prefix: str) -> None:
    """After a territory moved in the tree, re-root the copied paths of every scoped record below it."""
    from django.db.models import Value

    for model in territory_path_fields():
        model._base_manager.filter(territory_path__startswith=old_prefix).update(
            territory_path=Concat(Value(new_prefix), Substr("territory_path", len(old_prefix) + 1))
        )
    territory_moved.send(sender=None, old_prefix=old_prefix, new_prefix=new_prefix)
