import io

from openpyxl import Workbook

from anjian.committee.importers import DutyItemImporter
from anjian.committee.models import DutyItem, DutyStatus

HEADER = ["责任单位*", "类别*", "职责内容*", "依据", "排序"]


def workbook(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_duty_items_import_is_idempotent_scoped_and_explains_errors(cast):
    rows = [
        HEADER,
        ["测试区应急管理局", "行业监管", "负责危险化学品安全监督管理。", "安全生产法第十条", "1"],
        ["甲镇人民政府", "属地管理", "对辖区生产经营单位开展监督检查。", "安全生产法第九条第二款", "1"],
    ]
    assert DutyItemImporter(cast.office).commit(workbook(rows))["created"] == 2
    assert DutyItemImporter(cast.office).commit(workbook(rows))["created"] == 0
    assert set(DutyItem.objects.values_list("status", flat=True)) == {DutyStatus.CONFIRMED}
    bad = [HEADER, ["邻区安委办", "其他", "x", "", ""], ["测试区住建局", "随便", "y", "", ""]]
    result = DutyItemImporter(cast.office).parse(workbook(bad))
    reasons = [reason for _n, _c, reason in result.errors]
    assert any("不在您的辖区" in r for r in reasons) and any("类别“随便”无效" in r for r in reasons)
    # Outside the office's district the same units do not exist.
    result = DutyItemImporter(cast.outsider_office).parse(workbook(rows))
    assert result.error_count == 2
