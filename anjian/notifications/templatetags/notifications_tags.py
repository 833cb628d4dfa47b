"""`{% load notifications_tags %}{% todo_badge %}`: the to-do and unread counts for the navigation bar.

The lead places it inside `{% block nav_extra %}` of base.html (the block is inside a <ul class="navbar-nav">).
"""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from anjian.core.permissions import has_perm

from ..services import todo_count, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_badge(context):
    """A placeholder that htmx fills after the page has loaded: counting to-dos asks every provider, and no
    page should wait (or spend its query budget) on that."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.role:
        return ""
    return format_html(
        '<li class="nav-item" hx-get="{}" hx-trigger="load" hx-swap="outerHTML"></li>',
        reverse("notifications:badge"),
    )


def render_badge(user) -> str:
    return render_to_string(
        "notifications/partials/nav_badge.html",
        {
            "todo": todo_count(user) if has_perm(user, "notifications.view_todo") else None,
            "unread": unread_count(user),
        },
    )
