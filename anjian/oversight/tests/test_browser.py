"""A 督查 problem list goes from feedback to 销号: the office enters the visit and a problem and records the
feedback, the town reports the rectification with evidence, the office closes it."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


def _png(path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 160, 0)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_problem_list_from_feedback_to_closing(live_cast, page, login, tmp_path):
    base = page.base_url
    today = timezone.localdate()
    cast = live_cast

    login(page, cast.office)
    page.goto(f"{base}/oversight/visits/add/")
    page.fill("#id_title", "测试市安委会第四季度督查")
    page.select_option("#id_kind", "higher")
    page.fill("#id_inspecting_body_name", "测试市安全生产委员会")
    page.fill("#id_leader", "周组长")
    page.fill("#id_start_on", (today - timedelta(days=3)).isoformat())
    page.fill("#id_end_on", (today - timedelta(days=2)).isoformat())
    page.select_option("#id_territory", str(cast.district.pk))
    page.select_option("#id_targets", [str(cast.town_a_org.pk)])
    page.click("main form button:has-text('保存')")
    page.wait_for_selector("[data-testid=problem-list]")

    page.click("[data-testid=add-problem]")
    page.fill("#id_description", "甲镇九小场所消防排查台账不完整。")
    page.select_option("#id_responsible_unit", str(cast.town_a_org.pk))
    page.fill("#id_deadline", (today + timedelta(days=20)).isoformat())
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=problem-row]")
    page.click("[data-testid=submit-feedback]")
    page.wait_for_selector("text=已登记督查反馈")
    assert "已反馈" in page.inner_text("[data-testid=visit-status]")

    login(page, cast.town_a_user)
    page.goto(f"{base}/oversight/?open=true")
    page.click("[data-testid=object-table] a:has-text('甲镇九小场所')")
    page.fill("#id_set_measures-measures", "逐个场所建档，开展消防安全专项检查。")
    page.fill("#id_set_measures-responsible_person", "刘镇长")
    page.fill("#id_set_measures-deadline", (today + timedelta(days=15)).isoformat())
    page.click("[data-testid=submit-set_measures]")
    page.wait_for_selector("[data-testid=action-report_done]")
    # Without evidence the report is refused and the text typed stays.
    page.fill("#id_report_done-note", "已全部建档。")
    page.click("[data-testid=submit-report_done]")
    page.wait_for_selector("[data-testid=refusal]")
    assert "佐证材料" in page.inner_text("[data-testid=refusal]")
    assert page.input_value("#id_report_done-note") == "已全部建档。"
    page.set_input_files("#id_report_done-files", _png(tmp_path / "整改后.png"))
    page.click("[data-testid=submit-report_done]")
    page.wait_for_selector("[data-testid=problem-status]:has-text('待审核')")
    assert page.is_visible("[data-testid=evidence-link]")
    problem_url = page.url

    login(page, cast.office)
    page.goto(problem_url)
    page.fill("#id_close-opinion", "经核查整改到位，同意销号。")
    page.click("[data-testid=submit-close]")
    page.wait_for_selector("[data-testid=problem-status]:has-text('已销号')")
    page.click("nav[aria-label=breadcrumb] a >> nth=1")
    assert "已完成" in page.inner_text("[data-testid=visit-status]")
