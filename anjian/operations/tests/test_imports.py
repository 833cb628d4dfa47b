import io

import pytest
from openpyxl import Workbook

from anjian.operations.importers import RescueTeamImporter, SupplyImporter
from anjian.operations.models import RescueTeam, Supply


def workbook(rows):
    wb = Workbook()
    sheet = wb.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


SUPPLY_HEADER = [
    "名称*",
    "类别*",
    "存放区划代码*",
    "存放地点*",
    "数量*",
    "单位",
    "有效期至",
    "保管人",
    "联系电话",
]


@pytest.mark.django_db
def test_supply_import_row_errors_save_nothing(cast):
    rows = [
        SUPPLY_HEADER,
        ["沙袋", "防汛", cast.town_a.code, "甲镇仓库", "100", "袋", "", "", ""],
        ["救生衣", "防汛", "000000", "甲镇仓库", "abc", "件", "", "", ""],
    ]
    result = SupplyImporter(cast.office).parse(workbook(rows))
    assert result.error_count == 1 and {r.number for r in result.rows if r.errors} == {3}
    assert SupplyImporter(cast.office).commit(workbook(rows))["created"] == 0
    assert not Supply.objects.exists()


@pytest.mark.django_db
def test_supply_import_is_idempotent_and_scoped(cast):
    rows = [
        SUPPLY_HEADER,
        ["沙袋", "防汛", cast.town_a.code, "甲镇仓库", "100", "袋", "2028-01-01", "张", "1"],
    ]
    assert SupplyImporter(cast.town_a_user).commit(workbook(rows))["created"] == 1
    rows[1][4] = "150"
    assert SupplyImporter(cast.town_a_user).commit(workbook(rows))["updated"] == 1
    assert Supply.objects.get().quantity == 150
    # town B cannot import into town A
    assert SupplyImporter(cast.town_b_user).commit(workbook(rows))["errors"] >= 1


@pytest.mark.django_db
def test_team_import(cast):
    rows = [
        ["队伍名称*", "队伍类别*", "驻地区划代码*", "专业方向", "驻地", "负责人*", "联系电话*", "队员人数"],
        ["甲镇救援队", "综合性救援队伍", cast.town_a.code, "防汛", "", "李", "139", "20"],
    ]
    assert RescueTeamImporter(cast.office).commit(workbook(rows))["created"] == 1
    assert RescueTeam.objects.get().tier == "comprehensive"
