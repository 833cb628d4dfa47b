"""Excel import of an existing accident ledger: row errors, all-or-nothing, grade computed, no double import."""

from io import BytesIO

import pytest
from openpyxl import Workbook

from anjian.accidents.importers import AccidentImporter
from anjian.accidents.models import Accident
from anjian.core.models import AuditEntry

pytestmark = pytest.mark.django_db

HEADERS = [
    "原编号",
    "事故名称*",
    "单位",
    "当事方名称",
    "发生地区划*",
    "行业领域",
    "发生时间*",
    "发生地点*",
    "事故类别*",
    "统计分组*",
    "简要经过*",
    "死亡人数",
    "重伤人数",
    "直接经济损失（元）",
]


def workbook(rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = BytesIO()
    book.save(data)
    data.seek(0)
    return data


def good_rows(cast):
    return [
        [
            "SG-1",
            "甲化工中毒事故",
            "甲化工有限公司",
            "",
            "甲村",
            "危险化学品",
            "2025-03-15 14:30",
            "储罐区",
            "中毒和窒息",
            "工矿商贸",
            "清罐中毒",
            3,
            0,
            "1,200,000",
        ],
        [
            "SG-2",
            "乙镇道路交通事故",
            "",
            "货车驾驶人",
            "乙镇",
            "",
            "2025-05-01 08:00",
            "S263",
            "车辆伤害",
            "道路交通",
            "两车相撞",
            1,
            2,
            50000,
        ],
    ]


def test_row_errors_and_nothing_saved(cast):
    rows = [
        *good_rows(cast),
        ["SG-3", "坏行", "不存在公司", "", "火星镇", "", "明天", "x", "飞碟伤害", "太空", "x", -1, 0, "abc"],
        ["SG-1", "重复", "", "某人", "甲镇", "", "2025-01-01", "x", "触电", "工矿商贸", "x", 0, 0, 0],
    ]
    importer = AccidentImporter(cast.office)
    result = importer.parse(workbook(rows))
    by_column = {(row, column) for row, column, _reason in result.errors}
    assert {
        (4, "发生时间"),
        (4, "事故类别"),
        (4, "统计分组"),
        (4, "死亡人数"),
        (4, "直接经济损失（元）"),
    } <= by_column
    assert (5, "原编号") in by_column
    assert importer.commit(workbook(rows))["errors"] > 0
    assert not Accident.objects.exists()


def test_import_computes_grade_and_is_idempotent(cast):
    importer = AccidentImporter(cast.office)
    counts = importer.commit(workbook(good_rows(cast)))
    assert counts["created"] == 2, importer.parse(workbook(good_rows(cast))).errors
    chem = Accident.objects.get(external_ref="SG-1")
    assert (
        chem.grade == "larger" and chem.enterprise == cast.enterprise_a and chem.territory == cast.village_a
    )
    road = Accident.objects.get(external_ref="SG-2")
    assert road.road_or_fire and road.unit_name == "货车驾驶人" and road.versions.count() == 1
    assert AuditEntry.objects.filter(action="accident.imported").count() == 2
    again = importer.parse(workbook(good_rows(cast)))
    assert again.error_count == 2  # 原编号 already imported
    assert Accident.objects.count() == 2


def test_import_is_for_the_office(cast, client_for):
    assert client_for(cast.town_a_user).get("/core/import/accidents/").status_code == 403
    assert client_for(cast.office).get("/core/import/accidents/").status_code == 200
