"""Home panel "我的整改": the enterprise's open hazards, earliest deadline first, overdue ones marked; nothing
of another enterprise, and no panel for government roles (their to-do list covers review and acceptance)."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from anjian.hazards.homepage import my_rectification_panel

from .conftest import make_hazard

pytestmark = pytest.mark.django_db


def panel_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return my_rectification_panel(request)


def test_open_hazards_by_deadline_overdue_marked(cast):
    today = timezone.localdate()
    make_hazard(cast, status="rectifying", description="晚到期", deadline=today + timedelta(days=20))
    make_hazard(cast, status="plan_set", description="已逾期的隐患", deadline=today - timedelta(days=3))
    make_hazard(cast, status="closed", description="已销号的隐患")
    make_hazard(cast, enterprise=cast.enterprise_b, description="乙企业的隐患")
    panel = panel_for(cast.enterprise_a_user)
    assert panel["title"] == "我的整改（未销号 2 项）"
    first, second = panel["items"]
    assert first["label"].startswith("已逾期的隐患") and first["alert"] and "已逾期" in first["note"]
    assert second["label"].startswith("晚到期") and not second["alert"]
    assert panel["more_url"].endswith("?open=true")


def test_only_for_enterprise_staff(cast):
    assert panel_for(cast.inspector) is None and panel_for(cast.office) is None


def test_overdue_rows_are_highlighted_on_the_home_page(cast, client_for):
    make_hazard(cast, status="rectifying", deadline=timezone.localdate() - timedelta(days=1))
    html = client_for(cast.enterprise_a_user).get("/").content.decode()
    assert 'data-testid="panel-my_rectification"' in html and 'data-testid="home-alert"' in html
