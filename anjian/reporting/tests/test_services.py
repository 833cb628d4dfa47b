"""Generation, receivers, metrics, filling, freezing, late marking, summing and the HZ-16 signature."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.audit import history_for
from anjian.core.demo import clock_at
from anjian.reporting import metrics, services
from anjian.reporting.models import Report, ReportStatus, TemplateField
from anjian.reporting.periods import ReportPeriod

from .conftest import aware, make_hazard, report_of

OCTOBER = ReportPeriod(date(2026, 10, 1), date(2026, 10, 31), "2026年10月")


def test_generation_is_idempotent(cast, monthly):
    first = services.generate_reports(date(2026, 11, 2), templates=[monthly])
    # Two towns × (September, October).
    assert first.created == 4
    again = services.generate_reports(date(2026, 11, 2), templates=[monthly])
    assert again.created == 0 and again.existing == 4
    later = services.generate_reports(date(2026, 12, 1), templates=[monthly])
    assert later.created == 2  # November
    assert Report.objects.filter(template=monthly).count() == 6


def test_generated_report_due_date_and_receiver(cast, generated):
    report = report_of(generated, cast.town_a_org)
    assert report.due_date == date(2026, 11, 5)
    assert report.period_label == "2026年10月"
    # A town reports to the 安委办 of the level above.
    assert list(report.receivers.all()) == [cast.office_org]
    assert report.territory_path == cast.town_a.path
    assert report.status == ReportStatus.PENDING


def test_hz16_receivers_are_the_supervising_department_and_the_town(cast, hz16):
    """HZ-16: the enterprise's table goes to the department supervising its sector and to its town."""
    services.generate_reports(date(2026, 10, 2), templates=[hz16])
    report = report_of(hz16, enterprise=cast.enterprise_a, start=date(2026, 7, 1))
    assert set(report.receivers.all()) == {cast.yingji, cast.town_a_org}
    assert report.due_date == date(2026, 10, 15)  # T-HZ-16a
    assert set(report.sectors.all()) == {cast.hazchem}


def test_metrics_equal_hand_counted_fixtures(cast):
    make_hazard(cast, found_on=date(2026, 10, 3))
    make_hazard(cast, found_on=date(2026, 10, 20), grade="major")
    make_hazard(cast, found_on=date(2026, 10, 21), status="voided", void_reason="重复")
    make_hazard(cast, found_on=date(2026, 9, 30))  # before the period
    make_hazard(cast, enterprise=cast.enterprise_b, found_on=date(2026, 10, 5))  # town B
    town_a = metrics.Unit.of_organisation(cast.town_a_org)
    district = metrics.Unit.of_organisation(cast.office_org)
    yingji = metrics.Unit.of_organisation(cast.yingji)
    enterprise = metrics.Unit(enterprise_id=cast.enterprise_a.pk)
    assert metrics.value("hazards_found", town_a, OCTOBER) == 2
    assert metrics.value("hazards_major_found", town_a, OCTOBER) == 1
    assert metrics.value("hazards_found", district, OCTOBER) == 3
    assert metrics.value("hazards_found", yingji, OCTOBER) == 2  # 危险化学品 only
    assert metrics.value("hazards_found", enterprise, OCTOBER) == 2
    # A part of a month is counted on the rows, with the same answer.
    first_half = ReportPeriod(date(2026, 10, 1), date(2026, 10, 15), "")
    assert metrics.value("hazards_found", town_a, first_half) == 1


def test_every_metric_answers_in_one_query(cast, django_assert_max_num_queries):
    unit = metrics.Unit.of_organisation(cast.town_a_org)
    for key in metrics.REGISTRY:
        with django_assert_max_num_queries(1):
            value = metrics.value(key, unit, OCTOBER)
        assert value is not None, key


def test_opening_prefills_and_submission_freezes(cast, generated):
    make_hazard(cast, found_on=date(2026, 10, 3))
    report = report_of(generated, cast.town_a_org)
    report = services.refresh_auto(report, cast.town_a_user)
    assert report.values["hazards_found"] == 1
    assert report.status == ReportStatus.DRAFT
    with clock_at(aware(date(2026, 11, 4))):
        report = services.submit(
            report, cast.town_a_user, values={"meetings": "3"}, narrative="开展排查", signer_name="甲镇长"
        )
    assert report.status == ReportStatus.SUBMITTED and not report.is_late
    # Later hazards and a changed template do not change the submitted report.
    make_hazard(cast, found_on=date(2026, 10, 9))
    TemplateField.objects.filter(template=generated, key="meetings").update(label="改名后的字段")
    report.refresh_from_db()
    assert report.values["hazards_found"] == 1
    assert next(d for d in services.definitions_of(report) if d["key"] == "meetings")["label"] == "召开会议"
    with pytest.raises(PermissionDenied):
        services.refresh_auto(report, cast.town_a_user)
    actions = [e.action for e in history_for(report)]
    assert "reporting.submitted" in actions and "reporting.autofilled" in actions


def test_hand_values_are_validated_in_chinese(cast, generated):
    report = report_of(generated, cast.town_a_org)
    with pytest.raises(ValidationError) as exc:
        services.save_draft(report, cast.town_a_user, {"meetings": "三次", "funds": "abc"})
    assert "“召开会议”应填写整数。" in exc.value.messages
    assert "“安全投入”应填写数字。" in exc.value.messages


def test_required_fields_and_signer(cast, generated):
    report = report_of(generated, cast.town_a_org)
    with pytest.raises(ValidationError) as exc:
        services.submit(report, cast.town_a_user)
    assert "“召开会议”为必填项。" in exc.value.messages
    assert "请填写签字人（单位负责人）。" in exc.value.messages
    assert Report.objects.get(pk=report.pk).status != ReportStatus.SUBMITTED


def test_late_is_permanent_and_missing_until_submitted(cast, generated):
    report = report_of(generated, cast.town_a_org)
    assert report.timeliness(date(2026, 11, 6)) == "未报"
    assert report.timeliness(date(2026, 11, 5)) == "待报"
    with clock_at(aware(date(2026, 11, 9))):
        report = services.submit(report, cast.town_a_user, values={"meetings": "1"}, signer_name="甲镇长")
    assert report.is_late and report.timeliness(date(2026, 11, 9)) == "迟报"
    report = services.return_report(report, cast.office, "数据有误")
    report = services.submit(report, cast.town_a_user, values={"meetings": "2"})
    assert report.is_late  # never cleared
    assert "reporting.submitted_late" in [e.action for e in history_for(report)]


def test_only_the_reporter_fills_and_only_the_receiver_returns(cast, generated):
    report = report_of(generated, cast.town_a_org)
    for outsider in (cast.town_b_user, cast.office, cast.leader, cast.inspector):
        with pytest.raises(PermissionDenied):
            services.save_draft(report, outsider, {"meetings": "1"})
    services.submit(report, cast.town_a_user, values={"meetings": "1"}, signer_name="甲镇长")
    with pytest.raises(PermissionDenied):
        services.return_report(report, cast.town_b_user, "不对")
    with pytest.raises(ValidationError):
        services.return_report(report, cast.office, "  ")
    report = services.confirm_report(report, cast.office)
    assert report.status == ReportStatus.CONFIRMED
    assert services.refusal(cast.office, report, "return") == "报表当前为“已确认”，不能退回。"


def test_hz16_without_the_principal_signature_is_not_submitted(cast, hz16):
    """T-HZ-16b (HZ-16): a statistics table not signed by the 主要负责人 is not submitted."""
    services.generate_reports(date(2026, 10, 2), templates=[hz16])
    report = report_of(hz16, enterprise=cast.enterprise_a, start=date(2026, 7, 1))
    user = cast.enterprise_a_user
    with pytest.raises(ValidationError) as exc:
        services.submit(report, user, signer_name="黄安全", signer_confirmed=True)
    assert "签字人须为本单位主要负责人（黄宏达）。" in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        services.submit(report, user, signer_name="黄宏达", signer_confirmed=False)
    assert any("不视为已报送" in m for m in exc.value.messages)
    assert Report.objects.get(pk=report.pk).status != ReportStatus.SUBMITTED
    report = services.submit(report, user, signer_name="黄宏达", signer_confirmed=True)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == user


def test_hz16_without_a_registered_principal_cannot_be_submitted(cast, hz16):
    """T-HZ-16b (HZ-16): no 主要负责人 on record → nothing can be signed."""
    services.generate_reports(date(2026, 10, 2), templates=[hz16])
    cast.enterprise_a.principal_name = ""
    cast.enterprise_a.save()
    report = report_of(hz16, enterprise=cast.enterprise_a, start=date(2026, 7, 1))
    with pytest.raises(ValidationError) as exc:
        services.submit(report, cast.enterprise_a_user, signer_name="", signer_confirmed=True)
    assert any("尚未登记主要负责人" in m for m in exc.value.messages)


def test_summing_over_submitted_reports_only(cast, generated):
    a = report_of(generated, cast.town_a_org)
    b = report_of(generated, cast.town_b_org)
    services.submit(
        a, cast.town_a_user, values={"meetings": "2", "funds": "10.5"}, narrative="甲镇情况", signer_name="甲"
    )
    services.save_draft(b, cast.town_b_user, {"meetings": "7"})  # a draft is not summed
    summary = services.summarise(
        Report.objects.filter(template=generated, period_start=date(2026, 10, 1)), generated
    )
    assert summary.totals["meetings"] == 2
    assert summary.totals["funds"] == Decimal("10.50")
    assert "note" not in summary.totals
    assert summary.narratives == [("甲镇人民政府", "甲镇情况")]
    services.submit(b, cast.town_b_user, signer_name="乙")
    summary = services.summarise(
        Report.objects.filter(template=generated, period_start=date(2026, 10, 1)), generated
    )
    assert summary.totals["meetings"] == 9


def test_aggregate_from_sub_reports(cast, generated):
    """汇总生成: the district office's own report sums the towns' reports it received."""
    from .conftest import MONTHLY_FIELDS, make_template

    upward = make_template(
        cast,
        MONTHLY_FIELDS,
        name="区级月报",
        reporter_kind="offices",
        aggregate_from=generated,
        owner=cast.office_org,
    )
    # The city is not in the cast: the district office reports to nobody, yet its report is generated.
    from anjian.core.models import Organisation

    city_office = Organisation.objects.create(
        name="测试市安委办", kind="office", territory=cast.district.parent
    )
    upward.owner = city_office
    upward.territory = cast.district.parent
    upward.save()
    services.generate_reports(date(2026, 11, 2), templates=[upward])
    own = Report.objects.get(template=upward, reporter_org=cast.office_org, period_start=date(2026, 10, 1))
    assert list(own.receivers.all()) == [city_office]
    services.submit(
        report_of(generated, cast.town_a_org),
        cast.town_a_user,
        values={"meetings": "2"},
        narrative="甲",
        signer_name="甲",
    )
    services.submit(
        report_of(generated, cast.town_b_org),
        cast.town_b_user,
        values={"meetings": "3"},
        narrative="乙",
        signer_name="乙",
    )
    own = services.aggregate_from_sub_reports(own, cast.office)
    assert own.values["meetings"] == 5
    assert "【甲镇人民政府】甲" in own.narrative and "【乙镇人民政府】乙" in own.narrative


def test_template_change_bumps_version(cast, monthly):
    from anjian.reporting.forms import FieldForm

    form = FieldForm(
        {"key": "x", "label": "新字段", "kind": "integer", "source": "auto", "metric": "no_such", "order": 9},
        user=cast.office,
        template=monthly,
    )
    assert not form.is_valid()
    assert form.errors["metric"] == ["未知的平台指标“no_such”。"]
    form = FieldForm(
        {
            "key": "x",
            "label": "新字段",
            "kind": "integer",
            "source": "auto",
            "metric": "accidents",
            "order": 9,
        },
        user=cast.office,
        template=monthly,
    )
    assert form.is_valid(), form.errors
    services.save_field(form, cast.office)
    monthly.refresh_from_db()
    assert monthly.version == 2
