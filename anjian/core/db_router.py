"""Read replicas: read-only work reads a streaming replica, everything else the primary.

Which work is read-only is declared in one place, settings.DATABASE_REPLICA_VIEWS (URL names of dashboards,
ledgers and statistics) plus every `?export=` download; background jobs opt in with `read_replica()`. Nothing
else ever reads a replica, so a page that shows what its user just saved always reads the primary.

Rules, in order (docs/deployment.md):
- no replica configured (settings.DATABASE_REPLICAS empty, the embedded mode): nothing changes;
- a non-safe request (POST …) reads and writes the primary, and so does the same user for
  DATABASE_REPLICA_STICKY_SECONDS afterwards (cookie), so that nobody reads their own write from a replica;
- a write during a request or a `read_replica()` block switches the rest of it to the primary;
- who is signed in, their roles, sessions and tokens are always read from the primary: a deactivated account or a
  withdrawn role must take effect at once, not a replication delay later;
- a replica is skipped while it is down (connection refused at connect time) or further behind the primary than
  DATABASE_REPLICA_MAX_LAG seconds. Lag is measured at most once every DATABASE_REPLICA_CHECK_SECONDS per
  process, so an ordinary request costs no extra query; a replica found down is tried again after
  DATABASE_REPLICA_RETRY_SECONDS.
"""

import contextlib
import contextvars
import logging
import math
import random
import time
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
    transaction,
)

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
STICKY_COOKIE = "anjian_primary_until"

# Identity and sign-in bookkeeping live on the primary only (reads and writes). Their writes happen on every
# request (the session's idle timeout, a token's last use) and are not the user's own business data, so they
# neither switch a request to the primary nor set the sticky cookie.
PRIMARY_ONLY_APPS = frozenset({"sessions", "axes", "auth"})
PRIMARY_ONLY_MODELS = frozenset({"core.user", "core.apitoken"})


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


def max_lag() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", 2.0))


def _primary_only(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


# ---- per unit of work: one request, or one read_replica() block --------------------------------------------


@dataclass
class Routing:
    replica_allowed: bool = False
    # The user wrote (this request or a few seconds ago): their reads must see it.
    pinned: bool = False
    wrote: bool = False
    primary_after_write: bool = True
    # The replica this unit reads, chosen once so that all its reads come from one consistent source;
    # "" when none was usable.
    chosen: str | None = None

    @property
    def reads_replica(self) -> bool:
        return self.replica_allowed and not self.pinned and not (self.wrote and self.primary_after_write)


_routing: contextvars.ContextVar[Routing | None] = contextvars.ContextVar("anjian_db_routing", default=None)


@contextlib.contextmanager
def routing_scope(routing: Routing):
    token = _routing.set(routing)
    try:
        yield routing
    finally:
        _routing.reset(token)


@contextlib.contextmanager
def read_replica(*, primary_after_write: bool = True):
    """Read from a replica inside the block (export jobs, statistics, bulletins computed in the background).

    A write inside the block switches its remaining reads to the primary, unless primary_after_write=False,
    for a job whose writes (its own progress row) are never read back by the block. Inside a request that has
    written, or a user pinned to the primary, the block reads the primary too."""
    outer = _routing.get()
    routing = Routing(
        replica_allowed=True,
        pinned=outer is not None and (outer.pinned or outer.wrote),
        primary_after_write=primary_after_write,
    )
    try:
        with routing_scope(routing):
            yield routing
    finally:
        if outer is not None and routing.wrote:
            outer.wrote = True


# ---- replica health: up, and how far behind ----------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaHealth:
    alias: str
    up: bool
    lag: float  # seconds behind the primary; inf when down or unknown
    checked_at: float

    @property
    def usable(self) -> bool:
        return self.up and self.lag <= max_lag()


_health: dict[str, ReplicaHealth] = {}
# The primary's WAL position at recent checks, (monotonic time, bytes). A replica that has replayed past a
# position the primary had t seconds ago is at most t seconds behind.
_primary_positions: deque[tuple[float, int]] = deque(maxlen=32)


def forget_health() -> None:
    """Measure every replica again at its next use (tests; after a failover)."""
    _health.clear()
    _primary_positions.clear()


def remember_health(alias: str, up: bool, lag: float = 0.0) -> ReplicaHealth:
    health = ReplicaHealth(alias, up, lag if up else math.inf, time.monotonic())
    _health[alias] = health
    return health


def replica_health(alias: str) -> ReplicaHealth:
    """The replica's health, measured at most once every DATABASE_REPLICA_CHECK_SECONDS in this process
    (DATABASE_REPLICA_RETRY_SECONDS while it is down)."""
    cached = _health.get(alias)
    ttl = float(getattr(settings, "DATABASE_REPLICA_CHECK_SECONDS", 2.0))
    if cached is not None and not cached.up:
        # Each retry of a host that does not answer may hold one request for the connect timeout: seldom.
        ttl = max(ttl, float(getattr(settings, "DATABASE_REPLICA_RETRY_SECONDS", 30.0)))
    if cached is not None and time.monotonic() - cached.checked_at < ttl:
        return cached
    health = remember_health(alias, *measure_lag(alias))
    # One log line when a replica is dropped or taken back, not one per check.
    if not health.usable and (cached is None or cached.usable):
        state = "unreachable" if not health.up else f"{health.lag:.1f} s behind (limit {max_lag():.1f} s)"
        logger.warning("read replica %s %s: reading the primary", alias, state)
    elif health.usable and cached is not None and not cached.usable:
        logger.warning("read replica %s back in use (%.1f s behind)", alias, health.lag)
    return health


def lag_seconds(
    caught_up: bool, since_last_replay: float | None, since_passed_position: float | None
) -> float:
    """An upper bound of how many seconds a replica is behind its primary.

    Caught up (it has replayed what the primary had written when the check began): 0, however old the last
    commit (an idle primary is not lag). Otherwise the tighter of two bounds: the age of the last transaction
    it replayed (pg_last_xact_replay_timestamp(); too high while a long transaction writes without committing)
    and the age of the newest recorded primary position it has passed."""
    if caught_up:
        return 0.0
    bounds = [b for b in (since_last_replay, since_passed_position) if b is not None]
    return max(0.0, float(min(bounds))) if bounds else math.inf


PRIMARY_POSITION_SQL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')"
REPLICA_STATUS_SQL = (
    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0'),"
    " EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
)


def _primary_position() -> int | None:
    try:  # in a savepoint: a failure here must not break the request's own transaction
        with transaction.atomic(using=PRIMARY), connections[PRIMARY].cursor() as cursor:
            cursor.execute(PRIMARY_POSITION_SQL)
            return int(cursor.fetchone()[0])
    except DatabaseError as exc:  # unknown: judge by the replay time alone
        logger.warning("primary WAL position unavailable: %s", _one_line(exc))
        return None


def measure_lag(alias: str) -> tuple[bool, float]:
    """(up, seconds behind): one small query on the primary, then one on the replica."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        if connection.vendor != "postgresql":
            return True, 0.0  # a stand-in replica (tests): nothing to measure
        # The primary first: a replica that has replayed up to this position is caught up.
        asked_at = time.monotonic()
        position = _primary_position()
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_STATUS_SQL)
            in_recovery, replayed, since_last_replay = cursor.fetchone()
    except (OperationalError, InterfaceError) as exc:
        logger.info("read replica %s unreachable: %s", alias, _one_line(exc))
        return False, math.inf
    if not in_recovery:
        return True, 0.0  # promoted, or the primary itself (a test mirror)
    now = time.monotonic()
    passed = [now - at for at, lsn in list(_primary_positions) if replayed is not None and lsn <= replayed]
    if position is not None:
        _primary_positions.append((asked_at, position))
    caught_up = position is not None and replayed is not None and replayed >= position
    return True, lag_seconds(caught_up, since_last_replay, min(passed) if passed else None)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _connects(alias: str) -> bool:
    """Open the replica's connection now, so that a replica that went down since its last check costs a
    fallback to the primary instead of an error page."""
    connection = connections[alias]
    try:
        # A kept connection (CONN_MAX_AGE) to a replica that restarted is closed here and opened again, instead
        # of failing on the first query.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except (OperationalError, InterfaceError) as exc:
        logger.warning(
            "read replica %s refused the connection, reading the primary: %s", alias, _one_line(exc)
        )
        remember_health(alias, up=False)
        return False
    return True


def choose_replica(routing: Routing) -> str | None:
    if routing.chosen is None:
        candidates = [alias for alias in replica_aliases() if replica_health(alias).usable]
        random.shuffle(candidates)  # spread the load over the replicas that are fit
        routing.chosen = next((alias for alias in candidates if _connects(alias)), "")
    return routing.chosen or None


# ---- the router ---------------------------------------------------------------------------------------------


def _primary_for_replica_instance(hints) -> str | None:
    # Django follows a relation on the database its instance came from: after a switch to the primary, an
    # object read earlier from a replica must not drag its relations back there.
    instance = hints.get("instance")
    if instance is not None and instance._state.db in replica_aliases():
        return PRIMARY
    return None


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        routing = _routing.get()
        if routing is None or not routing.reads_replica or _primary_only(model):
            return _primary_for_replica_instance(hints)
        return choose_replica(routing) or _primary_for_replica_instance(hints)

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None and not _primary_only(model):
            routing.wrote = True
        return _primary_for_replica_instance(hints)

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's data: an object read from one may be related to one from another.
        same_data = {PRIMARY, *replica_aliases()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replica_aliases():
            return False  # a replica is read-only: it receives the schema from the primary
        return None


# ---- the middleware -----------------------------------------------------------------------------------------


def sticky_until(request) -> float:
    try:
        return float(request.COOKIES.get(STICKY_COOKIE, "0"))
    except ValueError:
        return 0.0


def is_read_only_work(request) -> bool:
    """Declared read-only: a view named in DATABASE_REPLICA_VIEWS, or an export download (`?export=`)."""
    match = getattr(request, "resolver_match", None)
    if request.method not in ("GET", "HEAD") or match is None:
        return False
    if match.view_name in getattr(settings, "DATABASE_REPLICA_VIEWS", ()):
        return True
    return bool(getattr(settings, "DATABASE_REPLICA_EXPORTS", True) and request.GET.get("export"))


class ReplicaRoutingMiddleware:
    """Applies the rules above to each request; a no-op without replicas."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        routing = Routing(pinned=request.method not in SAFE_METHODS or sticky_until(request) > time.time())
        with routing_scope(routing):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS or routing.wrote:
            seconds = int(getattr(settings, "DATABASE_REPLICA_STICKY_SECONDS", 5))
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # resolver_match exists from here on: the URL name decides.
        routing = _routing.get()
        if routing is not None:
            routing.replica_allowed = is_read_only_work(request)
