"""Services: registration, the guards that are more than role × state, numbering, photos, overdue, history."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.core.models import AuditEntry
from anjian.hazards import services
from anjian.hazards.models import ExtensionRequest, Hazard, MajorHazardCriterion, Status
from anjian.hazards.workflow import TransitionRefused

from .conftest import make_hazard, png, valid_data

TODAY = timezone.localdate


def register(cast, **kw):
    values = dict(
        actor=cast.inspector, enterprise=cast.enterprise_a, description="静电接地断开", grade="general"
    )
    values.update(kw)
    return services.register_hazard(**values)


def test_register_assigns_sequential_numbers_and_history(cast):
    first = register(cast)
    second = register(cast)
    year = TODAY().year
    assert first.number == f"YH{year}0000001" and second.number == f"YH{year}0000002"
    assert first.territory_path == cast.enterprise_a.territory.path
    assert first.sector == cast.hazchem  # the unit's only sector
    assert first.status == Status.REGISTERED and first.found_by == cast.inspector
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="hazard.registered").exists()


def test_voided_number_is_never_reused(cast):
    first = register(cast)
    services.void_hazard(first, actor=cast.office, reason="重复登记")
    assert Hazard.objects.filter(pk=first.pk, status=Status.VOIDED).exists()
    again = register(cast)
    assert again.number != first.number


def test_major_requires_a_clause_of_the_sectors_standard(cast):
    with pytest.raises(ValidationError) as exc:
        register(cast, grade="major")
    assert "判定标准" in str(exc.value)
    wrong_sector = MajorHazardCriterion.objects.filter(sector=cast.construction).first()
    with pytest.raises(ValidationError):
        register(cast, grade="major", major_criterion=wrong_sector)
    clause = MajorHazardCriterion.objects.filter(sector=cast.hazchem).first()
    hazard = register(cast, grade="major", major_criterion=clause)
    assert hazard.major_criterion == clause and clause.text in hazard.major_clause


def test_registration_scope(cast):
    # 住建 inspector: 危险化学品 is not their sector (管行业必须管安全).
    with pytest.raises(TransitionRefused, match=r"监管范围|行业领域"):
        register(cast, actor=cast.inspector_other)
    with pytest.raises(TransitionRefused, match="监管范围"):
        register(cast, actor=cast.town_b_user)  # another town
    with pytest.raises(TransitionRefused, match="本单位"):
        register(cast, actor=cast.enterprise_b_user)
    with pytest.raises(TransitionRefused, match="企业自查"):
        register(cast, actor=cast.enterprise_a_user, source="department")
    with pytest.raises(TransitionRefused, match="角色"):
        register(cast, actor=cast.leader)
    assert register(cast, actor=cast.enterprise_a_user, source="self_check").source == "self_check"
    assert register(cast, actor=cast.town_a_user).pk


def test_on_the_spot_short_path_records_who_confirmed(cast):
    hazard = register(cast, rectified_on_spot=True, confirmed_by=cast.town_a_user)
    assert hazard.status == Status.CLOSED and hazard.rectified_on_spot
    assert hazard.confirmed_by == cast.town_a_user and hazard.closed_at
    assert AuditEntry.objects.filter(object_id=str(hazard.pk), action="hazard.closed_on_spot").exists()
    clause = MajorHazardCriterion.objects.filter(sector=cast.hazchem).first()
    with pytest.raises(TransitionRefused, match="重大"):
        register(cast, grade="major", major_criterion=clause, rectified_on_spot=True)
    assert not Hazard.objects.filter(grade="major").exists()  # rolled back: nothing half-registered


def test_acceptance_by_someone_other_than_the_reporter(cast):
    hazard = make_hazard(cast, "rectifying")
    services.report_rectification(hazard, actor=cast.inspector, note="代为上报", photos=[png()])
    with pytest.raises(TransitionRefused, match="整改报告人以外"):
        services.accept_rectification(hazard, actor=cast.inspector)
    services.accept_rectification(hazard, actor=cast.office)
    hazard.refresh_from_db()
    assert hazard.status == Status.ACCEPTED and hazard.reviewed_by == cast.office


def test_enterprise_only_own_unit(cast):
    hazard = make_hazard(cast, "rectifying", enterprise=cast.enterprise_b)
    with pytest.raises(TransitionRefused):
        services.report_rectification(hazard, actor=cast.enterprise_a_user, note="x", photos=[png()])


def test_out_of_scope_inspector_refused(cast):
    hazard = make_hazard(cast, "reported")
    with pytest.raises(TransitionRefused, match="数据范围"):
        services.accept_rectification(hazard, actor=cast.inspector_other)
    with pytest.raises(TransitionRefused, match="数据范围"):
        services.accept_rectification(hazard, actor=cast.outsider_office)


def test_report_needs_evidence(cast):
    hazard = make_hazard(cast, "rectifying")
    with pytest.raises(TransitionRefused, match="整改情况"):
        services.report_rectification(hazard, actor=cast.enterprise_a_user, note="", photos=[png()])
    with pytest.raises(TransitionRefused, match="整改后照片"):
        services.report_rectification(hazard, actor=cast.enterprise_a_user, note="已整改")
    services.report_rectification(
        hazard, actor=cast.enterprise_a_user, note="已整改", money_spent="120.5", photos=[png()]
    )
    hazard.refresh_from_db()
    assert hazard.status == Status.REPORTED and str(hazard.money_spent) == "120.50"
    assert hazard.photos.filter(kind="after").count() == 1


def test_photo_type_and_size_validated(cast, settings):
    hazard = make_hazard(cast, "rectifying")
    fake = SimpleUploadedFile("after.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        services.report_rectification(hazard, actor=cast.enterprise_a_user, note="x", photos=[fake])
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="文件类型不支持"):
        services.validate_photo(exe)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (services.PHOTO_MAX_BYTES + 1))
    with pytest.raises(ValidationError, match="10 MB"):
        services.validate_photo(big)
    assert Hazard.objects.get(pk=hazard.pk).status == Status.RECTIFYING


def test_major_plan_needs_the_five_elements(cast):
    hazard = make_hazard(cast, "registered", grade="major")
    data = valid_data("set_plan")
    with pytest.raises(TransitionRefused) as exc:
        services.set_plan(
            hazard, actor=cast.enterprise_a_user, **{**data, "funds": None, "emergency_plan": ""}
        )
    assert "五落实" in exc.value.reason and "整改资金" in exc.value.reason and "应急预案" in exc.value.reason
    with pytest.raises(TransitionRefused, match="不能早于今天"):
        services.set_plan(
            hazard, actor=cast.enterprise_a_user, **{**data, "deadline": TODAY() - timedelta(days=1)}
        )
    services.set_plan(hazard, actor=cast.enterprise_a_user, **data)
    hazard.refresh_from_db()
    assert hazard.status == Status.PLAN_SET and hazard.deadline == data["deadline"] and hazard.funds == 5000
    # A general hazard's plan does not need funds nor an emergency plan.
    general = make_hazard(cast, "registered")
    services.set_plan(
        general,
        actor=cast.enterprise_a_user,
        measures="m",
        responsible_person="p",
        deadline=TODAY() + timedelta(days=3),
    )


def test_major_acceptance_and_closure_by_the_department_not_the_town(cast):
    hazard = make_hazard(cast, "reported", grade="major")
    with pytest.raises(TransitionRefused, match="负有安全生产监督管理职责的部门"):
        services.accept_rectification(hazard, actor=cast.town_a_user)
    services.accept_rectification(hazard, actor=cast.inspector)
    with pytest.raises(TransitionRefused, match="负有安全生产监督管理职责的部门"):
        services.close_hazard(hazard, actor=cast.town_a_user)
    services.close_hazard(hazard, actor=cast.inspector)


def test_stop_order_released_only_through_resumption_approval(cast):
    hazard = make_hazard(cast, "rectifying", grade="major")
    services.order_stop(hazard, actor=cast.inspector, kind="total")
    hazard.refresh_from_db()
    hazard.status = Status.ACCEPTED
    hazard.save()
    with pytest.raises(TransitionRefused, match="复产审批"):
        services.close_hazard(hazard, actor=cast.inspector)
    services.approve_resumption(hazard, actor=cast.office, note="现场审查合格")
    services.close_hazard(hazard, actor=cast.inspector)
    hazard.refresh_from_db()
    assert hazard.status == Status.CLOSED and hazard.resumption_approved_by == cast.office


def test_listed_supervision_only_the_supervising_body_accepts_and_closes(cast):
    hazard = make_hazard(cast, "rectifying", grade="major")
    with pytest.raises(TransitionRefused, match="限期销号"):
        services.list_supervision(hazard, actor=cast.office, deadline=None)
    listing = services.list_supervision(hazard, actor=cast.office, deadline=TODAY() + timedelta(days=30))
    assert listing.level == 2 and listing.supervising_org == cast.office_org  # 县级 by the district office
    hazard.refresh_from_db()
    assert hazard.supervising_org == cast.office_org
    # A town cannot list it again at a lower level.
    with pytest.raises(TransitionRefused, match="同级或上级"):
        services.list_supervision(hazard, actor=cast.town_a_user, deadline=TODAY() + timedelta(days=30))
    services.report_rectification(hazard, actor=cast.enterprise_a_user, note="已治理", photos=[png()])
    with pytest.raises(TransitionRefused, match="督办机构"):
        services.accept_rectification(hazard, actor=cast.inspector)
    services.accept_rectification(hazard, actor=cast.office)
    services.close_hazard(hazard, actor=cast.office)
    listing.refresh_from_db()
    assert not listing.is_active and listing.delisted_at  # 摘牌 with the closure


def test_general_hazard_listed_only_when_overdue(cast):
    hazard = make_hazard(cast, "rectifying", deadline=TODAY() + timedelta(days=1))
    with pytest.raises(TransitionRefused, match="逾期"):
        services.list_supervision(hazard, actor=cast.town_a_user, deadline=TODAY() + timedelta(days=10))
    Hazard.objects.filter(pk=hazard.pk).update(deadline=TODAY() - timedelta(days=1))
    listing = services.list_supervision(hazard, actor=cast.town_a_user, deadline=TODAY() + timedelta(days=10))
    assert listing.level == 1 and listing.supervising_org == cast.town_a_org


def test_extension_request_and_approval(cast):
    hazard = make_hazard(cast, "rectifying")
    old = hazard.deadline
    with pytest.raises(TransitionRefused, match="晚于原整改期限"):
        services.request_extension(hazard, actor=cast.enterprise_a_user, new_deadline=old, reason="x")
    services.request_extension(
        hazard, actor=cast.enterprise_a_user, new_deadline=old + timedelta(days=30), reason="设备到货晚"
    )
    with pytest.raises(TransitionRefused, match="待审批"):
        services.request_extension(
            hazard, actor=cast.enterprise_a_user, new_deadline=old + timedelta(days=40), reason="再延"
        )
    services.decide_extension(hazard, actor=cast.inspector, approve=True, note="同意")
    hazard.refresh_from_db()
    assert hazard.deadline == old + timedelta(days=30)
    assert ExtensionRequest.objects.get(hazard=hazard).status == "approved"
    with pytest.raises(TransitionRefused, match="没有待审批"):
        services.decide_extension(hazard, actor=cast.inspector, approve=False)


def test_reject_then_accept_keeps_both_reviews(cast):
    hazard = make_hazard(cast, "reported")
    with pytest.raises(TransitionRefused, match="理由"):
        services.reject_rectification(hazard, actor=cast.inspector, reason=" ")
    services.reject_rectification(hazard, actor=cast.inspector, reason="接地电阻未检测")
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING
    services.report_rectification(hazard, actor=cast.enterprise_a_user, note="已检测", photos=[png()])
    services.accept_rectification(hazard, actor=cast.inspector)
    reviews = list(hazard.reviews.order_by("id"))
    assert [r.accepted for r in reviews] == [False, True]
    assert reviews[0].number != reviews[1].number and "〔" in reviews[0].number


def test_reopen_with_reason_visible_in_history(cast):
    hazard = make_hazard(cast, "closed")
    services.reopen_hazard(hazard, actor=cast.inspector, reason="复查发现反弹")
    hazard.refresh_from_db()
    assert hazard.status == Status.RECTIFYING and hazard.closed_at is None
    entry = AuditEntry.objects.get(object_id=str(hazard.pk), action="hazard.reopened")
    assert entry.message == "复查发现反弹" and entry.actor == cast.inspector


def test_refresh_overdue_flags_and_unflags(cast):
    late = make_hazard(cast, "rectifying", deadline=TODAY() - timedelta(days=2))
    fine = make_hazard(cast, "rectifying", deadline=TODAY() + timedelta(days=2))
    done = make_hazard(cast, "closed", deadline=TODAY() - timedelta(days=2), is_overdue=True)
    assert services.refresh_overdue() == 1
    assert services.refresh_overdue() == 0  # idempotent
    flags = dict(Hazard.objects.values_list("pk", "is_overdue"))
    assert flags == {late.pk: True, fine.pk: False, done.pk: False}


def test_notifications_only_after_commit(cast, django_capture_on_commit_callbacks):
    from anjian.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(cast)
    assert callbacks and not Notification.objects.exists()
    for callback in callbacks:
        callback()
    assert Notification.objects.filter(recipient=cast.enterprise_a_user).exists()


def test_overdue_scan_command(cast):
    from django.core.management import call_command

    late = make_hazard(cast, "rectifying", deadline=TODAY() - timedelta(days=2))
    call_command("hazard_overdue_scan")
    assert Hazard.objects.get(pk=late.pk).is_overdue
