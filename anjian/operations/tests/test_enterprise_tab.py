"""Tips, warning acknowledgements and training on the enterprise file (一企一档, operations/enterprise_tabs.py)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from anjian.operations import services
from anjian.operations.models import TrainingAttendee, TrainingSession, WarningNotice, WeatherWarning
from anjian.registry.tests.enterprise_file import file_url, open_tab, tab_badges

pytestmark = pytest.mark.django_db


def notice(cast, enterprise, sector, acknowledged=False):
    now = timezone.now()
    warning = WeatherWarning.objects.create(
        warning_type="heat",
        level="orange",
        title="高温橙色预警",
        starts_at=now,
        ends_at=now + timedelta(hours=24),
        territory=cast.district,
    )
    return WarningNotice.objects.create(
        warning=warning,
        enterprise=enterprise,
        sector=sector,
        territory=enterprise.territory,
        sent_at=now,
        ack_due_at=now + timedelta(hours=2),
        acknowledged_at=now if acknowledged else None,
        measures="停止露天作业" if acknowledged else "",
    )


def test_tips_are_for_government_readers_only(cast, client_for):
    tip, _code = services.submit_tip(
        data={"content": "工地无防护", "territory": cast.village_b, "unit_name": cast.enterprise_b.name}
    )
    assert tip.enterprise == cast.enterprise_b
    office = client_for(cast.office)
    assert tab_badges(office.get(file_url(cast.enterprise_b)).content.decode())["tips"] == "1"
    assert "工地无防护" in open_tab(office, cast.enterprise_b, "tips").content.decode()

    staff = client_for(cast.enterprise_b_user)  # the reported unit never sees who reported it, nor what
    assert "tips" not in tab_badges(staff.get(file_url(cast.enterprise_b)).content.decode())
    assert open_tab(staff, cast.enterprise_b, "tips").status_code == 404


def test_warning_acknowledgements_of_the_unit(cast, client_for):
    notice(cast, cast.enterprise_a, cast.hazchem, acknowledged=True)
    notice(cast, cast.enterprise_b, cast.construction)
    pane = open_tab(client_for(cast.enterprise_a_user), cast.enterprise_a, "warnings").content.decode()
    assert "高温橙色预警" in pane and "停止露天作业" in pane and "未签收" not in pane
    pane = open_tab(client_for(cast.inspector_other), cast.enterprise_b, "warnings").content.decode()
    assert "未签收" in pane
    assert open_tab(client_for(cast.enterprise_b_user), cast.enterprise_a, "warnings").status_code == 404


def test_training_sessions_the_unit_attended(cast, client_for):
    session = TrainingSession.objects.create(
        topic="危险化学品安全培训",
        audience="safety_managers",
        organiser=cast.office_org,
        territory=cast.district,
        held_on=date.today(),
        hours=8,
    )
    TrainingAttendee.objects.create(session=session, name="张三", unit=cast.enterprise_a.name)
    TrainingAttendee.objects.create(session=session, name="李四", unit=cast.enterprise_a.name)
    TrainingAttendee.objects.create(session=session, name="王五", unit=cast.enterprise_b.name)
    office = client_for(cast.office)
    pane = open_tab(office, cast.enterprise_a, "training").content.decode()
    assert "危险化学品安全培训" in pane and "<td>2</td>" in pane  # this unit's attendees only
    timeline = open_tab(office, cast.enterprise_a, "timeline").content.decode()
    assert "危险化学品安全培训" not in timeline  # the organiser's record, not the unit's
    staff = client_for(cast.enterprise_a_user)
    assert "training" not in tab_badges(staff.get(file_url(cast.enterprise_a)).content.decode())
