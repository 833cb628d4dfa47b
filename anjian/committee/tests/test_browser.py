"""In a real browser: the office adds a member unit to a 专委会 and sees it on the chart; a decision becomes a
督办 task."""

from datetime import timedelta

import pytest

from anjian.committee import services
from anjian.committee.models import Meeting, MeetingKind
from anjian.core.models import Organisation, OrganisationKind

pytestmark = pytest.mark.browser


def test_office_adds_a_member_unit_to_a_special_committee_and_sees_it_on_the_chart(live_cast, page, login):
    committee = Organisation.objects.get(name="测试区安委会")
    special = Organisation.objects.create(
        name="测试区消防安全专业委员会",
        kind=OrganisationKind.SPECIAL_COMMITTEE,
        territory=live_cast.district,
        parent=committee,
        lead_department=live_cast.zhujian,
    )
    base = page.base_url
    login(page, live_cast.office)
    page.goto(f"{base}/committee/committees/{special.pk}/")
    page.click("[data-testid=member-add]")
    page.select_option("#id_organisation", str(live_cast.yingji.pk))
    page.fill("#id_liaison_name", "张联络")
    page.click("main form button:has-text('保存')")
    page.wait_for_selector("[data-testid=members] >> text=测试区应急管理局")
    page.goto(f"{base}/committee/")
    node = page.locator("[data-testid=org-special]", has_text="测试区消防安全专业委员会")
    assert "测试区应急管理局" in node.inner_text()


@pytest.mark.skipif(not services.supervision_available(), reason="督办 app not available")
def test_a_meeting_decision_becomes_a_supervision_task(live_cast, page, login):
    committee = Organisation.objects.get(name="测试区安委会")
    meeting = Meeting(
        committee=committee,
        kind=MeetingKind.PLENARY,
        title="全体会议",
        held_on=services.today(),
        chaired_by="区长",
    )
    meeting.save()
    decision = services.add_decision(
        meeting, "开展燃气安全排查", [live_cast.yingji], services.today() + timedelta(days=7)
    )
    base = page.base_url
    login(page, live_cast.office)
    page.goto(f"{base}{decision.get_absolute_url()}")
    page.click("[data-testid=supervise]")
    page.wait_for_selector("[data-testid=task-link]")
    page.click("[data-testid=task-link]")
    page.wait_for_load_state()
    assert page.url != f"{base}{decision.get_absolute_url()}"
