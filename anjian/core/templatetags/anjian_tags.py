"""Template helpers shared by every app: `{% load anjian_tags %}{% if user|can:"hazards.add_hazard" %}…`."""

from django import template

from ..permissions import has_perm

register = template.Library()


@register.filter
def can(user, code: str) -> bool:
    """Whether the user's role holds the permission code (core.permissions); never decides record scope."""
    return has_perm(user, code)
