"""API tokens (core.tokens): stored as digests and shown once, expire when idle and when the password changes, listed
and revoked by their owner and by the security administrator of the owner's scope."""

import hashlib
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from anjian.core import tokens
from anjian.core.models import ApiToken
from anjian.core.testing import PASSWORD


def sign_in(username="office", password=PASSWORD):
    return Client().post(
        "/api/auth/token/", {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1"
    )


def with_key(key, keyword="Token"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def me(key, keyword="Token"):
    return with_key(key, keyword).get("/api/core/me/")


def test_sign_in_gives_a_key_shown_once_and_stored_as_a_digest(cast):
    response = sign_in()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = response.json()["token"]
    stored = ApiToken.objects.get(user=cast.office)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values().get(pk=stored.pk))  # the key itself is nowhere
    assert key.startswith(stored.prefix) and len(stored.prefix) < len(key) // 3
    assert me(key).json()["username"] == "office"
    assert me(key, "Bearer").json()["username"] == "office"
    # listing shows the tokens, never a key
    listed = with_key(key).get("/api/core/tokens/").json()["results"]
    assert [t["prefix"] for t in listed] == [stored.prefix] and "token" not in listed[0]


def test_wrong_password_gives_no_key(cast):
    response = sign_in(password="wrong-password")
    assert response.status_code == 400 and "token" not in response.json()
    assert not ApiToken.objects.exists()


def test_unknown_revoked_and_idle_keys_are_refused_in_chinese(cast):
    key = sign_in().json()["token"]
    assert me("aj_not-a-key").status_code == 401
    assert "令牌" in me("aj_not-a-key").json()["detail"]
    token = ApiToken.objects.get(user=cast.office)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert me(key).status_code == 401


def test_use_moves_the_idle_expiry_on(cast):
    key = sign_in().json()["token"]
    token = ApiToken.objects.get(user=cast.office)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    assert me(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.expires_at > timezone.now() + timedelta(days=settings.API_TOKEN_IDLE_DAYS - 1)


def test_changing_the_password_revokes_the_keys(cast, client_for):
    key = sign_in().json()["token"]
    new = "Changed-Pass-2027"
    response = client_for(cast.office).post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert me(key).status_code == 401
    assert ApiToken.objects.get(user=cast.office).revoked_reason == "密码已修改"


def test_a_password_set_any_other_way_also_ends_the_keys(cast):
    key = sign_in().json()["token"]
    cast.office.set_password("Reset-By-Admin-2027")
    cast.office.save()
    assert me(key).status_code == 401


def test_deactivated_account_key_is_refused(cast):
    key = sign_in().json()["token"]
    type(cast.office).objects.filter(pk=cast.office.pk).update(is_active=False)
    assert me(key).status_code == 401


def test_owner_makes_lists_and_revokes_keys_through_the_api(cast, api_for):
    client = api_for(cast.office)
    made = client.post("/api/core/tokens/", {"name": "数据交换脚本"}, format="json")
    assert made.status_code == 201 and made["Cache-Control"] == "no-store"
    key, pk = made.json()["token"], made.json()["id"]
    assert me(key).status_code == 200
    assert "token" not in client.get(f"/api/core/tokens/{pk}/").json()
    assert client.post(f"/api/core/tokens/{pk}/revoke/").json()["status"] == "已吊销"
    assert me(key).status_code == 401
    # another person's keys are out of reach
    other = api_for(cast.leader).post("/api/core/tokens/", {"name": "x"}, format="json").json()
    assert client.post(f"/api/core/tokens/{other['id']}/revoke/").status_code == 404
    assert me(other["token"]).status_code == 200


def test_my_tokens_page_shows_the_key_once(cast, client_for):
    client = client_for(cast.office)
    assert client.get("/core/tokens/").status_code == 200
    response = client.post("/core/tokens/", {"name": "数据交换脚本"})
    page = response.content.decode()
    token = ApiToken.objects.get(user=cast.office)
    key = page.split('data-testid="new-token"')[1].split("<code")[1].split(">")[1].split("<")[0]
    assert hashlib.sha256(key.encode()).hexdigest() == token.digest
    assert response["Cache-Control"] == "no-store"
    again = client.get("/core/tokens/").content.decode()
    assert key not in again and token.prefix in again
    assert client.post("/core/tokens/", {"name": ""}).status_code == 400
    assert client.post(f"/core/tokens/{token.pk}/revoke/").status_code == 302
    assert me(key).status_code == 401
    # nobody revokes another person's key through the owner's page
    other, _ = tokens.issue(cast.leader, "x")
    assert client.post(f"/core/tokens/{other.pk}/revoke/").status_code == 404


def test_security_admin_revokes_keys_of_accounts_in_scope(cast, client_for, api_for):
    token, key = tokens.issue(cast.office, "脚本")
    page = client_for(cast.sec_admin).get(f"/core/users/{cast.office.pk}/tokens/")
    assert (
        page.status_code == 200 and token.prefix in page.content.decode() and key not in page.content.decode()
    )
    response = client_for(cast.sec_admin).post(f"/core/users/{cast.office.pk}/tokens/", {"token": token.pk})
    assert response.status_code == 302
    assert me(key).status_code == 401
    assert "安全管理员" in ApiToken.objects.get(pk=token.pk).revoked_reason
    # through the API as well, and all at once
    second, second_key = tokens.issue(cast.office, "脚本2")
    listed = api_for(cast.sec_admin).get("/api/core/tokens/", {"user": cast.office.pk}).json()["results"]
    assert {t["id"] for t in listed} == {token.pk, second.pk}
    assert api_for(cast.sec_admin).post(f"/api/core/tokens/{second.pk}/revoke/").status_code == 200
    assert me(second_key).status_code == 401


@pytest.mark.parametrize("who", ["sys_admin", "audit_admin", "office", "leader"])
def test_others_do_not_revoke_other_peoples_keys(cast, client_for, api_for, who):
    token, key = tokens.issue(cast.inspector, "脚本")
    user = getattr(cast, who)
    assert client_for(user).get(f"/core/users/{cast.inspector.pk}/tokens/").status_code == 403
    assert client_for(user).post(f"/core/users/{cast.inspector.pk}/tokens/").status_code == 403
    assert api_for(user).post(f"/api/core/tokens/{token.pk}/revoke/").status_code == 404
    assert me(key).status_code == 200


def test_security_admin_of_another_district_does_not_reach(cast, client_for, api_for):
    token, _ = tokens.issue(cast.outsider_office, "脚本")
    assert client_for(cast.sec_admin).get(f"/core/users/{cast.outsider_office.pk}/tokens/").status_code == 404
    assert api_for(cast.sec_admin).post(f"/api/core/tokens/{token.pk}/revoke/").status_code == 404


def test_the_plain_text_tokens_are_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert (
        "anjian.core.api.authentication.ApiTokenAuthentication"
        in (settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"])
    )


def test_earlier_plain_text_keys_are_moved_to_digests(cast):
    from django.apps import apps

    migration = import_module("anjian.core.migrations.0007_move_plaintext_tokens")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp with time zone, user_id bigint)'
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, timezone.now(), cast.office.pk]
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.move_tokens(apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
    assert me(old_key).json()["username"] == "office"  # the existing client keeps working
