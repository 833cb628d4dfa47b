"""HTML written in Python for the parts of a page drawn hundreds of times (cells, options, menu entries).

Django's `conditional_escape` goes through `keep_lazy` and a type check per call; on a list page with a few
thousand escapes (province-level drop-downs hold ~1,600 options) that overhead costs more than the escaping.
`esc` gives the same text for plain strings and numbers and defers to Django for anything else (lazy strings,
objects with `__html__`).
"""

from html import escape as _escape

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


def esc(value) -> str:
    """`value` escaped for HTML text or an attribute, as `conditional_escape` would (safe strings kept)."""
    kind = type(value)
    if kind is str:
        return _escape(value, quote=True)
    if kind is SafeString:  # already HTML (a cell, a rendered widget)
        return value
    if kind is int:
        return str(value)
    return str(conditional_escape(value))
