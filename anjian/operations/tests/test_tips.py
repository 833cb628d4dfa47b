from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command  # noqa: F401
from django.test import Client
from django.utils import timezone

from anjian.core.audit import history_for
from anjian.operations import services, throttle
from anjian.operations.models import Tip, TipPhoto, TipReward, TipStatus
from anjian.operations.models.tips import receipt_digest

SUBMIT = "/public/tip/"
STATUS = "/public/tip/status/"


def form(cast, **extra):
    data = {
        "kind": "general_hazard",
        "content": "仓库里堆放了大量油漆，没有灭火器。",
        "territory": cast.village_a.pk,
        "address": "甲村三组",
        "unit_name": "",
        "contact_name": "张三",
        "contact_phone": "13800000000",
    }
    data.update(extra)
    return data


def submit(client, data):
    return client.post(SUBMIT, data, REMOTE_ADDR="10.0.0.1")


@pytest.mark.django_db
def test_public_page_needs_no_login_and_offers_only_the_county_places(cast):
    response = Client().get(SUBMIT)
    assert response.status_code == 200
    choices = {str(c[1]) for c in response.context["form"].fields["territory"].choices}
    assert "甲镇" in choices and "甲镇 · 甲村" in choices
    assert not any("邻区" in c for c in choices)
    assert "甲村第1网格" not in choices


@pytest.mark.django_db
def test_submit_stores_tip_with_digest_only_and_shows_code_once(cast, png):
    client = Client(enforce_csrf_checks=True)
    page = client.get(SUBMIT)
    token = page.cookies["csrftoken"].value
    photo = SimpleUploadedFile("x.png", png(), content_type="image/png")
    response = client.post(
        SUBMIT, {**form(cast), "photos": [photo], "csrfmiddlewaretoken": token}, REMOTE_ADDR="1.2.3.4"
    )
    assert response.status_code == 200
    code = response.context["code"]
    tip = Tip.objects.get()
    assert tip.receipt_digest == receipt_digest(code) and code not in tip.receipt_digest
    assert tip.photos.count() == 1 and tip.photos.get().content_type == "image/png"
    assert tip.client_ip_digest and "1.2.3.4" not in tip.client_ip_digest
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert [e.action for e in history_for(tip)][-1] in ("create", "operations.tip_submitted")


@pytest.mark.django_db
def test_csrf_is_required(cast):
    client = Client(enforce_csrf_checks=True)
    assert client.post(SUBMIT, form(cast)).status_code == 403
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_honeypot_stores_nothing(cast):
    response = submit(Client(), form(cast, website="http://spam"))
    assert response.status_code == 200
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_real_name_needs_phone_anonymous_does_not(cast):
    response = submit(Client(), form(cast, contact_phone=""))
    assert response.status_code == 400 and not Tip.objects.exists()
    response = submit(Client(), form(cast, contact_phone="", anonymous="on", contact_name="张三"))
    assert response.status_code == 200
    tip = Tip.objects.get()
    assert tip.anonymous and tip.contact_name == ""


@pytest.mark.django_db
def test_place_outside_the_county_is_refused(cast):
    from anjian.core.models import Territory

    other_town = Territory.objects.create(
        name="邻镇", kind="town", parent=cast.other_district, code="990103101"
    )
    response = submit(Client(), form(cast, territory=other_town.pk))
    assert response.status_code == 400 and not Tip.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "ctype"),
    [
        ("evil.png", b"<?php system($_GET['c']); ?>", "image/png"),
        ("fake.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10, "image/jpeg"),
        ("doc.pdf", b"%PDF-1.4 hello", "application/pdf"),
    ],
)
def test_invalid_uploads_are_refused(cast, name, content, ctype):
    photo = SimpleUploadedFile(name, content, content_type=ctype)
    response = submit(Client(), {**form(cast), "photos": [photo]})
    assert response.status_code == 400
    assert "photos" in response.context["form"].errors
    assert not Tip.objects.exists() and not TipPhoto.objects.exists()


@pytest.mark.django_db
def test_oversized_and_too_many_uploads_are_refused(cast, png):
    big = SimpleUploadedFile("big.png", png() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    response = submit(Client(), {**form(cast), "photos": [big]})
    assert response.status_code == 400 and "5 MB" in str(response.context["form"].errors["photos"])
    many = [SimpleUploadedFile(f"{i}.png", png(), content_type="image/png") for i in range(4)]
    response = submit(Client(), {**form(cast), "photos": many})
    assert response.status_code == 400 and "最多" in str(response.context["form"].errors["photos"])
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_submissions_are_rate_limited_per_ip(cast):
    client = Client()
    for _ in range(throttle.TIP_SUBMIT.count):
        assert submit(client, form(cast)).status_code == 200
    response = submit(client, form(cast))
    assert response.status_code == 429
    assert Tip.objects.count() == throttle.TIP_SUBMIT.count
    # another address is not affected
    assert client.post(SUBMIT, form(cast), REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_script_injection_is_shown_inert(cast, client_for):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    submit(Client(), form(cast, content=payload, unit_name=payload))
    tip = Tip.objects.get()
    html = client_for(cast.office).get(tip.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    listing = client_for(cast.office).get("/operations/tips/").content.decode()
    assert "<img src=x" not in listing


@pytest.mark.django_db
def test_receipt_lookup_is_post_only_and_limited(cast):
    client = Client()
    response = submit(client, form(cast))
    code = response.context["code"]
    # GET with the code in the query string shows nothing about the tip
    page = client.get(STATUS, {"code": code})
    assert "tip" not in page.context
    found = client.post(STATUS, {"code": code.lower().replace("-", "")}, REMOTE_ADDR="10.0.0.9")
    assert found.status_code == 200 and found.context["public_status"] == "已受理，正在分办"
    assert "张三" not in found.content.decode()  # the reporter's own details are not echoed
    for _ in range(throttle.RECEIPT_FAIL.count):
        assert client.post(STATUS, {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR="10.0.0.7").status_code == 404
    # after too many wrong codes even the right one is refused from that address
    assert client.post(STATUS, {"code": code}, REMOTE_ADDR="10.0.0.7").status_code == 429


@pytest.mark.django_db
def test_qr_code_png(cast):
    response = Client().get("/public/tip/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


def _tip(cast, **extra):
    tip, _code = services.submit_tip(
        data={
            "content": "工地无防护",
            "territory": cast.village_b,
            "unit_name": cast.enterprise_b.name,
            "contact_phone": "138",
            **extra,
        }
    )
    return tip


@pytest.mark.django_db
def test_unit_name_matches_enterprise_in_county(cast):
    assert _tip(cast).enterprise == cast.enterprise_b


@pytest.mark.django_db
def test_suggested_assignee_follows_sector_then_town(cast):
    tip = _tip(cast)
    assert services.suggest_assignee(tip) == cast.town_b_org
    tip.sector = cast.construction
    assert services.suggest_assignee(tip) == cast.zhujian


@pytest.mark.django_db
def test_triage_verify_close_and_reward(cast, client_for):
    tip = _tip(cast, kind="major_hazard")
    due = timezone.localdate() + timedelta(days=10)
    with pytest.raises(Exception, match="不监管"):
        services.assign_tip(
            cast.office, tip, organisation=cast.yingji, due_date=due, sector=cast.construction
        )
    services.assign_tip(cast.office, tip, organisation=cast.zhujian, due_date=due, sector=cast.construction)
    tip.refresh_from_db()
    assert tip.status == TipStatus.ASSIGNED
    # a department that is not the assignee cannot verify
    with pytest.raises(Exception, match="承办单位"):
        services.verify_tip(cast.inspector, tip, founded=True, verification="x")
    # the page path: the assigned department verifies
    response = client_for(cast.inspector_other).post(
        f"/operations/tips/{tip.pk}/verify/", {"founded": "1", "verification": "属实，已责令整改。"}
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.VERIFIED
    reward = services.record_reward(cast.office, tip, fine_amount=100000)
    assert reward.amount == 15000
    with pytest.raises(Exception, match="已登记"):
        services.record_reward(cast.office, tip, fine_amount=100000)
    services.close_tip(cast.office, tip)
    tip.refresh_from_db()
    assert tip.status == TipStatus.CLOSED
    actions = {e.action for e in history_for(tip)}
    assert {
        "operations.tip_assigned",
        "operations.tip_verified",
        "operations.tip_rewarded",
        "operations.tip_closed",
    } <= actions


@pytest.mark.django_db
def test_unverified_tip_gets_no_reward_and_wrong_transition_refused(cast):
    tip = _tip(cast)
    with pytest.raises(Exception, match="属实"):
        services.record_reward(cast.office, tip, fine_amount=1)
    with pytest.raises(Exception, match="不能核查"):
        services.verify_tip(cast.office, tip, founded=True, verification="x")
    assert not TipReward.objects.exists()


@pytest.mark.django_db
def test_make_hazard_is_all_or_nothing(cast, monkeypatch):
    tip = _tip(cast)
    services.assign_tip(cast.office, tip, organisation=cast.town_b_org, due_date=timezone.localdate())

    def boom(user, tip, **kwargs):
        raise services.NotReady("隐患模块尚未提供登记服务")

    monkeypatch.setattr(services, "create_hazard_from_tip", boom)
    with pytest.raises(services.NotReady):
        services.verify_tip(cast.town_b_user, tip, founded=True, verification="属实", make_hazard=True)
    tip.refresh_from_db()
    assert tip.status == TipStatus.ASSIGNED and not tip.links.exists()


@pytest.mark.django_db
def test_hotline_intake_by_staff(cast, client_for):
    response = client_for(cast.office).post(
        "/operations/tips/add/",
        {
            **form(cast),
            "received_channel": "hotline_12345",
            "hotline_order_no": "12345-001",
            "territory": cast.town_a.pk,
        },
    )
    assert response.status_code == 302
    tip = Tip.objects.get()
    assert tip.channel == "hotline_12345" and tip.hotline_order_no == "12345-001"
    assert (
        client_for(cast.office)
        .post("/operations/tips/add/", {**form(cast), "received_channel": "hotline_12345"})
        .status_code
        == 400
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "list_status", "sees"),
    [
        ("office", 200, True),
        ("leader", 200, True),
        ("town_b_user", 200, True),
        ("town_a_user", 200, False),
        ("inspector_other", 200, True),
        ("inspector", 200, False),
        ("enterprise_b_user", 403, False),
        ("sys_admin", 403, False),
        ("outsider_office", 200, False),
    ],
)
def test_tip_page_permission_matrix(cast, client_for, user, list_status, sees):
    tip = _tip(cast)
    tip.sector = cast.construction
    tip.save()
    client = client_for(getattr(cast, user))
    assert client.get("/operations/tips/").status_code == list_status
    detail = client.get(f"/operations/tips/{tip.pk}/").status_code
    assert detail == (200 if sees else (403 if list_status == 403 else 404))
    api = client.get(f"/api/operations/tips/{tip.pk}/").status_code
    assert api == (200 if sees else (403 if list_status == 403 else 404))


@pytest.mark.django_db
def test_tip_list_export_and_query_count(cast, client_for, django_assert_max_num_queries):
    for _ in range(5):
        _tip(cast)
    client = client_for(cast.office)
    with django_assert_max_num_queries(12):
        assert client.get("/operations/tips/").status_code == 200
    export = client.get("/operations/tips/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.django_db
def test_api_assign_and_verify(cast, api_for):
    tip = _tip(cast)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = api_for(cast.office).post(
        f"/api/operations/tips/{tip.pk}/assign/",
        {"organisation": cast.town_b_org.pk, "due_date": due},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (
        api_for(cast.leader)
        .post(f"/api/operations/tips/{tip.pk}/verify/", {"founded": True, "verification": "x"}, format="json")
        .status_code
        == 403
    )
    response = api_for(cast.town_b_user).post(
        f"/api/operations/tips/{tip.pk}/verify/", {"founded": False, "verification": "不属实"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "unfounded"


@pytest.mark.django_db
def test_verified_tip_becomes_hazard_and_case_in_one_step(cast, client_for):
    from anjian.enforcement.models import Case
    from anjian.hazards.models import Hazard

    tip = _tip(cast)
    services.assign_tip(
        cast.office, tip, organisation=cast.zhujian, due_date=timezone.localdate(), sector=cast.construction
    )
    response = client_for(cast.inspector_other).post(
        f"/operations/tips/{tip.pk}/verify/",
        {
            "founded": "1",
            "verification": "脚手架未设防护网属实。",
            "make_hazard": "on",
            "hazard_grade": "general",
            "make_case": "on",
        },
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.VERIFIED, [str(m) for m in response.wsgi_request._messages]
    hazard = Hazard.objects.get()
    case = Case.objects.get()
    assert hazard.enterprise == cast.enterprise_b and hazard.source == "public_tip"
    assert case.source_kind == "tip" and case.hazard == hazard and tip.number in case.source_description
    assert [link.object_id for link in tip.links.all()] == [str(hazard.pk), str(case.pk)]
    # The case links back to the tip by reference, for those who may read tips.
    page = client_for(cast.inspector_other).get(case.get_absolute_url()).content.decode()
    assert f'href="{tip.get_absolute_url()}" data-testid="source-tip">{tip.number}</a>' in page
    assert services.tips_linked_to(case, cast.enterprise_b_user) == []  # who reads no tips sees no link
    hazard_page = client_for(cast.inspector_other).get(hazard.get_absolute_url()).content.decode()
    assert f'href="{tip.get_absolute_url()}" data-testid="source-tip">{tip.number}</a>' in hazard_page


@pytest.mark.django_db
def test_tip_without_unit_cannot_become_hazard_and_nothing_is_saved(cast, client_for):
    tip, _ = services.submit_tip(
        data={"content": "路边有人卖烟花", "territory": cast.town_b, "contact_phone": "1"}
    )
    services.assign_tip(cast.office, tip, organisation=cast.town_b_org, due_date=timezone.localdate())
    response = client_for(cast.town_b_user).post(
        f"/operations/tips/{tip.pk}/verify/",
        {"founded": "1", "verification": "属实", "make_hazard": "on", "hazard_grade": "general"},
    )
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.status == TipStatus.ASSIGNED and not tip.links.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "status"),
    [("sys_admin", 403), ("enterprise_b_user", 403), ("leader", 403), ("town_a_user", 404)],
)
def test_tip_actions_refused_by_role_or_scope(cast, client_for, user, status):
    tip = _tip(cast)
    response = client_for(getattr(cast, user)).post(f"/operations/tips/{tip.pk}/reject/", {"reason": "重复"})
    assert response.status_code == status
    tip.refresh_from_db()
    assert tip.status == TipStatus.RECEIVED
