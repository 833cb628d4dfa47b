"""Real browser: an officer records a 询问笔录 with its questions and answers, serves it with a 送达回执, opens the
卷宗目录 and downloads PDFs (rules.md §6.3, EN-13)."""

import pytest

from anjian.enforcement import services

from .factories import add_fine, open_case

pytestmark = pytest.mark.browser


def test_inquiry_record_service_receipt_and_case_file(live_cast, page, login):
    cast = live_cast
    case = open_case(cast, responsible_persons="张三 总经理")
    add_fine(case, cast.inspector)
    services.transition(case, "investigate", cast.inspector)
    base = page.base_url
    login(page, cast.inspector)
    page.goto(f"{base}{case.get_absolute_url()}")

    # 询问笔录: the quick form leads to the record's own form, the two officers already filled in.
    page.select_option("#id_kind", "inquiry_record")
    page.click("[data-testid=issue-document]")
    page.wait_for_selector("[data-testid=document-form]")
    assert page.input_value("#id_interviewers") == "inspector、inspector_partner"
    page.fill("#id_started_at", "2026-12-01T09:00")
    page.fill("#id_ended_at", "2026-12-01T09:45")
    page.fill("#id_interviewee", "李四")
    page.fill("#id_interviewee_role", "安全管理部经理")
    page.fill("#id_qa", "问：储罐区静电接地何时损坏？\n答：上个月巡检时发现。")
    page.fill("#id_place", "")  # a required field left empty: refused in Chinese, the rest is kept
    page.click("[data-testid=save-document]")
    assert "请填写询问地点" in page.inner_text("[data-testid=document-form]")
    assert page.input_value("#id_qa").startswith("问：储罐区静电接地何时损坏？")
    page.fill("#id_place", "甲化工有限公司会议室")
    page.click("[data-testid=save-document]")
    page.wait_for_selector("[data-testid=documents] >> text=询问笔录")
    inquiry_number = page.inner_text("[data-testid=documents] strong")
    assert inquiry_number.startswith("测试区应急管理局询〔")

    # 送达回执 for that record, 直接送达.
    page.select_option("#id_kind", "service_receipt")
    page.click("[data-testid=issue-document]")
    page.wait_for_selector("[data-testid=document-form]")
    page.select_option("#id_served_document", inquiry_number)
    page.select_option("#id_method", "direct")
    page.fill("#id_place", "甲化工有限公司办公室")
    page.fill("#id_receiver", "李四")
    page.click("[data-testid=save-document]")
    page.wait_for_selector("[data-testid=documents] >> text=送达回执", timeout=5000)

    # 卷宗目录: both documents in case-file order, each with its pages; the list prints as PDF.
    page.click("[data-testid=case-file-link]")
    page.wait_for_selector("[data-testid=case-file]")
    kinds = page.eval_on_selector_all(
        "[data-testid=case-file] tbody tr", "rows => rows.map(r => r.dataset.kind)"
    )
    assert kinds == ["inquiry_record", "service_receipt"]
    assert "1" in page.inner_text("[data-testid=case-file] tbody tr:first-child td:nth-child(5)")
    pdf = page.request.get(base + page.get_attribute("[data-testid=case-file-pdf]", "href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        page.click("[data-testid=file-pdf] >> nth=0")
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert "询问笔录" in download.value.suggested_filename
