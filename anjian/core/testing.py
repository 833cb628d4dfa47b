"""The fixed cast of the test suite, reused by every app's tests (see conftest.py).

A small district with two towns, each with a village and a grid; the committee office; two departments
(应急 supervising 危险化学品, 住建 supervising 建筑施工); one user per role; two enterprises, A in town A
(危险化学品) and B in town B (建筑施工), each with its safety manager.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from .models import Organisation, OrganisationKind, Sector, Territory, TerritoryKind, User
from .roles import Role

PASSWORD = "Test-Pass-2026"
CREDIT_CODES = ("91990102000000027Y", "919901020000000194")  # valid GB 32100 codes of enterprises A and B
_password_hash = None


def password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(PASSWORD)
    return _password_hash


@dataclass
class Cast:
    district: Territory
    town_a: Territory
    town_b: Territory
    village_a: Territory
    village_b: Territory
    grid_a: Territory
    other_district: Territory
    office_org: Organisation
    yingji: Organisation
    zhujian: Organisation
    town_a_org: Organisation
    town_b_org: Organisation
    hazchem: Sector
    construction: Sector
    enterprise_a: object
    enterprise_b: object
    sys_admin: User
    sec_admin: User
    audit_admin: User
    office: User
    leader: User
    inspector: User  # 应急, sees 危险化学品
    inspector_other: User  # 住建, sees 建筑施工
    town_a_user: User
    town_b_user: User
    grid_a_user: User
    enterprise_a_user: User
    enterprise_b_user: User
    outsider_office: User  # office staff of another district

    def users(self) -> dict[str, User]:
        return {name: getattr(self, name) for name in USER_FIELDS}


def make_user(username, role, territory=None, organisation=None, enterprise=None, **extra) -> User:
    return User.objects.create(
        username=username,
        name=username,
        role=role,
        territory=territory,
        organisation=organisation,
        enterprise=enterprise,
        password=password_hash(),
        **extra,
    )


def build_cast() -> Cast:
    from anjian.registry.models import Enterprise

    t = Territory.objects.create
    province = t(code="990000", name="测试省", kind=TerritoryKind.PROVINCE)
    city = t(code="990100", name="测试市", kind=TerritoryKind.CITY, parent=province)
    district = t(code="990102", name="测试区", kind=TerritoryKind.COUNTY, parent=city)
    other_district = t(code="990103", name="邻区", kind=TerritoryKind.COUNTY, parent=city)
    town_a = t(code="990102101", name="甲镇", kind=TerritoryKind.TOWN, parent=district)
    town_b = t(code="990102102", name="乙镇", kind=TerritoryKind.TOWN, parent=district)
    village_a = t(code="990102101201", name="甲村", kind=TerritoryKind.VILLAGE, parent=town_a)
    village_b = t(code="990102102201", name="乙村", kind=TerritoryKind.VILLAGE, parent=town_b)
    grid_a = t(code="990102101201001", name="甲村第1网格", kind=TerritoryKind.GRID, parent=village_a)

    from .data import seed_sectors

    seed_sectors(Sector)  # transactional tests flush the seeded reference data
    hazchem = Sector.objects.get(code="hazchem")
    construction = Sector.objects.get(code="construction")
    o = Organisation.objects.create
    committee = o(name="测试区安委会", kind=OrganisationKind.COMMITTEE, territory=district)
    office_org = o(name="测试区安委办", kind=OrganisationKind.OFFICE, territory=district, parent=committee)
    yingji = o(
        name="测试区应急管理局", kind=OrganisationKind.DEPARTMENT, territory=district, parent=committee
    )
    yingji.sectors.set([hazchem])
    zhujian = o(name="测试区住建局", kind=OrganisationKind.DEPARTMENT, territory=district, parent=committee)
    zhujian.sectors.set([construction])
    town_a_org = o(name="甲镇人民政府", kind=OrganisationKind.LOCAL_GOVERNMENT, territory=town_a)
    town_b_org = o(name="乙镇人民政府", kind=OrganisationKind.LOCAL_GOVERNMENT, territory=town_b)
    other_office = o(name="邻区安委办", kind=OrganisationKind.OFFICE, territory=other_district)

    enterprise_a = Enterprise.objects.create(
        name="甲化工有限公司", credit_code="91990102000000027Y", territory=village_a
    )
    enterprise_a.sectors.set([hazchem])
    enterprise_b = Enterprise.objects.create(
        name="乙建筑有限公司", credit_code="919901020000000194", territory=village_b
    )
    enterprise_b.sectors.set([construction])

    return Cast(
        district=district,
        town_a=town_a,
        town_b=town_b,
        village_a=village_a,
        village_b=village_b,
        grid_a=grid_a,
        other_district=other_district,
        office_org=office_org,
        yingji=yingji,
        zhujian=zhujian,
        town_a_org=town_a_org,
        town_b_org=town_b_org,
        hazchem=hazchem,
        construction=construction,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        sys_admin=make_user("sys_admin", Role.SYS_ADMIN, district, office_org),
        sec_admin=make_user("sec_admin", Role.SEC_ADMIN, district, office_org),
        audit_admin=make_user("audit_admin", Role.AUDIT_ADMIN, district, office_org),
        office=make_user("office", Role.OFFICE, district, office_org),
        leader=make_user("leader", Role.LEADER, district, committee),
        inspector=make_user("inspector", Role.INSPECTOR, district, yingji, certificate_no="T0001"),
        inspector_other=make_user(
            "inspector_other", Role.INSPECTOR, district, zhujian, certificate_no="T0002"
        ),
        town_a_user=make_user("town_a_user", Role.TOWN, town_a, town_a_org),
        town_b_user=make_user("town_b_user", Role.TOWN, town_b, town_b_org),
        grid_a_user=make_user("grid_a_user", Role.GRID, grid_a, town_a_org),
        enterprise_a_user=make_user("enterprise_a_user", Role.ENTERPRISE, village_a, enterprise=enterprise_a),
        enterprise_b_user=make_user("enterprise_b_user", Role.ENTERPRISE, village_b, enterprise=enterprise_b),
        outsider_office=make_user("outsider_office", Role.OFFICE, other_district, other_office),
    )


USER_FIELDS = (
    "sys_admin",
    "sec_admin",
    "audit_admin",
    "office",
    "leader",
    "inspector",
    "inspector_other",
    "town_a_user",
    "town_b_user",
    "grid_a_user",
    "enterprise_a_user",
    "enterprise_b_user",
    "outsider_office",
)
# One user of each role (the first of each kind in USER_FIELDS): for checks that run once per role.
ONE_PER_ROLE = (
    "office",
    "leader",
    "inspector",
    "town_a_user",
    "grid_a_user",
    "enterprise_a_user",
    "sys_admin",
    "sec_admin",
    "audit_admin",
)


def load_cast() -> Cast | None:
    """The cast as stored by an earlier build_cast() (fresh instances for each test), or None if absent.

    The suite builds the cast once per test database (see conftest.py) and every test reads it back inside its
    own rolled-back transaction: far cheaper than building it again for each of a thousand tests.
    """
    from anjian.registry.models import Enterprise

    users = {u.username: u for u in User.objects.filter(username__in=USER_FIELDS)}
    if len(users) != len(USER_FIELDS):
        return None
    territories = {t.code: t for t in Territory.objects.filter(code__startswith="9901")}
    organisations = {o.name: o for o in Organisation.objects.filter(territory__code__startswith="9901")}
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=CREDIT_CODES)}
    sectors = {s.code: s for s in Sector.objects.filter(code__in=("hazchem", "construction"))}
    return Cast(
        district=territories["990102"],
        town_a=territories["990102101"],
        town_b=territories["990102102"],
        village_a=territories["990102101201"],
        village_b=territories["990102102201"],
        grid_a=territories["990102101201001"],
        other_district=territories["990103"],
        office_org=organisations["测试区安委办"],
        yingji=organisations["测试区应急管理局"],
        zhujian=organisations["测试区住建局"],
        town_a_org=organisations["甲镇人民政府"],
        town_b_org=organisations["乙镇人民政府"],
        hazchem=sectors["hazchem"],
        construction=sectors["construction"],
        enterprise_a=enterprises[CREDIT_CODES[0]],
        enterprise_b=enterprises[CREDIT_CODES[1]],
        **{name: users[name] for name in USER_FIELDS},
    )


def office_convert(content: bytes, suffix: str, target: str, tmp_path) -> bytes:
    """Convert a generated file with LibreOffice (headless), as a user opening it would: proves the file opens.

    Skipped when LibreOffice is absent, unless ANJIAN_REQUIRE_OFFICE=1 (CI installs it) — then it fails.
    """
    import os
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("ANJIAN_REQUIRE_OFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required but not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / f"document{suffix}"
    source.write_bytes(content)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    extension = target.split(":")[0]
    return (tmp_path / f"document.{extension}").read_bytes()


def slowed_under_budget(function, seconds: float):
    """`function`, taking `seconds` longer whenever a statement timeout is set (PostgreSQL): a plan that runs out
    of its time budget (core.pagination.within_budget), while the same work outside a budget stays quick."""
    from django.db import connection

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s) WHERE current_setting('statement_timeout') <> '0'", [seconds])
        return function(*args, **kwargs)

    return slow
