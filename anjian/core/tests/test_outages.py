"""What users see while a service is down: the database restarting, the cache (Redis) stopped.
Found by bench/faults.py under load; each must degrade cleanly, in Chinese, and recover by itself."""

from django.conf import settings
from django.test import RequestFactory


def test_kept_database_connections_are_checked_before_reuse():
    # Without this, the first request of each worker after a PostgreSQL restart fails on a closed connection.
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_the_500_page_renders_without_the_database_or_the_session():
    from django.db import OperationalError
    from django.utils.functional import SimpleLazyObject

    from anjian.core.views.pages import error_500

    def user_from_a_database_that_is_gone():
        raise OperationalError("the connection is closed")

    request = RequestFactory().get("/hazards/")
    request.user = SimpleLazyObject(user_from_a_database_that_is_gone)  # as the auth middleware leaves it
    response = error_500(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统错误" in body and "Traceback" not in body


def test_the_todo_badge_counts_directly_when_the_cache_is_down(cast, monkeypatch):
    from django.core.cache import cache

    from anjian.notifications.services import todo_count

    expected = todo_count(cast.office)

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    assert todo_count(cast.office) == expected
