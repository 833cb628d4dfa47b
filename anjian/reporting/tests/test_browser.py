"""A town submits its monthly report, whose figures were filled from the platform, and the district office
sees the sum of the towns' figures."""

from datetime import date

import pytest

from .conftest import MONTHLY_FIELDS, make_hazard, make_template, report_of

pytestmark = pytest.mark.browser


def test_town_submits_and_district_sees_the_sum(live_cast, page, login):
    from anjian.reporting import services

    cast = live_cast
    template = make_template(cast, MONTHLY_FIELDS)
    make_hazard(cast, found_on=date(2026, 10, 3))
    make_hazard(cast, found_on=date(2026, 10, 12), grade="major")
    make_hazard(cast, enterprise=cast.enterprise_b, found_on=date(2026, 10, 8))
    services.generate_reports(date(2026, 11, 2), templates=[template])
    services.submit(
        report_of(template, cast.town_b_org), cast.town_b_user, values={"meetings": "4"}, signer_name="乙镇长"
    )
    report = report_of(template, cast.town_a_org)
    base = page.base_url

    login(page, cast.town_a_user)
    page.goto(f"{base}/reporting/?mine=true")
    page.click(f"a[href='/reporting/{report.pk}/']")
    page.click("[data-testid=fill-report]")
    # Figures from the platform are filled in and cannot be typed over.
    assert page.input_value("#id_v_hazards_found") == "2"
    assert page.input_value("#id_v_hazards_major_found") == "1"
    assert page.is_disabled("#id_v_hazards_found")
    page.fill("#id_v_meetings", "3")
    page.fill("#id_narrative", "召开安委会会议，开展危化品专项检查。")
    page.fill("#id_signer_name", "甲镇长")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=report-status]:has-text('已报送')")
    assert page.inner_text("[data-testid=value-hazards_found]") == "2"

    login(page, cast.office)
    page.goto(f"{base}/reporting/summary/?template={template.pk}&period=2026-10-01")
    assert page.inner_text("[data-testid=total-hazards_found]") == "3"
    assert page.inner_text("[data-testid=total-meetings]") == "7"
    assert "召开安委会会议" in page.inner_text("[data-testid=narratives]")


def test_enterprise_fills_its_statistics_table_on_a_phone(live_cast, phone_page, login):
    """HZ-16 on a phone: the figures are filled in, the 主要负责人 signs (T-HZ-16b), nothing overflows sideways."""
    from anjian.reporting import services
    from anjian.reporting.models import ReportStatus

    cast = live_cast
    cast.enterprise_a.principal_name = "黄宏达"
    cast.enterprise_a.save()
    template = make_template(
        cast,
        [("hazards_found", "排查发现隐患", "integer", "hazards_found", True)],
        name="季度隐患排查治理统计表",
        frequency="quarterly",
        due_day=15,
        starts_on=date(2026, 7, 1),
        reporter_kind="enterprises",
        receiver_kind="supervisors",
        requires_principal_signature=True,
    )
    make_hazard(cast, found_on=date(2026, 8, 3))
    services.generate_reports(date(2026, 10, 2), templates=[template])
    report = report_of(template, enterprise=cast.enterprise_a, start=date(2026, 7, 1))
    page = phone_page
    login(page, cast.enterprise_a_user)
    page.goto(f"{page.base_url}/reporting/{report.pk}/fill/")
    assert page.input_value("#id_v_hazards_found") == "1"
    assert page.input_value("#id_signer_name") == "黄宏达"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("[data-testid=submit-report]")  # not yet confirmed as signed
    assert "不视为已报送" in page.inner_text("[data-testid=form-errors]")
    page.check("#id_signer_confirmed")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=report-status]:has-text('已报送')")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.signer_name == "黄宏达"
