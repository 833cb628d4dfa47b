"""挂牌督办 at every level up to the province (rules.md §1.5): who lists at which level, upgrading a lower
listing, 摘牌 with its history, and the escalation of an overdue listing to the level above."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anjian.core.audit import history_for
from anjian.core.models import Organisation, OrganisationKind, Territory
from anjian.core.roles import Role
from anjian.core.testing import make_user
from anjian.hazards import deadlines, services, workflow
from anjian.hazards.models import HazardSupervision, SupervisionLevel
from anjian.hazards.workflow import TransitionRefused

from .conftest import make_hazard, png

pytestmark = pytest.mark.django_db


def TODAY():
    return timezone.localdate()


@pytest.fixture
def upper(cast):
    """The city and province 安委办 above the cast's district, one office user each."""
    city = Territory.objects.get(code="990100")
    province = Territory.objects.get(code="990000")
    city_org = Organisation.objects.create(name="测试市安委办", kind=OrganisationKind.OFFICE, territory=city)
    province_org = Organisation.objects.create(
        name="测试省安委办", kind=OrganisationKind.OFFICE, territory=province
    )
    return {
        "city": make_user("city_office", Role.OFFICE, city, city_org),
        "province": make_user("province_office", Role.OFFICE, province, province_org),
        "city_org": city_org,
        "province_org": province_org,
    }


@pytest.mark.parametrize(
    "who, level",
    [
        ("town_a_user", SupervisionLevel.TOWN),
        ("office", SupervisionLevel.COUNTY),
        ("city", SupervisionLevel.CITY),
        ("province", SupervisionLevel.PROVINCE),
        ("inspector", SupervisionLevel.NONE),
        ("grid_a_user", SupervisionLevel.NONE),
    ],
)
def test_each_government_level_lists_at_its_own_level(cast, upper, who, level):
    user = upper[who] if who in upper else getattr(cast, who)
    assert workflow.supervision_level_for(user) == level


def test_province_upgrades_a_city_listing_and_the_lower_one_is_delisted_with_history(cast, upper):
    hazard = make_hazard(cast, "rectifying", grade="major")
    county = services.list_supervision(hazard, actor=cast.office, deadline=TODAY() + timedelta(days=30))
    city = services.list_supervision(hazard, actor=upper["city"], deadline=TODAY() + timedelta(days=30))
    # The same level (or a lower one) cannot list again.
    with pytest.raises(TransitionRefused, match="同级或上级"):
        services.list_supervision(hazard, actor=cast.office, deadline=TODAY() + timedelta(days=30))
    province = services.list_supervision(
        hazard, actor=upper["province"], deadline=TODAY() + timedelta(days=20), reason="省级重点督办"
    )
    assert province.level == SupervisionLevel.PROVINCE and province.number
    hazard.refresh_from_db()
    assert hazard.supervision_level == SupervisionLevel.PROVINCE
    assert hazard.supervising_org == upper["province_org"]
    assert list(HazardSupervision.objects.filter(hazard=hazard, is_active=True)) == [province]
    county.refresh_from_db()
    city.refresh_from_db()
    assert not county.is_active and county.delisted_at and not city.is_active
    delisted = [e for e in history_for(hazard) if e.action == "hazard.delisted"]
    assert len(delisted) == 2
    assert "升级为省级挂牌督办" in delisted[0].message and delisted[0].actor == upper["province"]
    assert city.number in delisted[0].message and county.number in delisted[1].message
    # While listed by the province, only the province office accepts and closes.
    services.report_rectification(hazard, actor=cast.enterprise_a_user, note="已治理", photos=[png()])
    with pytest.raises(TransitionRefused, match="测试省安委办"):
        services.accept_rectification(hazard, actor=upper["city"])
    services.accept_rectification(hazard, actor=upper["province"])
    services.close_hazard(hazard, actor=upper["province"])
    province.refresh_from_db()
    assert not province.is_active
    entry = next(e for e in history_for(hazard) if e.action == "hazard.delisted")
    assert "摘牌销号" in entry.message and entry.changes == {
        "挂牌督办": [f"省级挂牌督办 {province.number}", "已摘牌"]
    }


def test_a_level_lists_only_hazards_in_its_own_territory(cast, upper):
    hazard = make_hazard(cast, "rectifying", grade="major")
    with pytest.raises(TransitionRefused, match="数据范围"):
        services.list_supervision(hazard, actor=cast.outsider_office, deadline=TODAY() + timedelta(days=30))


def test_voiding_delists_with_history(cast):
    hazard = make_hazard(cast, "rectifying", grade="major")
    services.list_supervision(hazard, actor=cast.office, deadline=TODAY() + timedelta(days=30))
    services.void_hazard(hazard, actor=cast.office, reason="重复登记")
    assert not HazardSupervision.objects.filter(hazard=hazard, is_active=True).exists()
    assert any(e.action == "hazard.delisted" and "隐患作废" in e.message for e in history_for(hazard))


def test_overdue_listing_escalates_to_the_office_above(cast, upper):
    hazard = make_hazard(cast, "rectifying", grade="major")
    services.list_supervision(hazard, actor=upper["city"], deadline=TODAY() + timedelta(days=1))
    item = next(
        i
        for i in deadlines.deadline_items("hazard.supervision", timezone.now() + timedelta(days=2))
        if i.obj.pk == hazard.pk
    )
    level1, level2 = item.escalation
    assert upper["city"] in level1
    assert level2 == (upper["province"],)  # the city's listing left overdue goes to the province office
    assert item.title.startswith("市级挂牌督办")


def test_province_listing_has_no_office_above(cast, upper):
    hazard = make_hazard(cast, "rectifying", grade="major")
    services.list_supervision(hazard, actor=upper["province"], deadline=TODAY() + timedelta(days=1))
    item = next(
        i
        for i in deadlines.deadline_items("hazard.supervision", timezone.now() + timedelta(days=2))
        if i.obj.pk == hazard.pk
    )
    assert item.escalation[0] == (upper["province"],) and item.escalation[1] == ()
