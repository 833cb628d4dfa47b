"""A 督查组's problem list arrives as a spreadsheet: imported into the visit chosen on its page, with row-level
errors shown and nothing saved while any row is wrong."""

import io

import pytest
from openpyxl import Workbook

from anjian.oversight.importers import NO_TARGET, ProblemImporter
from anjian.oversight.models import ImportTarget, Problem

from .conftest import make_visit


def workbook(rows):
    wb = Workbook()
    sheet = wb.active
    sheet.append(["江州市安委会督查反馈问题清单"])  # a title row above the header, as offices write it
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def target(cast):
    visit = make_visit(cast, fed_back=False)
    ImportTarget.objects.create(user=cast.office, visit=visit)
    return visit


@pytest.mark.django_db
def test_header_variants_and_row_errors(cast, target):
    rows = [
        ["序号", "存在的问题", "整改责任单位", "完成时限"],
        [3, "部分企业未开展应急演练。", "测试区应急管理局", "2026年12月31日"],
        [4, "", "甲镇人民政府", "2026-12-31"],
        [5, "燃气管道巡查记录缺失。", "不存在局", "2026-12-31"],
        [6, "脚手架未验收。", "测试区住建局", "2026-13-45"],
    ]
    result = ProblemImporter(cast.office).parse(workbook(rows))
    errors = {(number, column) for number, column, _reason in result.errors}
    assert errors == {(4, "存在的问题"), (5, "整改责任单位"), (6, "完成时限")}
    assert any("不存在局" in reason for _n, _c, reason in result.errors)
    assert ProblemImporter(cast.office).commit(workbook(rows))["errors"] >= 1
    assert target.problems.count() == 2  # nothing of the file was saved


@pytest.mark.django_db
def test_import_adds_problems_through_the_service(cast, target):
    rows = [
        ["序号", "问题描述", "责任单位", "整改期限", "问题类别"],
        [3, "部分企业未开展应急演练。", "测试区应急管理局", "2026-12-31", "应急管理"],
        ["", "乙镇消防台账缺失。", "乙镇人民政府", "", ""],
    ]
    counts = ProblemImporter(cast.office).commit(workbook(rows))
    assert counts["created"] == 2, counts
    new = list(target.problems.order_by("sequence"))[2:]
    assert [p.sequence for p in new] == [3, 4]
    assert new[0].category == "emergency" and new[0].responsible_unit == cast.yingji
    assert new[1].deadline is None and new[1].responsible_unit == cast.town_b_org
    # Importing the same file again changes nothing (序号 3 exists; the row without 序号 is added again only
    # if it had none — it gets the next number, so offices should number their rows).
    again = ProblemImporter(cast.office).commit(workbook(rows[:2]))
    assert again["unchanged"] == 1 and again["created"] == 0


@pytest.mark.django_db
def test_import_needs_a_chosen_visit(cast):
    result = ProblemImporter(cast.office).parse(workbook([["存在问题", "责任单位"], ["x", "测试区住建局"]]))
    assert result.file_errors == [NO_TARGET]
    assert not Problem.objects.exists()


@pytest.mark.django_db
def test_units_outside_the_scope_are_refused(cast):
    visit = make_visit(cast, fed_back=False)
    ImportTarget.objects.create(user=cast.outsider_office, visit=visit)
    result = ProblemImporter(cast.outsider_office).parse(
        workbook([["存在问题", "责任单位"], ["x", "测试区住建局"]])
    )
    assert result.error_count == 1


@pytest.mark.django_db
def test_generic_import_pages(cast, client_for):
    visit = make_visit(cast, fed_back=False)
    client = client_for(cast.office)
    response = client.post(f"/oversight/visits/{visit.pk}/import/")
    assert response.status_code == 302 and response["Location"].endswith("/import/oversight-problems/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "督查问题清单" in page.content.decode()
    assert client_for(cast.town_a_user).post(f"/oversight/visits/{visit.pk}/import/").status_code == 403
