"""三员分立 cannot be undone from inside: no administrator changes, grants or revokes an administrator role or
switches an administrator account on or off; the server-side procedure (`manage.py admin_account`) does, with an
audit action and an alert to the auditors."""

import pytest
from django.core.management import CommandError, call_command

from anjian.core.accounts import ADMIN_ACCOUNT_CHANGED, REFUSAL_ROLE
from anjian.core.models import AuditEntry, User
from anjian.core.roles import Role


def role_url(user):
    return f"/core/users/{user.pk}/role/"


def edit_data(user, **changes):
    data = {
        "username": user.username,
        "name": user.name,
        "phone": user.phone,
        "organisation": user.organisation_id or "",
        "territory": user.territory_id or "",
        "enterprise": "",
        "title": user.title,
        "certificate_no": user.certificate_no,
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("target", "new_role"),
    [
        ("audit_admin", Role.OFFICE),  # the auditor made a business user who reads everything
        ("sys_admin", Role.AUDIT_ADMIN),  # the system administrator made an auditor
        ("audit_admin", ""),  # the auditor's role revoked
        ("office", Role.AUDIT_ADMIN),  # an administrator role granted
        ("office", Role.SYS_ADMIN),
    ],
)
def test_security_admin_cannot_change_administrator_roles(cast, client_for, target, new_role):
    user = getattr(cast, target)
    response = client_for(cast.sec_admin).post(role_url(user), {"role": new_role})
    assert response.status_code == 400
    assert REFUSAL_ROLE in response.content.decode()
    user.refresh_from_db()
    assert user.role == getattr(cast, target).role


def test_role_page_offers_no_administrator_role(cast, client_for):
    page = client_for(cast.sec_admin).get(role_url(cast.office)).content.decode()
    assert 'value="office"' in page
    assert not any(f'value="{role}"' in page for role in ("sys_admin", "sec_admin", "audit_admin"))


def test_business_roles_are_still_granted_by_the_security_admin(cast, client_for):
    response = client_for(cast.sec_admin).post(role_url(cast.leader), {"role": Role.OFFICE})
    assert response.status_code == 302
    cast.leader.refresh_from_db()
    assert cast.leader.role == Role.OFFICE


@pytest.mark.parametrize("target", ["audit_admin", "sec_admin"])
def test_system_admin_cannot_deactivate_an_administrator(cast, client_for, target):
    user = getattr(cast, target)
    data = edit_data(user, is_active=None, territory=cast.town_a.pk)
    data.pop("is_active", None)
    client_for(cast.sys_admin).post(f"/core/users/{user.pk}/edit/", data)
    user.refresh_from_db()
    assert user.is_active and user.territory_id == cast.district.pk


def test_system_admin_still_deactivates_business_accounts(cast, client_for):
    data = edit_data(cast.town_a_user)
    data.pop("is_active")
    response = client_for(cast.sys_admin).post(f"/core/users/{cast.town_a_user.pk}/edit/", data)
    assert response.status_code == 302
    cast.town_a_user.refresh_from_db()
    assert not cast.town_a_user.is_active


def test_the_api_changes_no_account(cast, api_for):
    client = api_for(cast.sec_admin)
    url = f"/api/core/users/{cast.audit_admin.pk}/"
    assert client.patch(url, {"role": Role.OFFICE}, format="json").status_code in (403, 405)
    assert client.patch(url, {"is_active": False}, format="json").status_code in (403, 405)
    cast.audit_admin.refresh_from_db()
    assert cast.audit_admin.role == Role.AUDIT_ADMIN and cast.audit_admin.is_active


def test_server_procedure_changes_an_administrator_and_alerts_the_auditors(
    cast, django_capture_on_commit_callbacks
):
    from anjian.notifications.models import Notification

    second_auditor = User.objects.create(
        username="audit2", name="审计员乙", role="", territory=cast.district, organisation=cast.office_org
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "admin_account", user="audit2", role="audit_admin", operator="张三", reason="安委办〔2026〕12号"
        )
    second_auditor.refresh_from_db()
    assert second_auditor.role == Role.AUDIT_ADMIN
    entry = AuditEntry.objects.filter(action=ADMIN_ACCOUNT_CHANGED, object_id=str(second_auditor.pk)).get()
    assert (
        "张三" in entry.actor_name and "安委办〔2026〕12号" in entry.message and "审计管理员" in entry.message
    )
    assert entry.action_label.startswith("【三员】")
    alerted = set(Notification.objects.filter(kind=ADMIN_ACCOUNT_CHANGED).values_list("recipient", flat=True))
    assert alerted == {cast.audit_admin.pk, second_auditor.pk}

    with django_capture_on_commit_callbacks(execute=True):
        call_command("admin_account", user="sys_admin", deactivate=True, operator="张三", reason="调离岗位")
    cast.sys_admin.refresh_from_db()
    assert not cast.sys_admin.is_active
    assert Notification.objects.filter(kind=ADMIN_ACCOUNT_CHANGED, recipient=cast.audit_admin).count() == 2


def test_server_procedure_is_only_for_administrators_and_needs_a_reason(cast):
    with pytest.raises(CommandError, match="只用于三员账号"):
        call_command("admin_account", user="office", role="leader", operator="张三", reason="x")
    with pytest.raises(CommandError, match="变更依据"):
        call_command("admin_account", user="sys_admin", deactivate=True, operator="张三", reason=" ")
    cast.office.refresh_from_db()
    cast.sys_admin.refresh_from_db()
    assert cast.office.role == Role.OFFICE and cast.sys_admin.is_active
