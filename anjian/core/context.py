"""Who is acting right now: set by the request middleware, by tasks and by management commands.

The audit trail reads it, so model code never needs the request.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    ip: str | None = None
    request_id: str = ""
    label: str = "系统"


_NOBODY = Actor()
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("anjian_actor", default=_NOBODY)


def current_actor() -> Actor:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def acting_as(user=None, ip=None, request_id=None, label="系统"):
    token = _current.set(Actor(user=user, ip=ip, request_id=request_id or new_request_id(), label=label))
    try:
        yield
    finally:
        _current.reset(token)
