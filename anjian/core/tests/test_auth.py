"""Sign-in: password policy, lockout after repeated failures, idle timeout, 三员分立 on accounts."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from anjian.core.passwords import character_classes_used
from anjian.core.roles import Role
from anjian.core.testing import PASSWORD


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Anjian@2026", True),
        ("anjian2026x", False),
        ("ANJIAN-2026", True),
        ("Ab1!", False),
        ("abcdefghijk", False),
    ],
)
def test_password_policy(db, password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_character_classes():
    assert character_classes_used("aA1!") == 4
    assert character_classes_used("aaaa") == 1


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_lockout_after_repeated_failures(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "office", "wrong-password")
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()
    response = login(client, "office", "wrong-password")
    assert response.status_code == 429
    assert "账号已被锁定" in response.content.decode()
    # even the right password is refused while locked
    assert login(client, "office", PASSWORD).status_code == 429
    # another account is not affected
    assert login(client, "leader", PASSWORD).status_code == 302


def test_security_admin_unlocks(cast, client, client_for):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "office", "wrong-password")
    assert login(client, "office", PASSWORD).status_code == 429
    assert client_for(cast.sys_admin).post(f"/core/users/{cast.office.pk}/unlock/").status_code == 403
    assert client_for(cast.sec_admin).post(f"/core/users/{cast.office.pk}/unlock/").status_code == 302
    assert login(client, "office", PASSWORD).status_code == 302


def test_idle_timeout_settings():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert "anjian.core.middleware.SessionIdleTimeoutMiddleware" in settings.MIDDLEWARE


def test_idle_timeout_restarts_with_use_but_the_session_is_not_written_on_every_request(
    cast, client, monkeypatch
):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from anjian.core import middleware

    clock = [1_000_000.0]
    monkeypatch.setattr(middleware, "now", lambda: clock[0])
    client.force_login(cast.office)
    assert client.get("/hazards/").status_code == 200
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date

    clock[0] += 30  # used again within the minute: no write
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/hazards/").status_code == 200
    assert not [q for q in captured.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == first_expiry

    clock[0] += 31  # past the minute: written, the 30 minutes start again
    assert client.get("/hazards/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date > first_expiry

    # Idle for 30 minutes: the stored session has expired and the next request must sign in again.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/hazards/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_pages_require_login(db, client):
    response = client.get("/core/territories/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/healthz").status_code == 200


def test_system_admin_creates_accounts_security_admin_grants_roles(cast, client_for):
    data = {
        "username": "newstaff",
        "name": "新同事",
        "phone": "",
        "organisation": cast.town_a_org.pk,
        "territory": cast.town_a.pk,
        "enterprise": "",
        "title": "",
        "certificate_no": "",
        "is_active": "on",
        "password1": "Strong-Pass-2026",
        "password2": "Strong-Pass-2026",
    }
    assert client_for(cast.sec_admin).post("/core/users/add/", data).status_code == 403
    response = client_for(cast.sys_admin).post("/core/users/add/", data)
    assert response.status_code == 302
    from anjian.core.models import User

    user = User.objects.get(username="newstaff")
    assert user.role == "" and user.check_password("Strong-Pass-2026")
    role_url = f"/core/users/{user.pk}/role/"
    assert client_for(cast.sys_admin).post(role_url, {"role": Role.TOWN}).status_code == 403
    assert client_for(cast.sec_admin).post(role_url, {"role": Role.TOWN}).status_code == 302
    user.refresh_from_db()
    assert user.role == Role.TOWN


def test_security_admin_cannot_change_own_role_nor_grant_invalid_combinations(cast, client_for):
    response = client_for(cast.sec_admin).post(
        f"/core/users/{cast.sec_admin.pk}/role/", {"role": Role.OFFICE}
    )
    assert response.status_code == 400 and "不能修改自己的角色" in response.content.decode()
    # an enterprise role needs an enterprise
    response = client_for(cast.sec_admin).post(
        f"/core/users/{cast.office.pk}/role/", {"role": Role.ENTERPRISE}
    )
    assert response.status_code == 400 and "企业用户必须关联所属企业" in response.content.decode()
    cast.office.refresh_from_db()
    assert cast.office.role == Role.OFFICE


def test_weak_initial_password_is_refused_with_a_chinese_reason(cast, client_for):
    data = {
        "username": "weak",
        "name": "弱密码",
        "organisation": cast.office_org.pk,
        "territory": cast.district.pk,
        "is_active": "on",
        "password1": "12345678",
        "password2": "12345678",
    }
    response = client_for(cast.sys_admin).post("/core/users/add/", data)
    assert response.status_code == 400
    assert "密码" in response.content.decode()
