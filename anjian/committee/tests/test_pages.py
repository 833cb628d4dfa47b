"""Pages: who sees what, forms that refuse bad input in Chinese, the chart on a day, documents, query counts."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anjian.committee import services
from anjian.committee.models import DutyCategory, DutyItem, Meeting, Membership, PostRank
from anjian.core.navigation import menu_for

PAGES = [
    "/committee/",
    "/committee/committees/",
    "/committee/members/",
    "/committee/units/",
    "/committee/duties/",
    "/committee/meetings/",
    "/committee/decisions/",
]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("office", 200),
        ("leader", 200),
        ("inspector", 200),
        ("town_a_user", 200),
        ("grid_a_user", 403),
        ("enterprise_a_user", 403),
        ("sys_admin", 403),
        ("sec_admin", 403),
        ("audit_admin", 403),
    ],
)
def test_pages_by_role(cast, client_for, role, expected):
    client = client_for(getattr(cast, role))
    for url in PAGES:
        assert client.get(url).status_code == expected, url
    labels = [g["label"] for g in menu_for(getattr(cast, role))]
    assert ("安委会" in labels) == (expected == 200)


def test_office_adds_a_member_and_sees_it_on_the_chart_and_as_of_an_earlier_day(cast, committee, client_for):
    client = client_for(cast.office)
    url = f"/committee/committees/{committee.pk}/members/add/"
    response = client.post(
        url, {"organisation": cast.yingji.pk, "start_date": "2026-01-01", "liaison_name": "张三"}
    )
    assert response.status_code == 302
    response = client.post(url, {"organisation": cast.yingji.pk, "start_date": "2026-02-01"})
    assert response.status_code == 400 and "已是" in response.content.decode()
    response = client.post(url, {"organisation": "", "start_date": "不是日期"})
    assert response.status_code == 400 and "有效的日期" in response.content.decode()
    page = client.get(f"/committee/?committee={committee.pk}").content.decode()
    assert "测试区应急管理局" in page and "测试区安委办" in page
    page = client.get(f"/committee/?committee={committee.pk}&on=2025-06-01").content.decode()
    assert (
        'data-testid="as-of"' in page and "测试区应急管理局" not in page.split('data-testid="org-members"')[1]
    )
    page = client.get("/committee/?on=garbage").content.decode()
    assert "日期格式" in page


def test_committee_detail_shows_posts_members_history_and_members_on_a_day(cast, committee, client_for):
    post = services.add_post(committee, PostRank.DIRECTOR, "区长")
    services.appoint(post, "甲区长", date(2024, 1, 1))
    services.appoint(post, "乙区长", date(2025, 1, 1))
    m = services.add_member(committee, cast.zhujian, date(2024, 1, 1))
    services.end_membership(m, date(2025, 1, 1), "调整")
    page = (
        client_for(cast.leader).get(f"/committee/committees/{committee.pk}/?on=2024-06-01").content.decode()
    )
    assert "甲区长" in page and "乙区长" in page
    assert "测试区住建局" in page.split('data-testid="members-on-day"')[1]
    assert "成员单位退出" in page  # the history panel names the action
    assert 'data-testid="post-add"' not in page  # leaders read only


def test_town_reads_the_district_committee_but_cannot_change_it(cast, committee, client_for):
    client = client_for(cast.town_a_user)
    assert client.get(f"/committee/committees/{committee.pk}/").status_code == 200
    assert client.get(f"/committee/committees/{committee.pk}/members/add/").status_code == 403


def test_duties_page_print_docx_pdf_and_unit_drafting(cast, client_for):
    services.save_duty_item(
        cast.office, DutyItem(organisation=cast.yingji, category=DutyCategory.SECTOR, text="危化品监管")
    )
    client = client_for(cast.inspector)
    url = f"/committee/units/{cast.yingji.pk}/"
    page = client.get(url).content.decode()
    assert "危化品监管" in page and "第十七条" in page and 'data-testid="duty-add"' in page
    assert 'data-testid="sectors-edit"' not in page  # the mapping is the office's
    assert client.get(url + "?format=docx")["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url + "?format=pdf").content.startswith(b"%PDF")
    response = client.post(
        f"/committee/units/{cast.yingji.pk}/duties/add/", {"category": "sector", "text": ""}
    )
    assert response.status_code == 400
    response = client.post(
        f"/committee/units/{cast.yingji.pk}/duties/add/",
        {"category": "sector", "text": "新职责", "sort_order": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    assert client.get(f"/committee/units/{cast.zhujian.pk}/duties/add/").status_code == 403
    office = client_for(cast.office)
    assert 'data-testid="confirm"' in office.get(url).content.decode()
    assert office.post(f"/committee/units/{cast.yingji.pk}/confirm/").status_code == 302
    response = office.post(
        f"/committee/units/{cast.yingji.pk}/sectors/", {"sectors": [cast.hazchem.pk, cast.construction.pk]}
    )
    assert response.status_code == 302 and cast.yingji.sectors.count() == 2


def test_meeting_with_minutes_attachment_attendance_and_decision(cast, committee, client_for):
    client = client_for(cast.office)
    data = {
        "committee": committee.pk,
        "kind": "plenary",
        "title": "第一次全体会议",
        "held_on": "2026-03-01",
        "chaired_by": "区长",
        "present_units": [cast.yingji.pk],
        "absent_units": [cast.zhujian.pk],
        "absence_reason": "请假",
    }
    bad = client.post(
        "/committee/meetings/add/", {**data, "minutes_file": SimpleUploadedFile("a.exe", b"MZ")}
    )
    assert bad.status_code == 400 and "纪要附件应为" in bad.content.decode()
    clash = client.post("/committee/meetings/add/", {**data, "absent_units": [cast.yingji.pk]})
    assert clash.status_code == 400 and "既出席又缺席" in clash.content.decode()
    response = client.post(
        "/committee/meetings/add/", {**data, "minutes_file": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="第一次全体会议")
    assert meeting.attendances.get(organisation=cast.zhujian).absence_reason == "请假"
    assert client.get(meeting.minutes_file.url).status_code == 200
    assert client_for(cast.enterprise_a_user).get(meeting.minutes_file.url).status_code == 404
    # The file follows the meeting's page: a town reads the district committee's minutes (above its own scope);
    # the administrators never see business files.
    assert client_for(cast.town_a_user).get(meeting.minutes_file.url).status_code == 200
    assert client_for(cast.sys_admin).get(meeting.minutes_file.url).status_code == 404
    response = client.post(
        f"/committee/meetings/{meeting.pk}/decisions/add/",
        {
            "content": "开展燃气排查",
            "lead_units": [cast.yingji.pk],
            "deadline": str(services.today() + timedelta(days=9)),
        },
    )
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "开展燃气排查" in page and "请假" in page


@pytest.mark.skipif(not services.supervision_available(), reason="督办 app not available")
def test_decision_button_turns_it_into_a_task_once(cast, meeting, client_for):
    decision = services.add_decision(meeting, "排查", [cast.yingji], services.today() + timedelta(days=9))
    client = client_for(cast.office)
    assert 'data-testid="supervise"' in client.get(decision.get_absolute_url()).content.decode()
    assert client.post(f"/committee/decisions/{decision.pk}/supervise/").status_code == 302
    decision.refresh_from_db()
    assert decision.task_id
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'data-testid="task-link"' in page and 'data-testid="supervise"' not in page
    client.post(f"/committee/decisions/{decision.pk}/supervise/")
    decision.refresh_from_db()
    assert client.get(f"/committee/decisions/{decision.pk}/edit/").status_code == 403
    assert client_for(cast.leader).post(f"/committee/decisions/{decision.pk}/supervise/").status_code == 403


@pytest.mark.parametrize("url", PAGES[1:])
def test_lists_do_not_query_per_row(cast, committee, meeting, client_for, django_assert_max_num_queries, url):
    for index in range(12):
        services.save_duty_item(
            cast.office, DutyItem(organisation=cast.yingji, category="other", text=f"职责{index}")
        )
        services.add_decision(meeting, f"事项{index}", [cast.yingji, cast.zhujian])
    for org in (cast.yingji, cast.zhujian, cast.town_a_org, cast.town_b_org, cast.office_org):
        services.add_member(committee, org, date(2024, 1, 1))
    assert Membership.objects.count() >= 5
    client = client_for(cast.office)
    client.get(url)  # warm caches (menu, permissions, filter choices)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url + "?export=xlsx").status_code == 200


def test_minutes_attachment_is_checked_by_content_not_by_name(cast, committee, client_for):
    data = {"committee": committee.pk, "kind": "plenary", "title": "改名的附件", "held_on": "2026-03-01"}
    renamed = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(cast.office).post("/committee/meetings/add/", {**data, "minutes_file": renamed})
    assert response.status_code == 400 and "内容与文件类型不符" in response.content.decode()
    assert not Meeting.objects.filter(title="改名的附件").exists()
