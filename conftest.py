"""Shared fixtures: the fixed cast of users (anjian.core.testing), API clients, and the real browser."""

import os
import shutil
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_collection_modifyitems(config, items):
    """Tests marked `long` (minutes each: the demo district built in a database of its own) run first, so that with
    parallel workers (`make test`) the other worker shares the rest of the suite meanwhile instead of one worker
    running them alone at the end. Only tests that do not use the test database move: pytest-django runs the
    tests that empty the database (transactional ones) after those that rely on its migrated data, and each
    worker must keep that order (`--dist load`, which hands tests out in order). The first worker takes the
    three long tests (`--maxschedchunk 3`), so the demo truth module builds its demo district once."""
    items.sort(
        key=lambda item: (
            not (item.get_closest_marker("long") and not DATABASE_FIXTURES.intersection(item.fixturenames))
        )
    )


@pytest.fixture(autouse=True)
def _plain_static_storage(request, tmp_path):
    # Tests render templates without running collectstatic, and keep uploads out of the project tree.
    # Pure-rule tests may run without the Django plugin (-p no:django): then there is nothing to set.
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the cast once per test database; each test reads it back inside its rolled-back transaction."""
    from anjian.core.testing import build_cast

    with django_db_blocker.unblock():
        build_cast()


@pytest.fixture
def cast(db):
    """The fixed cast. Read back from the database (built once per session); rebuilt inside this test's
    transaction if a transactional test emptied the database before it."""
    from anjian.core.testing import build_cast, load_cast

    return load_cast() or build_cast()


@pytest.fixture
def live_cast(transactional_db):
    """The cast, committed, for tests where a live server (another thread) must see it."""
    from anjian.core.testing import build_cast, load_cast

    return load_cast() or build_cast()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a Django test client signed in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def make(user):
        c = APIClient()
        c.force_authenticate(user)
        return c

    return make


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skipped when absent, unless ANJIAN_REQUIRE_BROWSER=1 (CI)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("ANJIAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


def finish_requests(live_server, timeout: float = 15) -> None:
    """Wait for the requests a closed page left running in the live server: the test database is emptied next
    (TRUNCATE), and on PostgreSQL a request still reading it deadlocks with that (seen with htmx requests of a
    page closed while the machine was busy). Django's live server handles each request in a thread its
    ThreadingMixIn keeps track of (`_threads`, the list server_close joins)."""
    httpd = getattr(getattr(live_server, "thread", None), "httpd", None)
    deadline = time.monotonic() + timeout
    for thread in list(getattr(httpd, "_threads", None) or ()):
        thread.join(max(0, deadline - time.monotonic()))


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
    finish_requests(live_server)


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
    finish_requests(live_server)


@pytest.fixture
def login(live_server):
    """login(page, user): sign in through the real login form."""
    from anjian.core.testing import PASSWORD

    def do(page, user):
        # Leave the current page first so no request still in flight can put back the previous
        # user's session cookie (sessions are saved on every request), then start signed out.
        page.goto("about:blank")
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/**")

    return do
