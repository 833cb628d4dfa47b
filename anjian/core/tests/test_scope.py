"""The scope matrix: which role sees which records. Pages and API must agree with these rules."""

import pytest

from anjian.core.models import Organisation, Territory, User
from anjian.core.permissions import has_perm, permission_table
from anjian.core.roles import Role
from anjian.core.scope import can_view, restrict
from anjian.registry.models import Enterprise

# user -> the enterprises (A, B) they see
ENTERPRISE_MATRIX = {
    "office": {"A", "B"},
    "leader": {"A", "B"},
    "inspector": {"A"},  # 应急 supervises 危险化学品 (A), not 建筑施工 (B)
    "inspector_other": {"B"},
    "town_a_user": {"A"},
    "town_b_user": {"B"},
    "grid_a_user": set(),  # A is in 甲村 but not in the grid's subtree (the grid is below the village)
    "enterprise_a_user": {"A"},
    "enterprise_b_user": {"B"},
    "sys_admin": {"A", "B"},  # scope only; the permission table denies them business records
    "sec_admin": {"A", "B"},
    "audit_admin": {"A", "B"},
    "outsider_office": set(),
}


def visible_enterprises(user):
    names = {"甲化工有限公司": "A", "乙建筑有限公司": "B"}
    return {names[e.name] for e in restrict(Enterprise.objects.all(), user)}


@pytest.mark.parametrize(("user_name", "expected"), ENTERPRISE_MATRIX.items())
def test_enterprise_scope_matrix(cast, user_name, expected):
    user = getattr(cast, user_name)
    assert visible_enterprises(user) == expected
    assert can_view(user, cast.enterprise_a) is ("A" in expected)
    assert can_view(user, cast.enterprise_b) is ("B" in expected)


def test_grid_user_sees_records_in_the_grid(cast):
    cast.enterprise_a.territory = cast.grid_a
    cast.enterprise_a.save()
    assert visible_enterprises(cast.grid_a_user) == {"A"}


def test_inactive_anonymous_and_unassigned_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    cast.office.is_active = False
    assert not restrict(Enterprise.objects.all(), cast.office).exists()
    assert not restrict(Enterprise.objects.all(), AnonymousUser()).exists()
    pending = User.objects.create(username="pending", name="待授权", territory=cast.district)
    assert not restrict(Enterprise.objects.all(), pending).exists()
    assert not has_perm(pending, "core.view_territory")


def test_enterprise_users_never_get_territory_lists(cast):
    assert not restrict(Territory.objects.all(), cast.enterprise_a_user).exists()
    assert not restrict(Organisation.objects.all(), cast.enterprise_a_user).exists()


def test_inspector_scope_query_has_no_duplicates(cast):
    cast.enterprise_a.sectors.add(cast.construction)
    cast.yingji.sectors.add(cast.construction)
    inspector = User.objects.get(pk=cast.inspector.pk)  # fresh object: scope is cached per user object
    assert restrict(Enterprise.objects.all(), inspector).count() == 2


# role -> permission codes it must hold / must not hold (the 三员分立 separation included)
PERMISSION_EXPECTATIONS = [
    (
        Role.SYS_ADMIN,
        {"core.add_user", "core.change_user", "core.change_territory"},
        {"core.assign_role", "core.unlock_user", "core.view_auditentry"},
    ),
    (
        Role.SEC_ADMIN,
        {"core.assign_role", "core.unlock_user", "core.view_user"},
        {"core.add_user", "core.change_user", "core.view_auditentry", "core.change_territory"},
    ),
    (
        Role.AUDIT_ADMIN,
        {"core.view_auditentry", "core.export_auditentry"},
        {"core.view_user", "core.assign_role", "core.add_user", "core.view_territory"},
    ),
    (
        Role.OFFICE,
        {"core.view_territory", "core.change_organisation", "core.change_sector"},
        {"core.view_auditentry", "core.add_user", "core.assign_role"},
    ),
    (
        Role.LEADER,
        {"core.view_territory", "core.view_organisation"},
        {"core.change_organisation", "core.change_sector", "core.change_territory"},
    ),
    (
        Role.ENTERPRISE,
        {"core.view_sector"},
        {"core.view_territory", "core.view_organisation", "core.view_user"},
    ),
]


@pytest.mark.parametrize(("role", "granted", "refused"), PERMISSION_EXPECTATIONS)
def test_permission_table(db, role, granted, refused):
    user = User(username="x", role=role, is_active=True)
    for code in granted:
        assert has_perm(user, code), code
    for code in refused:
        assert not has_perm(user, code), code


def test_no_role_holds_two_administrator_duties(db):
    table = permission_table()
    duties = {"accounts": "core.add_user", "roles": "core.assign_role", "audit": "core.view_auditentry"}
    holders = {duty: table[code] for duty, code in duties.items()}
    for role in Role:
        assert sum(role in roles for roles in holders.values()) <= 1, role


BUSINESS_APPS = (
    "registry",
    "inspections",
    "hazards",
    "enforcement",
    "accidents",
    "assessment",
    "operations",
    "dashboard",
)


def test_business_records_are_never_readable_by_administrators(db):
    for code, roles in permission_table().items():
        if not code.startswith(BUSINESS_APPS):
            continue
        assert not roles & {Role.SYS_ADMIN, Role.SEC_ADMIN, Role.AUDIT_ADMIN}, code


def test_leader_holds_no_write_permission_on_business_records(db):
    for code, roles in permission_table().items():
        if not code.startswith(BUSINESS_APPS):
            continue
        action = code.split(".", 1)[1]
        if not action.startswith(("view", "export")):
            assert Role.LEADER not in roles, code
