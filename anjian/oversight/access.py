"""Which 督查 records a user sees: the scope (core.scope), narrowed for departments and towns to what concerns
their own body — a department or town sees the problems assigned to it, not every body's list."""

from django.db.models import Exists, OuterRef

from anjian.core.roles import Role
from anjian.core.scope import restrict

from .models import OversightVisit, Problem

UNIT_ROLES = (Role.INSPECTOR, Role.TOWN)


def problems_for(user, queryset=None):
    queryset = Problem.objects.all() if queryset is None else queryset
    queryset = restrict(queryset, user)
    if getattr(user, "role", None) in UNIT_ROLES:
        if not user.organisation_id:
            return queryset.none()
        queryset = queryset.filter(responsible_unit_id=user.organisation_id)
    return queryset


def visits_for(user, queryset=None):
    """The 安委办 and leaders: the visits in their territory. A department or town: the visits whose problem
    list names it (a district visit lies above a town's territory, yet the town must read its feedback)."""
    queryset = OversightVisit.objects.all() if queryset is None else queryset
    if getattr(user, "role", None) in UNIT_ROLES:
        if not user.organisation_id or not user.is_active:
            return queryset.none()
        assigned = Problem.objects.filter(visit=OuterRef("pk"), responsible_unit_id=user.organisation_id)
        return queryset.filter(Exists(assigned))
    return restrict(queryset, user)


def can_see_problem(user, problem) -> bool:
    """An evidence file is served to exactly those whose problem list shows its problem (core.media)."""
    return problems_for(user).filter(pk=problem.pk).exists()
