"""Columns of list pages and of their Excel export: declared once per model, used by both."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import format_html


@dataclass(frozen=True)
class Column:
    """`accessor` is an attribute path ("territory.name") or a callable taking the object.

    `link` makes the cell a link to the object's detail page; `badge` maps a value to a Bootstrap colour.
    """

    label: str
    accessor: str | Callable
    link: bool = False
    export: bool = True
    display: bool = True
    badge: Callable | None = None

    def value(self, obj):
        if callable(self.accessor):
            return self.accessor(obj)
        value = obj
        for part in self.accessor.split("."):
            if value is None:
                return None
            display = getattr(value, f"get_{part}_display", None)
            value = display() if display else getattr(value, part)
            if callable(value) and not hasattr(value, "all"):
                value = value()
        if hasattr(value, "all"):  # many-to-many manager: prefetched by the view
            return "、".join(str(v) for v in value.all())
        return value

    def html(self, obj):
        value = self.value(obj)
        text = "" if value is None else ("是" if value is True else "否" if value is False else value)
        if self.badge:
            colour = self.badge(obj)
            if colour:
                text = format_html('<span class="badge text-bg-{}">{}</span>', colour, text)
        if self.link and hasattr(obj, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), text)
        return text if self.badge else format_html("{}", text)
