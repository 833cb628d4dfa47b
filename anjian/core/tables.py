"""Columns of list pages and of their Excel export: declared once per model, used by both."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import mark_safe

from .markup import esc


def local_time(value: datetime.datetime) -> datetime.datetime:
    """A stored (UTC) time as people read it: local wall-clock time (TIME_ZONE), whole seconds, no zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def as_written(value, empty: str = "") -> str:
    """A stored value as people write it: 是/否 for booleans, items joined with 、, local times."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return local_time(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, list | tuple):
        return "、".join(as_written(v) for v in value)
    return _person(value)


def _person(value) -> str:
    """People by their name, never by their login name."""
    return value.get_full_name() if hasattr(value, "get_full_name") else str(value)


@dataclass(frozen=True)
class Column:
    """`accessor` is an attribute path ("territory.name") or a callable taking the object.

    `link` makes the cell a link to the object's detail page; `badge` maps a value to a Bootstrap colour.
    Times are shown and exported in local time; `time_format` says how a page shows them.
    """

    label: str
    accessor: str | Callable
    link: bool = False
    export: bool = True
    display: bool = True
    badge: Callable | None = None
    time_format: str = "%Y-%m-%d %H:%M"

    def value(self, obj):
        """The cell's value for the Excel export (a local time for times, so the sheet shows 14:05:33)."""
        value = self._raw(obj)
        return local_time(value) if isinstance(value, datetime.datetime) else value

    def _raw(self, obj):
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
            return "、".join(_person(v) for v in value.all())
        return _person(value) if hasattr(value, "get_full_name") else value

    def html(self, obj):
        """The cell as HTML (escaped). Plain string building: a list page draws several hundred cells."""
        value = self.value(obj)
        if isinstance(value, datetime.datetime):
            value = value.strftime(self.time_format)
        elif isinstance(value, datetime.date):
            value = value.isoformat()  # 2026-12-01, as every other date of a list
        text = "" if value is None else ("是" if value is True else "否" if value is False else value)
        text = esc(text)
        if self.badge:
            colour = self.badge(obj)
            if colour:
                text = f'<span class="badge text-bg-{esc(colour)}">{text}</span>'
        if self.link and hasattr(obj, "get_absolute_url"):
            text = f'<a href="{esc(obj.get_absolute_url())}">{text}</a>'
        return mark_safe(text)  # every part above is escaped


class Cells(list):
    """A row's cells, written as <td>s by `{{ cells }}`: one template variable per row rather than one per cell."""

    def __html__(self) -> str:
        return "".join(f"<td>{esc(cell)}</td>" for cell in self)

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # the template engine calls str() first


class TableRows(list):
    """A list page's (object, Cells) pairs, written by `{{ rows }}` as numbered <tr>s without a template node per
    row; templates may still loop over the pairs."""

    def __html__(self) -> str:
        return "".join(
            f'<tr><td class="text-muted small">{number}</td>{cells.__html__()}</tr>'
            for number, (_obj, cells) in enumerate(self, 1)
        )

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # the template engine calls str() first


class Cards(list):
    """Phone cards, written by `{{ cards }}` one after the other."""

    def __html__(self) -> str:
        return "".join(card.__html__() for card in self)

    def __str__(self) -> str:
        return mark_safe(self.__html__())


class Card(dict):
    """A phone card (core.views.generic.cards), written by `{{ card }}` without a template node per line."""

    def __html__(self) -> str:
        e = esc
        parts = [
            '<div class="card list-card mb-2" data-testid="object-card"><div class="card-body">'
            '<div class="d-flex justify-content-between align-items-start gap-2">'
            f'<div class="list-card-title">{e(self.get("title", ""))}</div>'
        ]
        if self.get("status"):
            parts.append(f'<div class="flex-shrink-0">{e(self["status"])}</div>')
        parts.append("</div>")
        if self.get("unit"):
            parts.append(
                f'<div class="list-card-line"><i class="bi bi-building" aria-hidden="true"></i> {e(self["unit"])}</div>'
            )
        for label, value in self.get("details", ()):
            parts.append(
                f'<div class="list-card-line"><span class="text-body-secondary">{e(label)}：</span>{e(value)}</div>'
            )
        if self.get("deadline"):
            parts.append(
                '<div class="list-card-line"><i class="bi bi-calendar-event" aria-hidden="true"></i> '
                f"{e(self.get('deadline_label', ''))} {e(self['deadline'])}</div>"
            )
        parts.append("</div></div>")
        return "".join(parts)

    def __str__(self) -> str:
        return mark_safe(self.__html__())  # the template engine calls str() first
