"""Finding the deadline and to-do providers: `anjian/<app>/deadlines.py` modules (see protocols.py).

Discovered like navigation and home panels (core.navigation): every anjian app may have one. Tests register
extra providers with `register()`.
"""

import logging
from functools import cache
from importlib import import_module

from django.apps import apps

from .rules import KNOWN_KINDS

logger = logging.getLogger(__name__)
_registered: list = []


@cache
def discovered() -> tuple:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian."):
            continue
        try:
            module = import_module(f"{config.name}.deadlines")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.deadlines":
                raise
            continue
        modules.append(module)
    return tuple(modules)


def all_providers() -> list:
    return [*discovered(), *_registered]


def register(provider):
    """Add a provider (an object or module with DEADLINE_KINDS, deadline_items, todo_items); returns a function
    that removes it again (used by tests)."""
    _registered.append(provider)

    def unregister():
        if provider in _registered:
            _registered.remove(provider)

    return unregister


def deadline_providers() -> dict[str, object]:
    """kind -> the provider declaring it."""
    kinds = {}
    for provider in all_providers():
        for kind in getattr(provider, "DEADLINE_KINDS", {}):
            kinds[kind] = provider
    return kinds


def kind_labels() -> dict[str, str]:
    labels = dict(KNOWN_KINDS)
    for provider in all_providers():
        labels.update(getattr(provider, "DEADLINE_KINDS", {}))
    return labels


def kind_label(kind: str) -> str:
    return kind_labels().get(kind, kind)
