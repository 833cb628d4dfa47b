"""Addresses worked out once per process: a list page links each of its rows to its record, the menu has ~90
entries and a dashboard ~400 figures that click through to filtered lists."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, reverse

# An id no record has, reversed in its place and swapped for the real one.
_ID_PLACEHOLDER = 987654321987654321


@lru_cache(maxsize=256)
def _pattern(url_name: str, script_prefix: str) -> tuple[str, str]:
    before, after = reverse(url_name, args=[_ID_PLACEHOLDER]).split(str(_ID_PLACEHOLDER), 1)
    return before, after


def object_url(url_name: str, pk: int) -> str:
    """reverse(url_name, args=[pk]) for a URL whose only argument is an integer id, without resolving the URL
    patterns again (50 reverse() calls per list page)."""
    before, after = _pattern(url_name, get_script_prefix())
    return f"{before}{int(pk)}{after}"


@lru_cache(maxsize=512)
def _named(url_name: str, script_prefix: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def named_url(url_name: str) -> str | None:
    """reverse(url_name) for a URL without arguments; None where it is not installed."""
    return _named(url_name, get_script_prefix())


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _pattern.cache_clear()
        _named.cache_clear()
