from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anjian.core.demo import clock_at
from anjian.core.models import AuditEntry
from anjian.supervision import services
from anjian.supervision.models import AssignmentStatus, ProgressReport, SourceKind, TaskStatus

from .factories import issue

pytestmark = pytest.mark.django_db


def test_issue_numbers_gap_free_and_assigns_units(cast):
    first = issue(cast, lead=[cast.yingji, cast.town_a_org], assisting=[cast.zhujian])
    second = issue(cast)
    year = timezone.localdate().year
    assert first.number == f"测安督〔{year}〕1号"
    assert second.number == f"测安督〔{year}〕2号"
    roles = sorted((a.unit.name, a.role) for a in first.assignments.all())
    assert roles == [("乙镇人民政府", "lead")][:0] or len(roles) == 3
    assert first.status == TaskStatus.OPEN
    assert AuditEntry.objects.filter(action="supervision.issued", object_id=str(first.pk)).count() == 1
    assigned = issue(cast, kind="assign")
    assert assigned.number == f"测安交〔{year}〕1号"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"lead": []}, "lead_units"),
        ({"days": -1}, "deadline"),
        ({"assisting": "same"}, "assisting_units"),
    ],
)
def test_issue_refuses_bad_input_in_chinese(cast, changes, field):
    if changes.get("assisting") == "same":
        changes = {"assisting": [cast.yingji]}
    with pytest.raises(ValidationError) as caught:
        issue(cast, **changes)
    assert field in caught.value.message_dict
    assert all("\u4e00" <= m[0] <= "\u9fff" or m[0] in "“" for m in caught.value.message_dict[field])


def test_issue_refuses_units_of_another_district_and_foreign_issuer(cast):
    other = cast.outsider_office.organisation
    with pytest.raises(ValidationError) as caught:
        issue(cast, lead=[other])
    assert "lead_units" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.issue_task(
            by=cast.office,
            issuer=other,
            title="x",
            content="y",
            lead_units=[cast.yingji],
            deadline=timezone.localdate(),
        )
    assert "issuer" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.issue_task(
            by=cast.inspector,
            issuer=cast.office_org,
            title="x",
            content="y",
            lead_units=[cast.zhujian],
            deadline=timezone.localdate(),
        )


def test_source_is_frozen_and_notice_by_hand(cast):
    task = issue(cast, source=cast.enterprise_a)
    assert task.source_kind == SourceKind.OTHER
    assert "甲化工有限公司" in task.source_label
    assert task.source_id == str(cast.enterprise_a.pk)
    notice = issue(cast, notice_title="关于开展安全生产大检查的通知", notice_number="测安〔2026〕1号")
    assert notice.source_kind == SourceKind.NOTICE
    assert notice.source_text == "关于开展安全生产大检查的通知（测安〔2026〕1号）"


def test_full_flow_completes_when_every_lead_accepted(cast):
    task = issue(cast, lead=[cast.yingji, cast.town_a_org], assisting=[cast.zhujian])
    yingji = task.assignments.get(unit=cast.yingji)
    town = task.assignments.get(unit=cast.town_a_org)
    pdf = SimpleUploadedFile("检查台账.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.report_progress(yingji, by=cast.inspector, text="已检查 12 家", files=[pdf])
    assert yingji.status == AssignmentStatus.IN_PROGRESS
    services.report_progress(yingji, by=cast.inspector, text="全部完成", final=True)
    assert yingji.status == AssignmentStatus.REPORTED and not yingji.reported_late
    services.send_back(yingji, by=cast.office, reason="缺少整改清单")
    assert yingji.status == AssignmentStatus.RETURNED and yingji.return_count == 1
    services.report_progress(yingji, by=cast.inspector, text="补充清单", final=True)
    services.accept(yingji, by=cast.office)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN  # the town's part is still open
    services.report_progress(town, by=cast.town_a_user, text="完成", final=True)
    services.accept(town, by=cast.office, opinion="同意办结")
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED  # 协办 need not be accepted
    assert AuditEntry.objects.filter(action="supervision.completed", object_id=str(task.pk)).exists()


def test_only_the_unit_reports_and_only_the_issuer_accepts(cast):
    task = issue(cast)
    part = task.assignments.get()
    for user in (cast.inspector_other, cast.town_a_user, cast.leader, cast.office):
        with pytest.raises(PermissionDenied):
            services.report_progress(part, by=user, text="x")
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    for user in (cast.inspector, cast.outsider_office, cast.leader):
        with pytest.raises(PermissionDenied):
            services.accept(part, by=user)


def test_the_reporter_never_accepts(cast):
    task = issue(cast)
    part = task.assignments.get()
    services.report_progress(part, by=cast.inspector, text="完成", final=True)
    assert services.refusal(part, "accept", cast.office) is None
    assert services.refusal(part, "accept", cast.inspector) == "只有督办单位（安委办）可以验收或退回。"
    # Were an office member ever the one who reported (e.g. filling in for the unit), they may not accept it.
    ProgressReport.objects.create(assignment=part, text="代报", is_final=True, reported_by=cast.office)
    assert services.refusal(part, "accept", cast.office) == "报送人不能验收自己报送的材料。"


def test_late_completion_report_is_marked_for_good(cast):
    task = issue(cast, days=1)
    part = task.assignments.get()
    later = timezone.now() + timedelta(days=3)
    with clock_at(later):
        services.report_progress(part, by=cast.inspector, text="完成", final=True)
    part.refresh_from_db()
    assert part.reported_late and part.reports.get().late
    services.send_back(part, by=cast.office, reason="不完整")
    services.report_progress(part, by=cast.inspector, text="补齐", final=True)
    services.accept(part, by=cast.office)
    part.refresh_from_db()
    assert part.reported_late  # stays


def test_extension_moves_the_deadline(cast):
    task = issue(cast, days=3)
    part = task.assignments.get()
    new = part.deadline + timedelta(days=10)
    with pytest.raises(ValidationError):
        services.request_extension(part, by=cast.inspector, new_deadline=part.deadline, reason="x")
    request = services.request_extension(part, by=cast.inspector, new_deadline=new, reason="企业多")
    with pytest.raises(PermissionDenied):
        services.decide_extension(request, by=cast.inspector, approve=True)
    services.decide_extension(request, by=cast.office, approve=True)
    part.refresh_from_db()
    assert part.deadline == new


def test_attachments_checked_by_content(cast):
    part = issue(cast).assignments.get()
    fake = SimpleUploadedFile("报告.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        services.report_progress(part, by=cast.inspector, text="x", files=[fake])
    exe = SimpleUploadedFile("a.exe", b"MZ")
    with pytest.raises(ValidationError, match="文件类型不支持"):
        services.report_progress(part, by=cast.inspector, text="x", files=[exe])
    assert part.reports.count() == 0


def test_visibility(cast):
    task = issue(cast, lead=[cast.yingji], assisting=[cast.town_a_org])
    assert task in services.visible_tasks(cast.office)
    assert task in services.visible_tasks(cast.leader)
    assert task in services.visible_tasks(cast.inspector)
    assert task in services.visible_tasks(cast.town_a_user)
    for user in (
        cast.inspector_other,
        cast.town_b_user,
        cast.outsider_office,
        cast.grid_a_user,
        cast.sys_admin,
    ):
        assert task not in services.visible_tasks(user)


def test_a_lower_office_as_unit_sees_and_reports(cast):
    from anjian.core.models import Organisation, OrganisationKind
    from anjian.core.roles import Role
    from anjian.core.testing import make_user

    town_office = Organisation.objects.create(
        name="甲镇安委办", kind=OrganisationKind.OFFICE, territory=cast.town_a
    )
    staff = make_user("town_office", Role.OFFICE, cast.town_a, town_office)
    task = issue(cast, lead=[town_office])
    assert task in services.visible_tasks(staff)
    part = task.assignments.get()
    assert list(services.visible_assignments(staff)) == [part]
    services.report_progress(part, by=staff, text="完成", final=True)
    assert services.refusal(part, "accept", staff) == "只有督办单位（安委办）可以验收或退回。"
    services.accept(part, by=cast.office)
    # The town office cannot issue as the district's bodies, nor to the district's departments.
    assert list(services.issuer_choices(staff)) == [town_office]
    with pytest.raises(ValidationError):
        services.issue_task(
            by=staff,
            issuer=town_office,
            title="x",
            content="y",
            lead_units=[cast.yingji],
            deadline=timezone.localdate(),
        )


def test_assisting_parts_stop_when_the_task_is_completed(cast):
    with clock_at(timezone.now() - timedelta(days=5)):
        task = issue(cast, lead=[cast.yingji], assisting=[cast.town_a_org], days=1)
    helper = task.assignments.get(unit=cast.town_a_org)
    assert helper.is_overdue()
    lead = task.assignments.get(unit=cast.yingji)
    services.report_progress(lead, by=cast.inspector, text="完成", final=True)
    services.accept(lead, by=cast.office)
    helper.refresh_from_db()
    assert not helper.is_overdue()
    assert services.refusal(helper, "progress", cast.town_a_user) == "督办事项已办结，无需再报送。"
    assert services.summary(cast.office)["overdue"] == 0
