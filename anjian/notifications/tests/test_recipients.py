"""A reminder never goes into the void: the fallback chain (named people → the unit's users of the role → the
supervising organisation → the territory's town staff → its 安委办), and the configuration warnings
(提醒配置问题) that the office — and only the office — sees when a unit has nobody in the role."""

import pytest

from anjian.core.roles import Role
from anjian.core.testing import make_user
from anjian.notifications import services
from anjian.notifications.models import Firing, Notification, RecipientGap, Step
from anjian.notifications.protocols import DeadlineItem

from .conftest import TEST_KIND, at

pytestmark = pytest.mark.django_db
PANEL = 'data-testid="recipient-gaps"'


def _unit_without_account(cast, territory=None, name="丙五金制品厂", code="91990102000000043A"):
    from anjian.registry.models import Enterprise

    unit = Enterprise.objects.create(name=name, credit_code=code, territory=territory or cast.village_b)
    unit.sectors.set([cast.construction])
    return unit


def _deadline(provider, unit, supervisor=None, escalation=()):
    item = DeadlineItem(
        kind=TEST_KIND,
        obj=unit,
        due_at=at(2026, 12, 10, 17),
        title=f"{unit}：许可证期限",
        url=unit.get_absolute_url(),
        responsible=(),  # the unit has no account: the provider found nobody
        escalation=escalation,
        territory_path=unit.territory_path,
        unit=unit,
        role=Role.ENTERPRISE,
        supervisor=supervisor,
    )
    provider.items.append(item)
    return item


def test_unit_without_account_reaches_its_regulator_and_warns_the_office(cast, provider, client_for):
    unit = _unit_without_account(cast)
    _deadline(provider, unit, supervisor=cast.zhujian, escalation=[[cast.inspector_other]])
    services.scan_deadlines(at(2026, 12, 10, 18))  # overdue: the latest reminder goes out

    firing = Firing.objects.get(rule__step=Step.OVERDUE)
    assert firing.outcome == Firing.Outcome.SENT
    assert firing.recipients == cast.inspector_other.get_full_name()
    assert "丙五金制品厂无「企业安全管理人员」账号" in firing.fallback and "监管单位" in firing.fallback
    assert Notification.objects.filter(recipient=cast.inspector_other, step=Step.OVERDUE).exists()
    assert not Firing.objects.filter(outcome=Firing.Outcome.NO_RECIPIENT).exists()

    gap = RecipientGap.objects.get()
    assert (gap.unit_name, gap.role, gap.kind) == ("丙五金制品厂", Role.ENTERPRISE, TEST_KIND)
    assert gap.fallback == cast.inspector_other.get_full_name() and gap.resolved_at is None

    # Visible to the office of the district, with a plain link to the unit; not to anyone else.
    page = client_for(cast.office).get("/notifications/recipient-gaps/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "丙五金制品厂" in html and f'href="{unit.get_absolute_url()}"' in html
    todo = client_for(cast.office).get("/notifications/todo/").content.decode()
    assert PANEL in todo and "提醒配置问题 1 项" in todo
    outsider = client_for(cast.outsider_office).get("/notifications/recipient-gaps/")
    assert outsider.status_code == 200 and "丙五金制品厂" not in outsider.content.decode()
    assert PANEL not in client_for(cast.outsider_office).get("/notifications/todo/").content.decode()
    for user in (cast.inspector_other, cast.town_b_user, cast.enterprise_b_user, cast.leader, cast.sys_admin):
        assert client_for(user).get("/notifications/recipient-gaps/").status_code == 403, user
        assert PANEL not in client_for(user).get("/notifications/todo/").content.decode()


def test_chain_without_supervisor_goes_to_the_town_then_the_office(cast, provider):
    unit = _unit_without_account(cast)
    _deadline(provider, unit)
    services.scan_deadlines(at(2026, 12, 10, 18))
    assert Firing.objects.get(rule__step=Step.OVERDUE).recipients == cast.town_b_user.get_full_name()

    cast.town_b_user.is_active = False
    cast.town_b_user.save()
    services.scan_deadlines(at(2026, 12, 11, 18))  # escalation level 1: nobody named, no town staff left
    escalated = Firing.objects.get(rule__step=Step.ESCALATE, rule__level=1)
    assert escalated.recipients == cast.office.get_full_name() and "安委办" in escalated.fallback


def test_nobody_at_all_is_recorded_and_warned(cast, provider):
    from anjian.core.models import Territory, TerritoryKind

    lonely = Territory.objects.create(
        code="990104", name="无人区", kind=TerritoryKind.COUNTY, parent=cast.district.parent
    )
    unit = _unit_without_account(cast, territory=lonely, name="丁无人单位", code="91990104000000012B")
    _deadline(provider, unit)
    services.scan_deadlines(at(2026, 12, 10, 18))
    firing = Firing.objects.get(rule__step=Step.OVERDUE)
    assert firing.outcome == Firing.Outcome.NO_RECIPIENT
    gap = RecipientGap.objects.get(unit_name="丁无人单位")
    assert gap.nobody and gap.role == Role.ENTERPRISE


def test_warning_resolves_once_the_unit_has_an_account(cast, provider):
    unit = _unit_without_account(cast)
    _deadline(provider, unit, supervisor=cast.zhujian)
    services.scan_deadlines(at(2026, 12, 7, 18))  # 3 days before
    assert RecipientGap.objects.get().occurrences == 1
    make_user("bing_manager", Role.ENTERPRISE, cast.village_b, enterprise=unit)
    services.scan_deadlines(at(2026, 12, 10, 9))  # on the day: the new account is found
    assert Firing.objects.get(rule__step=Step.ON_DAY).recipients == "bing_manager"
    assert RecipientGap.objects.get().resolved_at is not None
