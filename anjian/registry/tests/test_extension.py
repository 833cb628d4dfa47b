"""Extension points for other apps (detail-page tabs, badges) and the home panels."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from anjian.registry import homepage, tabs
from anjian.registry.models import Licence

from .factories import make_listing

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_other_apps_add_tabs_to_the_enterprise_page(cast, client_for, monkeypatch):
    hazards_tab = tabs.EnterpriseTab(
        key="hazards_test",
        title="隐患（测试）",
        order=200,
        permission="registry.view_register",
        records=lambda e: Licence.objects.filter(enterprise=e),
        template="registry/tabs/licences.html",
    )
    monkeypatch.setattr(tabs, "all_tabs", lambda: (*tabs.REGISTRY_TABS, hazards_tab))
    html = client_for(cast.office).get(f"/registry/enterprises/{cast.enterprise_a.pk}/").content.decode()
    assert "隐患（测试）" in html
    keys = [t.key for t in tabs.tab_views(cast.office, cast.enterprise_a)]
    assert keys[0] == "risk_points" and keys[-2:] == ["hazards_test", "timeline"]


def test_apps_contribute_tabs_through_enterprise_tabs_modules():
    keys = [t.key for t in tabs.all_tabs()]
    assert keys[:2] == ["risk_points", "licences"]
    assert len(keys) == len(set(keys))
    orders = [t.order for t in tabs.all_tabs()]
    assert orders == sorted(orders)


def test_badges_render_for_any_template(cast):
    make_listing(cast.enterprise_a, date.today())
    cast.enterprise_b.risk_level = "high"
    template = Template(
        "{% load registry_tags %}{% blacklist_badge a %}|{% blacklist_badge b %}|{% risk_badge b %}|"
        "{% expiry_badge past %}|{% expiry_badge soon %}|{% expiry_badge later %}"
    )
    html = template.render(
        Context(
            {
                "a": cast.enterprise_a,
                "b": cast.enterprise_b,
                "past": date.today() - timedelta(days=1),
                "soon": date.today() + timedelta(days=30),
                "later": date.today() + timedelta(days=31),
            }
        )
    )
    parts = html.split("|")
    assert "严重失信" in parts[0] and parts[1] == ""
    assert "较大风险（橙）" in parts[2] and "#F39800" in parts[2]
    assert "已过期" in parts[3] and "即将到期" in parts[4] and parts[5] == ""


def test_home_panels_show_expiring_certificates_and_listed_units_in_scope(cast):
    Licence.objects.create(
        enterprise=cast.enterprise_a,
        kind="safety",
        number="A-1",
        valid_until=date.today() + timedelta(days=5),
    )
    Licence.objects.create(
        enterprise=cast.enterprise_b,
        kind="construction",
        number="B-1",
        valid_until=date.today() - timedelta(days=1),
    )
    Licence.objects.create(
        enterprise=cast.enterprise_b,
        kind="construction",
        number="B-2",
        valid_until=date.today() + timedelta(days=90),
    )
    make_listing(cast.enterprise_b, date.today())
    panel = homepage.expiring_panel(request_for(cast.office))
    assert [i["note"][:4] for i in panel["items"]] == ["已过期 ", "即将到期"]
    panel = homepage.expiring_panel(request_for(cast.town_a_user))
    assert [i["label"] for i in panel["items"]] == ["甲化工有限公司：安全生产许可证"]
    assert homepage.blacklist_panel(request_for(cast.office))["items"][0]["label"] == "乙建筑有限公司"
    assert homepage.blacklist_panel(request_for(cast.town_a_user))["items"] == []
    assert homepage.blacklist_panel(request_for(cast.enterprise_b_user)) is None
    assert homepage.expiring_panel(request_for(cast.audit_admin)) is None
