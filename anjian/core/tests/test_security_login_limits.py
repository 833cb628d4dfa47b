"""Sign-in limits (core.auth_limits): guessing is limited per address and username, per address across usernames
(password spraying) and per username only across many addresses — so a stranger cannot lock an official out.
The login page and the token endpoint go through the same checks."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from anjian.core.testing import PASSWORD

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def login(username, password, ip, client=None):
    return (client or Client()).post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def token(username, password, ip):
    return Client().post("/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def small_limits(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    settings.LOGIN_ACCOUNT_IP_LIMIT = 4


def test_defaults():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.LOGIN_IP_FAILURE_LIMIT == 20 and settings.LOGIN_IP_WINDOW_MINUTES == 10
    assert settings.LOGIN_ACCOUNT_IP_LIMIT == 10
    assert settings.AXES_LOCKOUT_PARAMETERS == [["ip_address", "username"]]


def test_a_stranger_guessing_does_not_lock_the_owner_out(cast):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login("office", "wrong-password", ATTACKER)
    locked = login("office", PASSWORD, ATTACKER)
    assert locked.status_code == 429
    assert "账号已被锁定" in locked.content.decode() and "其他电脑上登录不受影响" in locked.content.decode()
    # the owner, at their own desk, signs in
    assert login("office", PASSWORD, OWNER).status_code == 302


def test_password_spraying_is_limited_per_address(cast, small_limits):
    names = ["office", "leader", "inspector", "town_a_user", "nobody1", "nobody2", "nobody3"]
    for name in names:  # one guess per account: no account reaches its own limit
        assert login(name, "Spring-2026!", ATTACKER).status_code == 200
    assert login("nobody4", "Spring-2026!", ATTACKER).status_code == 429  # the 8th failure from the address
    refused = login("town_b_user", PASSWORD, ATTACKER)
    assert refused.status_code == 429 and "登录尝试过于频繁" in refused.content.decode()
    # the same people from their own addresses are not affected
    assert login("office", PASSWORD, OWNER).status_code == 302


def test_address_limit_counts_only_the_recent_window(cast, small_limits):
    for n in range(8):
        login(f"nobody{n}", "Spring-2026!", ATTACKER)
    assert login("leader", PASSWORD, ATTACKER).status_code == 429
    earlier = timezone.now() - timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES + 1)
    AccessAttempt.objects.filter(ip_address=ATTACKER).update(attempt_time=earlier)
    assert login("leader", PASSWORD, ATTACKER).status_code == 302


def test_username_is_locked_everywhere_only_after_many_addresses(cast, small_limits):
    for n in range(settings.LOGIN_ACCOUNT_IP_LIMIT - 1):
        login("office", "wrong-password", f"192.0.2.{n + 1}")
    assert login("office", PASSWORD, OWNER).status_code == 302  # three addresses: not yet
    login("office", "wrong-password", "192.0.2.100")
    login("office", "wrong-password", "192.0.2.101")
    refused = login("office", PASSWORD, OWNER)
    assert refused.status_code == 429 and "多个网络地址" in refused.content.decode()
    # the security administrator sees the lock and clears it
    from anjian.core.auth_limits import locked_somewhere

    assert locked_somewhere("office")
    sec = Client()
    sec.force_login(cast.sec_admin)
    assert "解除锁定" in sec.get(f"/core/users/{cast.office.pk}/").content.decode()
    assert sec.post(f"/core/users/{cast.office.pk}/unlock/").status_code == 302
    assert login("office", PASSWORD, OWNER).status_code == 302


def test_token_endpoint_goes_through_the_same_limits(cast, small_limits):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert token("office", "wrong-password", ATTACKER).status_code == 400
    assert token("office", "wrong-password", ATTACKER).status_code == 429
    refused = token("office", PASSWORD, ATTACKER)
    assert refused.status_code == 429
    assert "账号已被锁定" in refused.json()["detail"] and "token" not in refused.json()
    assert token("office", PASSWORD, OWNER).status_code == 200
    # spraying through the API counts for the address, and the page refuses that address as well
    for n in range(3):
        token(f"nobody{n}", "Spring-2026!", ATTACKER)
    refused = token("leader", PASSWORD, ATTACKER)
    assert refused.status_code == 429 and "登录尝试过于频繁" in refused.json()["detail"]
    assert login("leader", PASSWORD, ATTACKER).status_code == 429


def test_behind_the_proxy_the_real_address_counts(cast, settings):
    """All requests reach the server from the proxy: the limits use the same client address as the audit trail."""
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_REAL_IP"
    proxy = "10.0.0.1"

    def via_proxy(password, real_ip):
        return Client().post(
            "/login/", {"username": "office", "password": password}, REMOTE_ADDR=proxy, HTTP_X_REAL_IP=real_ip
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("wrong-password", ATTACKER)
    assert via_proxy(PASSWORD, ATTACKER).status_code == 429
    assert via_proxy(PASSWORD, OWNER).status_code == 302
