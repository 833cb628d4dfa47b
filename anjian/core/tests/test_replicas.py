"""Read replicas (core.db_router): which work reads a replica, and the fallbacks to the primary.

The router's rules run everywhere (SQLite too) against stand-in replica aliases: a SQLite file that is never
asked for business data, and a PostgreSQL address where nothing listens. The test_live_* tests run against a
real streaming replica of the primary (ANJIAN_TEST_REPLICA_URL, started by .ci/run on port 5433): it holds the
primary's committed data, never a test's uncommitted rows, which is what lets them tell the two apart.
"""

import contextlib
import math
import os
import socket
import subprocess
import sys
import time
import types

import dj_database_url
import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db import router as django_router
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from anjian.core import db_router
from anjian.core.db_router import STICKY_COOKIE, ReplicaRoutingMiddleware, read_replica
from anjian.core.models import Territory, User

PRIMARY = DEFAULT_DB_ALIAS
FAKE = "replica_fake"  # a stand-in replica: a SQLite file, only ever connected to
DOWN = "replica_down"  # PostgreSQL on a port where nothing listens
LIVE = "replica_live"  # the real streaming replica

pytestmark = pytest.mark.django_db


def connect_when_needed(connection):
    """BaseDatabaseWrapper.ensure_connection without the test guards. Django's TestCase (and pytest-django)
    refuse connections to aliases a test did not declare; the replica aliases here are added per test, outside
    the test's transaction, after those guards were set."""
    if connection.connection is None:
        with connection.wrap_database_errors:
            connection.connect()


@contextlib.contextmanager
def extra_alias(alias: str, config: dict):
    """A database alias that exists only inside the block, outside the test's transaction (a replica is
    read-only and only ever sees committed data)."""
    full = connections.configure_settings({PRIMARY: dict(connections.settings[PRIMARY]), alias: config})[
        alias
    ]
    connections.settings[alias] = full
    connection = connections[alias]
    connection.ensure_connection = types.MethodType(connect_when_needed, connection)
    try:
        yield alias
    finally:
        connection.close()
        del connections[alias]
        del connections.settings[alias]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unreachable(config: dict) -> dict:
    """The same server, stopped: nothing listens on its port any more."""
    return {**config, "PORT": str(closed_port()), "OPTIONS": {"connect_timeout": 2}}


@pytest.fixture(autouse=True)
def stand_in_replicas(db, tmp_path):
    down = unreachable(
        {"ENGINE": "django.db.backends.postgresql", "NAME": "anjian", "USER": "postgres", "HOST": "127.0.0.1"}
    )
    fake = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "replica.sqlite3")}
    with extra_alias(FAKE, fake), extra_alias(DOWN, down):
        yield


@pytest.fixture
def replicas(settings):
    """One healthy stand-in replica; lag is not measured again during a test unless the test asks."""
    settings.DATABASE_REPLICAS = [FAKE]
    settings.DATABASE_REPLICA_MAX_LAG = 2.0
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60.0
    settings.DATABASE_REPLICA_STICKY_SECONDS = 5
    db_router.forget_health()
    db_router.remember_health(FAKE, up=True, lag=0.0)
    yield settings
    db_router.forget_health()


def through_middleware(request, view=lambda: None):
    """Pass a request through the routing middleware, as Django's handler would: resolve the URL, call
    process_view, run the view. Returns (response, what `view` returned)."""
    request.resolver_match = resolve(request.path_info)
    outcome = {}

    def handler(req):
        middleware.process_view(req, None, (), {})
        outcome["value"] = view()
        return HttpResponse()

    middleware = ReplicaRoutingMiddleware(handler)
    return middleware(request), outcome["value"]


def read_db(model=Territory, **hints) -> str:
    """The alias a read of `model` would use right now (Django's router, with ours installed)."""
    return django_router.db_for_read(model, **hints)


# ---- lag arithmetic --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caught_up", "since_last_replay", "since_passed_position", "lag"),
    [
        (True, 3600.0, None, 0.0),  # caught up: an idle primary is not lag, however old the last commit
        (False, 3.5, None, 3.5),  # behind: at most as old as the last replayed transaction
        (False, 30.0, 0.4, 0.4),  # a long transaction without commits: it passed a position 0.4 s old
        (False, 0.2, 5.0, 0.2),  # the tighter bound wins
        (False, None, None, math.inf),  # behind, nothing replayed, nothing passed
    ],
)
def test_lag_seconds(caught_up, since_last_replay, since_passed_position, lag):
    assert db_router.lag_seconds(caught_up, since_last_replay, since_passed_position) == lag


# ---- which work reads a replica ----------------------------------------------------------------------------


def test_without_replicas_nothing_changes(settings, rf):
    settings.DATABASE_REPLICAS = []
    response, db = through_middleware(rf.get("/dashboard/"), read_db)
    assert db == PRIMARY
    response, _ = through_middleware(rf.post("/dashboard/"))
    assert STICKY_COOKIE not in response.cookies


def test_a_declared_dashboard_reads_the_replica_and_identity_stays_on_the_primary(replicas, rf):
    _, dbs = through_middleware(rf.get("/dashboard/"), lambda: (read_db(), read_db(User), read_db(Session)))
    assert dbs == (FAKE, PRIMARY, PRIMARY)
    _, db = through_middleware(rf.get("/api/dashboard/summary/"), read_db)
    assert db == FAKE


def test_pages_not_declared_read_the_primary(replicas, rf):
    _, db = through_middleware(rf.get("/hazards/"), read_db)
    assert db == PRIMARY


def test_exports_read_the_replica(replicas, rf):
    _, db = through_middleware(rf.get("/hazards/", {"export": "xlsx"}), read_db)
    assert db == FAKE
    replicas.DATABASE_REPLICA_EXPORTS = False
    _, db = through_middleware(rf.get("/hazards/", {"export": "xlsx"}), read_db)
    assert db == PRIMARY


def test_a_post_reads_the_primary_and_pins_its_author_for_a_few_seconds(replicas, rf):
    response, db = through_middleware(rf.post("/dashboard/"), read_db)
    assert db == PRIMARY
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    assert time.time() + 4 < float(cookie.value) < time.time() + 5.01


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [(lambda: time.time() + 3, PRIMARY), (lambda: time.time() - 1, FAKE), (lambda: "not-a-time", FAKE)],
)
def test_a_pinned_user_reads_the_primary_until_the_cookie_runs_out(replicas, rf, cookie, expected):
    request = rf.get("/dashboard/")
    request.COOKIES[STICKY_COOKIE] = str(cookie())
    _, db = through_middleware(request, read_db)
    assert db == expected


def test_a_write_switches_the_rest_of_the_request_to_the_primary_and_pins_the_user(replicas, rf):
    def view():
        before = read_db()
        django_router.db_for_write(Territory)
        return before, read_db()

    response, (before, after) = through_middleware(rf.get("/dashboard/"), view)
    assert (before, after) == (FAKE, PRIMARY)
    assert STICKY_COOKIE in response.cookies


def test_session_and_token_bookkeeping_writes_neither_switch_nor_pin(replicas, rf):
    def view():
        django_router.db_for_write(Session)
        django_router.db_for_write(User)
        return read_db()

    response, db = through_middleware(rf.get("/dashboard/"), view)
    assert db == FAKE
    assert STICKY_COOKIE not in response.cookies


def test_a_relation_of_an_object_read_from_a_replica_follows_the_switch_to_the_primary(replicas, rf):
    from_replica = Territory(name="t")
    from_replica._state.db = FAKE
    assert read_db(Territory, instance=from_replica) == PRIMARY  # no routing state: the primary


# ---- fallbacks -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("up", "lag", "expected"), [(False, 0, PRIMARY), (True, 10.0, PRIMARY), (True, 1.5, FAKE)]
)
def test_a_replica_down_or_behind_the_threshold_is_skipped(replicas, rf, up, lag, expected):
    db_router.remember_health(FAKE, up=up, lag=lag)
    _, db = through_middleware(rf.get("/dashboard/"), read_db)
    assert db == expected


def test_a_replica_that_refuses_the_connection_falls_back_to_the_primary(replicas, rf):
    replicas.DATABASE_REPLICAS = [DOWN]
    db_router.remember_health(DOWN, up=True)  # was fine at its last check, stopped since
    _, db = through_middleware(rf.get("/dashboard/"), read_db)
    assert db == PRIMARY
    assert db_router.replica_health(DOWN).up is False  # not tried again until the next check


def test_with_one_replica_down_the_other_one_serves(replicas, rf):
    replicas.DATABASE_REPLICAS = [DOWN, FAKE]
    db_router.remember_health(DOWN, up=True)
    for _ in range(5):  # whatever order the replicas are tried in
        _, db = through_middleware(rf.get("/dashboard/"), read_db)
        assert db == FAKE


def test_measuring_an_unreachable_replica_reports_it_down():
    assert db_router.measure_lag(DOWN) == (False, math.inf)


def test_lag_is_measured_once_per_interval_not_per_request(replicas, rf, monkeypatch):
    calls = []
    monkeypatch.setattr(db_router, "measure_lag", lambda alias: calls.append(alias) or (True, 0.0))
    db_router.forget_health()
    for _ in range(3):
        through_middleware(rf.get("/dashboard/"), read_db)
    assert calls == [FAKE]
    replicas.DATABASE_REPLICA_CHECK_SECONDS = 0
    through_middleware(rf.get("/dashboard/"), read_db)
    assert calls == [FAKE, FAKE]


def test_a_replica_found_down_is_tried_again_only_after_the_retry_interval(replicas, monkeypatch):
    calls = []
    monkeypatch.setattr(db_router, "measure_lag", lambda alias: calls.append(alias) or (True, 0.0))
    replicas.DATABASE_REPLICA_CHECK_SECONDS = 0
    replicas.DATABASE_REPLICA_RETRY_SECONDS = 60
    db_router.remember_health(FAKE, up=False)
    assert db_router.replica_health(FAKE).up is False and calls == []
    replicas.DATABASE_REPLICA_RETRY_SECONDS = 0
    assert db_router.replica_health(FAKE).up is True and calls == [FAKE]


def test_the_dashboard_page_renders_from_the_primary_when_the_replica_is_unreachable(
    settings, cast, client_for
):
    settings.DATABASE_REPLICAS = [DOWN]
    db_router.forget_health()
    try:
        response = client_for(cast.leader).get("/dashboard/")
        assert response.status_code == 200
        assert "安全生产驾驶舱" in response.content.decode()
        assert db_router.replica_health(DOWN).up is False
    finally:
        db_router.forget_health()


# ---- background work and migrations ------------------------------------------------------------------------


def test_read_replica_block_reads_the_replica_until_it_writes(replicas):
    assert read_db() == PRIMARY
    with read_replica():
        assert read_db() == FAKE
        assert read_db(User) == PRIMARY
        django_router.db_for_write(Territory)
        assert read_db() == PRIMARY
    with read_replica(primary_after_write=False):
        django_router.db_for_write(Territory)  # the job's own progress row, never read back
        assert read_db() == FAKE
    assert read_db() == PRIMARY


def test_read_replica_inside_a_request_that_wrote_reads_the_primary(replicas, rf):
    def view():
        django_router.db_for_write(Territory)
        with read_replica():
            return read_db()

    _, db = through_middleware(rf.get("/hazards/"), view)
    assert db == PRIMARY


def test_migrations_never_run_on_a_replica(replicas):
    assert django_router.allow_migrate(FAKE, "core", model_name="territory") is False
    assert django_router.allow_migrate(PRIMARY, "core", model_name="territory") is True


def test_replica_urls_become_aliases_that_tests_mirror_to_the_primary():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "anjian.settings",
        "DATABASE_URL": "postgres://app@db-primary:5432/anjian",
        "DATABASE_REPLICA_URLS": "postgres://app@db-r1:5432/anjian, postgres://app@db-r2:6432/anjian",
        "DATABASE_REPLICA_MAX_LAG": "3",
    }
    script = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps([s.DATABASE_REPLICAS, s.DATABASE_ROUTERS, s.DATABASE_REPLICA_STICKY_SECONDS,"
        "[[s.DATABASES[a]['HOST'], s.DATABASES[a]['PORT'], s.DATABASES[a]['TEST'],"
        " s.DATABASES[a]['OPTIONS']['connect_timeout']] for a in s.DATABASE_REPLICAS]]))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    aliases, routers, sticky, details = __import__("json").loads(output.stdout)
    assert aliases == ["replica1", "replica2"]
    assert routers == ["anjian.core.db_router.ReplicaRouter"]
    assert sticky == 6  # MAX_LAG 3 + CHECK 2 + 1
    assert details == [
        ["db-r1", 5432, {"MIRROR": "default"}, 2],
        ["db-r2", 6432, {"MIRROR": "default"}, 2],
    ]


# ---- against a real streaming replica --------------------------------------------------------------------------


def primary_lsn() -> str:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def wait_for_replay(alias: str, timeout: float = 30.0) -> None:
    """Until the replica has replayed what the primary has written so far."""
    target = primary_lsn()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if cursor.fetchone()[0]:
                    return
        except OperationalError:  # the test database not replayed yet
            connections[alias].close()
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not replay up to {target} in {timeout:.0f} s")
        time.sleep(0.1)


def replica_sql(sql: str, params=()):
    with connections[LIVE].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def live_replica_config() -> dict:
    config = dj_database_url.parse(os.environ["ANJIAN_TEST_REPLICA_URL"])
    config["NAME"] = connections[PRIMARY].settings_dict["NAME"]  # the replica's copy of the test database
    config["OPTIONS"] = {"connect_timeout": 5}
    return config


@pytest.fixture(scope="module")
def live_replica_ready(django_db_setup, django_db_blocker):
    """The real replica has the cast. Skipped when not configured, unless ANJIAN_REQUIRE_SERVICES=1 (CI)."""
    if connections[PRIMARY].vendor != "postgresql":
        pytest.skip("a streaming replica needs the PostgreSQL run")
    if not os.environ.get("ANJIAN_TEST_REPLICA_URL"):
        message = "ANJIAN_TEST_REPLICA_URL is not set (a streaming replica of the primary, see .ci/run)"
        if os.environ.get("ANJIAN_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with django_db_blocker.unblock(), extra_alias(LIVE, live_replica_config()):
        from anjian.core.testing import build_cast, load_cast

        # Committed on the primary, so the replica has it (a transactional test may have emptied the tables).
        load_cast() or build_cast()
        replica_sql("SELECT pg_wal_replay_resume()")  # in case an interrupted run left replay paused
        wait_for_replay(LIVE)
        assert replica_sql("SELECT pg_is_in_recovery()") == (True,)


@pytest.fixture
def on_live_replica(live_replica_ready, db, settings):
    settings.DATABASE_REPLICAS = [LIVE]
    # Other work on the same machine may hold the replica a second or two behind; only the lag test cares.
    settings.DATABASE_REPLICA_MAX_LAG = 30.0
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60.0
    db_router.forget_health()
    with extra_alias(LIVE, live_replica_config()):
        yield settings
    db_router.forget_health()


def tables_read(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_live_dashboard_reads_come_from_the_replica(on_live_replica, cast, client_for, api_for):
    client = client_for(cast.leader)
    with (
        CaptureQueriesContext(connections[LIVE]) as on_replica,
        CaptureQueriesContext(connections[PRIMARY]) as on_primary,
    ):
        response = client.get("/dashboard/")
    assert response.status_code == 200
    assert '"core_territory"' in tables_read(on_replica)
    assert '"core_territory"' not in tables_read(on_primary)  # the primary only served the session and user
    assert replica_sql("SELECT pg_is_in_recovery(), current_setting('port')") == (
        True,
        str(connections[LIVE].settings_dict["PORT"]),
    )
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        response = api_for(cast.leader).get("/api/dashboard/summary/")
    assert response.status_code == 200 and len(on_replica) > 0


def test_live_lag_is_measured_once_not_per_request(on_live_replica, cast, client_for):
    up, lag = db_router.measure_lag(LIVE)
    assert up and lag < 30.0
    client = client_for(cast.leader)
    checks = []
    for _ in range(2):
        with CaptureQueriesContext(connections[LIVE]) as on_replica:
            assert client.get("/dashboard/").status_code == 200
        checks.append(sum("pg_is_in_recovery" in q["sql"] for q in on_replica))
    assert checks == [1, 0]


def test_live_a_write_goes_to_the_primary_and_its_author_then_reads_the_primary(
    on_live_replica, cast, client_for
):
    client = client_for(cast.office)
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        response = client.post("/notifications/read-all/")
    assert response.status_code == 302 and len(on_replica) == 0
    assert STICKY_COOKIE in response.cookies
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        assert client.get("/dashboard/").status_code == 200
    assert len(on_replica) == 0  # pinned to the primary for a few seconds
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        assert client_for(cast.leader).get("/dashboard/").status_code == 200
    assert len(on_replica) > 0  # another user is not pinned


def test_live_reads_after_a_write_see_it(on_live_replica, cast):
    # The row is written in this test's transaction, never committed: the replica cannot have it. Reading it
    # back in the same unit of work finds it, so the read went to the primary.
    with read_replica():
        territory = Territory.objects.create(name="读己之写", kind=cast.town_a.kind, parent=cast.district)
        assert Territory.objects.filter(pk=territory.pk).exists()
    with read_replica(primary_after_write=False):
        Territory.objects.filter(pk=territory.pk).update(name="读己之写2")
        assert not Territory.objects.filter(pk=territory.pk).exists()  # the replica: the rule is needed


def test_live_unreachable_replica_falls_back_without_an_error_page(on_live_replica, cast, client_for):
    stopped = "replica_stopped"
    with extra_alias(stopped, unreachable(live_replica_config())):
        on_live_replica.DATABASE_REPLICAS = [stopped]
        assert db_router.measure_lag(stopped) == (False, math.inf)
        db_router.remember_health(stopped, up=True)  # was up at its last check, stopped since
        with CaptureQueriesContext(connections[PRIMARY]) as on_primary:
            response = client_for(cast.leader).get("/dashboard/")
        assert response.status_code == 200 and "安全生产驾驶舱" in response.content.decode()
        assert '"core_territory"' in tables_read(on_primary)
        assert db_router.replica_health(stopped).up is False
        on_live_replica.DATABASE_REPLICAS = [stopped, LIVE]
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        assert client_for(cast.leader).get("/dashboard/").status_code == 200
    assert len(on_replica) > 0  # the replica that is up takes the reads


def commit_on_primary() -> None:
    """A committed transaction on the primary, outside the test's own (uncommitted) one."""
    import psycopg

    params = connections[PRIMARY].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute("SELECT pg_logical_emit_message(true, 'anjian-test', 'replica lag')")


def test_live_lagging_replica_is_skipped_until_it_catches_up(on_live_replica, cast, client_for):
    on_live_replica.DATABASE_REPLICA_CHECK_SECONDS = 0  # measured at every request here
    on_live_replica.DATABASE_REPLICA_MAX_LAG = 0.5
    client = client_for(cast.leader)
    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        commit_on_primary()
        deadline = time.monotonic() + 10
        while db_router.measure_lag(LIVE)[1] <= 0.5:
            assert time.monotonic() < deadline, "replay was paused but the replica never fell behind"
            time.sleep(0.2)
        with CaptureQueriesContext(connections[LIVE]) as on_replica:
            response = client.get("/dashboard/")
        assert response.status_code == 200
        assert '"core_territory"' not in tables_read(on_replica)  # only the lag check ran there
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")
    wait_for_replay(LIVE)
    on_live_replica.DATABASE_REPLICA_MAX_LAG = 5.0
    deadline = time.monotonic() + 20
    while db_router.measure_lag(LIVE)[1] > 5.0:
        assert time.monotonic() < deadline, "the replica resumed but never caught up"
        time.sleep(0.2)
    with CaptureQueriesContext(connections[LIVE]) as on_replica:
        assert client.get("/dashboard/").status_code == 200
    assert '"core_territory"' in tables_read(on_replica)
