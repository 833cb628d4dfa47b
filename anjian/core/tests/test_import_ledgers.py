"""Importing the ledgers offices really keep, as they keep them: the table found under titles and above footers,
one sheet per month, their words for the columns (synonyms, a mapping step remembered per organisation), their
spellings of dates and grades, errors by row and column, all-or-nothing, and no duplicates on re-import."""

from datetime import date

import pytest

from anjian.core.importing import get_importer
from anjian.core.importing.table import is_footer, sheet_range
from anjian.core.models import ImportBatch, ImportColumnSynonym, ImportMapping
from anjian.hazards.models import Grade, Hazard, Status

from .ledgers import (
    REAL_DATE,
    REAL_DATETIME,
    SERIAL_2024_03_10,
    grouped_header_ledger,
    plain_sheet,
    town_hazard_ledger,
)

pytestmark = pytest.mark.django_db

UNIT = "甲化工有限公司"
DATES = ["2024.3.6", "2024年3月6日", "2024/03/07", REAL_DATE, REAL_DATETIME, SERIAL_2024_03_10, "2024-3-11"]


def hazard_row(n, found="2024.3.6", grade="一般", state="已整改", unit=UNIT):
    return [unit, f"消防通道堵塞{n}", grade, found, "张三、李四", "清理通道", "王五", "2024.3.31", state]


def twelve_months():
    months = {}
    for month in range(1, 13):
        found = DATES[month % len(DATES)]
        months[month] = [
            hazard_row(f"{month}-1", found=found, state="已整改"),
            hazard_row(f"{month}-2", found=found, grade="一般隐患", state="整改中"),
        ]
    return months


def hazards(user):
    return get_importer("hazards")(user)


def upload(client, key, data):
    response = client.post(f"/core/import/{key}/", {"file": data})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk")


# --- 1. find the table --------------------------------------------------------------------------------------
def test_town_ledger_twelve_month_sheets(cast):
    result = hazards(cast.inspector).parse(town_hazard_ledger(twelve_months()))
    assert result.errors == []
    assert result.table_note == "第3行为表头，读取 2024年1月–12月 共12个工作表"
    assert any("填表说明" in w for w in result.warnings)  # a sheet that is not a table is named, not read
    assert len(result.rows) == 24  # blank rows, 合计 and 制表人 lines are not records
    first = result.rows[0]
    assert (first.sheet, first.number) == ("2024年1月", 4)
    assert {r.values["found_on"] for r in result.rows} >= {date(2024, 3, 6), date(2024, 3, 7), REAL_DATE}
    assert date(2024, 3, 10) in {r.values["found_on"] for r in result.rows}  # Excel serial number


def test_twelve_month_ledger_commits_once_and_reimports_without_duplicates(cast, client_for):
    client = client_for(cast.inspector)
    batch = upload(client, "hazards", town_hazard_ledger(twelve_months()))
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert batch.summary["table"] == "第3行为表头，读取 2024年1月–12月 共12个工作表"
    page = client.get(f"/core/import/hazards/{batch.pk}/").content.decode()
    assert "第3行为表头，读取 2024年1月–12月 共12个工作表" in page and "2024年1月 4" in page
    client.post(f"/core/import/hazards/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.summary["created"] == 24
    assert Hazard.objects.filter(status=Status.CLOSED).count() == 12  # 已整改
    assert Hazard.objects.filter(status=Status.RECTIFYING).count() == 12  # 整改中
    again = upload(client, "hazards", town_hazard_ledger(twelve_months()))
    assert again.status == ImportBatch.Status.READY and again.summary == {
        "new": 0,
        "existing": 24,
        **{"table": again.summary["table"]},
    }
    client.post(f"/core/import/hazards/{again.pk}/")
    again.refresh_from_db()
    assert again.summary["unchanged"] == 24 and Hazard.objects.count() == 24


def test_two_row_header_merged_unit_and_footers(cast):
    rows = [
        [UNIT, "配电箱未接地", "一般", "2024年5月6日", "更换接地线", "2024.5.20", "已完成", ""],
        [UNIT, "灭火器过期", "一般事故隐患", "2024/05/07", "更换", "2024-05-30", "未整改", ""],
        [UNIT, "动火作业无审批", "重大", 45420, "停工整改", "", "整改中", ""],
    ]
    importer = hazards(cast.inspector)
    result = importer.parse(grouped_header_ledger(rows))
    assert result.unknown_headers == ["备注"]  # the one column nobody has named yet
    ImportMapping.objects.create(
        organisation=cast.inspector.organisation,
        importer="hazards",
        source="备注",
        target="",
        created_by=cast.inspector,
    )
    result = hazards(cast.inspector).parse(grouped_header_ledger(rows))
    assert result.errors == [], result.errors
    assert result.table_note == "第3行为表头，读取 工作表“隐患台账”"
    assert [r.number for r in result.rows] == [4, 5, 6]  # 小计 skipped, 填表说明 ends the table
    assert all(r.values["enterprise"] == cast.enterprise_a for r in result.rows)  # merged cell filled down
    assert [r.values["grade"] for r in result.rows] == [Grade.GENERAL, Grade.GENERAL, Grade.MAJOR]
    assert result.rows[2].values["found_on"] == date(2024, 5, 8)


def test_footer_words_need_their_colon():
    assert is_footer(["制表人：张三"]) and is_footer([None, "审核人:李四"]) and is_footer(["合计", 3])
    assert is_footer(["填表说明"]) and is_footer(["注：本表每月5日前报送"])
    assert not is_footer(["注塑厂", "模具未固定"]) and not is_footer(["审核部办公室", "x"])


def test_sheet_range_names():
    assert sheet_range(["2024年1月", "2024年12月"]) == "2024年1月–12月 共2个工作表"
    assert sheet_range(["一月", "二月", "三月"]) == "一月–三月 共3个工作表"
    assert sheet_range(["数据"]) == "工作表“数据”"


# --- 2. their words: mapping step, remembered per organisation ------------------------------------------------
def test_unknown_headers_go_to_mapping_then_are_remembered(cast, client_for):
    headers = ["单位", "问题隐患", "级别", "日期", "片区", "检查类别"]
    rows = [[UNIT, "仓库堆放杂物", "一般", "2024.4.1", "东片", "日常检查"]]
    client = client_for(cast.inspector)
    batch = upload(client, "hazards", plain_sheet(headers, rows, title="甲镇隐患台账"))
    assert batch.status == ImportBatch.Status.MAPPING
    assert batch.summary["unknown_headers"] == ["问题隐患", "片区", "检查类别"]
    assert batch.summary["samples"] == {"问题隐患": "仓库堆放杂物", "片区": "东片", "检查类别": "日常检查"}
    page = client.get(f"/core/import/hazards/{batch.pk}/").content.decode()
    assert "无法自动识别" in page and "忽略（不导入此列）" in page
    # an answer missing: asked again, nothing stored
    client.post(f"/core/import/hazards/{batch.pk}/", {"action": "map", "column-0": "description"})
    assert not ImportMapping.objects.exists()
    client.post(
        f"/core/import/hazards/{batch.pk}/",
        {"action": "map", "column-0": "description", "column-1": "", "column-2": "location"},
    )
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.errors
    # the next file of the same shape: no questions, for anyone of the same organisation
    again = upload(
        client, "hazards", plain_sheet(headers, [[UNIT, "电线私拉乱接", "一般", "2024.4.2", "西片", "夜查"]])
    )
    assert again.status == ImportBatch.Status.READY
    # another organisation is asked its own questions
    other = hazards(cast.town_a_user).parse(plain_sheet(headers, rows))
    assert other.unknown_headers == ["问题隐患", "片区", "检查类别"]


def test_mapping_refuses_a_field_that_does_not_exist(cast, client_for):
    client = client_for(cast.inspector)
    batch = upload(
        client,
        "hazards",
        plain_sheet(["单位", "问题隐患", "级别", "日期"], [[UNIT, "x", "一般", "2024.4.1"]]),
    )
    client.post(f"/core/import/hazards/{batch.pk}/", {"action": "map", "column-0": "password"})
    assert not ImportMapping.objects.exists()


def test_administrator_adds_a_synonym_on_the_page(cast, client_for):
    admin = client_for(cast.office)
    page = admin.get("/core/import/hazards/").content.decode()
    assert "存在问题" in page and "添加列名写法" in page
    response = admin.post(
        "/core/import/hazards/", {"action": "add_synonym", "field": "description", "synonym": "问题隐患"}
    )
    assert response.status_code == 302
    assert ImportColumnSynonym.objects.filter(importer="hazards", field="description").exists()
    # a word already understood is refused with what it means
    response = admin.post(
        "/core/import/hazards/", {"action": "add_synonym", "field": "grade", "synonym": "（存在问题）*"}
    )
    assert response.status_code == 400 and "已对应" in response.content.decode()
    result = hazards(cast.inspector).parse(
        plain_sheet(["单位", "问题 隐患", "级别", "日期"], [[UNIT, "x", "一般", "2024.4.1"]])
    )
    assert result.errors == [] and result.rows[0].values["description"] == "x"
    # town staff import, but do not maintain the words
    town = client_for(cast.town_a_user)
    denied = town.post(
        "/core/import/hazards/", {"action": "add_synonym", "field": "grade", "synonym": "等级2"}
    )
    assert denied.status_code == 403
    assert "添加列名写法" not in town.get("/core/import/hazards/").content.decode()


def test_headers_match_after_normalising(cast):
    headers = ["被检查单位＊", "存在问题（隐患描述）", "隐患级别 *", "检查时间(年月日)", "整改时限（天）"]
    result = hazards(cast.inspector).parse(
        plain_sheet(headers, [[UNIT, "x", "一般", "2024.4.1", "2024.4.9"]])
    )
    assert result.errors == [] and result.unknown_headers == []
    assert result.rows[0].values["deadline"] == date(2024, 4, 9)


# --- 3 and 4. values as people write them; errors by row and column; all-or-nothing ----------------------------
def test_errors_name_sheet_row_and_column_and_save_nothing(cast, client_for):
    months = {
        1: [hazard_row(1), hazard_row(2, found="2024.13.45")],
        2: [hazard_row(3, grade="较大"), hazard_row(4, unit="不存在的公司")],
    }
    client = client_for(cast.inspector)
    batch = upload(client, "hazards", town_hazard_ledger(months, extra_sheet=False))
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(row, column): reason for row, column, reason in batch.errors}
    # header row 3, row 4 the first record, row 5 left blank: the second record is on row 6
    assert "月份应为1–12" in errors[(6, "2024年1月·检查时间")]
    assert "“较大”不是隐患级别" in errors[(4, "2024年2月·隐 患 级 别")]
    assert "找不到单位“不存在的公司”" in errors[(6, "2024年2月·被检查单位")]
    client.post(f"/core/import/hazards/{batch.pk}/")
    assert not Hazard.objects.exists()
    # the corrected file imports, once
    months[1][1] = hazard_row(2, found="2024.3.15")
    months[2] = [hazard_row(3, grade="重大事故隐患"), hazard_row(4)]
    fixed = upload(client, "hazards", town_hazard_ledger(months, extra_sheet=False))
    assert fixed.status == ImportBatch.Status.READY, fixed.errors
    client.post(f"/core/import/hazards/{fixed.pk}/")
    assert Hazard.objects.count() == 4
    client.post(
        f"/core/import/hazards/{upload(client, 'hazards', town_hazard_ledger(months, extra_sheet=False)).pk}/"
    )
    assert Hazard.objects.count() == 4


def test_duplicate_rows_across_sheets_are_named(cast):
    months = {1: [hazard_row(1)], 2: [hazard_row(1)]}
    result = hazards(cast.inspector).parse(town_hazard_ledger(months, extra_sheet=False))
    assert [reason for *_x, reason in result.errors] == ["与2024年1月第4行重复。"]


def test_close_unit_name_is_offered_for_confirmation_never_guessed(cast, client_for):
    client = client_for(cast.inspector)
    data = plain_sheet(["单位", "存在问题", "级别", "检查时间"], [["甲化工公司", "x", "一般", "2024.4.1"]])
    batch = upload(client, "hazards", data)
    assert batch.status == ImportBatch.Status.INVALID
    assert "是否为“甲化工有限公司”" in batch.errors[0][2]
    assert batch.summary["confirmations"] == [
        {
            "source": "甲化工公司",
            "target": cast.enterprise_a.credit_code,
            "label": f"{UNIT}（{cast.enterprise_a.credit_code}）",
        }
    ]
    assert "即 甲化工有限公司" in client.get(f"/core/import/hazards/{batch.pk}/").content.decode()
    client.post(f"/core/import/hazards/{batch.pk}/", {"action": "confirm_units", "unit": "甲化工公司"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert ImportMapping.objects.filter(
        kind=ImportMapping.Kind.UNIT, target=cast.enterprise_a.credit_code
    ).exists()


def test_unit_by_credit_code_and_written_with_full_width_brackets(cast):
    rows = [
        [cast.enterprise_a.credit_code.lower(), "x", "一般", "2024.4.1"],
        ["甲化工 有限公司", "y", "一般", "2024.4.1"],
    ]
    result = hazards(cast.inspector).parse(plain_sheet(["单位", "存在问题", "级别", "检查时间"], rows))
    assert result.errors == [] and {r.values["enterprise"] for r in result.rows} == {cast.enterprise_a}


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("已整改", Status.CLOSED),
        ("已销号", Status.CLOSED),
        ("整改完成", Status.CLOSED),
        ("整改中", Status.RECTIFYING),
        ("正在整改", Status.RECTIFYING),
        ("未整改", Status.REGISTERED),
        ("未完成", Status.REGISTERED),
    ],
)
def test_rectification_words(cast, state, status):
    importer = hazards(cast.inspector)
    data = plain_sheet(
        ["单位", "存在问题", "级别", "检查时间", "整改情况"], [[UNIT, "x", "一般", "2024.4.1", state]]
    )
    assert importer.commit(data)["created"] == 1
    assert Hazard.objects.get().status == status


# --- 5. historic major hazards without a clause ---------------------------------------------------------------
def test_major_without_clause_is_imported_and_flagged(cast, client_for):
    client = client_for(cast.inspector)
    data = plain_sheet(
        ["单位", "存在问题", "级别", "检查时间"], [[UNIT, "储罐区无防火堤", "重大隐患", "2023.6.1"]]
    )
    batch = upload(client, "hazards", data)
    assert batch.status == ImportBatch.Status.READY
    assert any("待补充判定依据" in w for w in batch.warnings)
    client.post(f"/core/import/hazards/{batch.pk}/")
    hazard = Hazard.objects.get()
    assert hazard.grade == Grade.MAJOR and hazard.major_basis_pending and hazard.major_clause == ""
    hazard.full_clean()  # a valid record while it waits for its clause


# --- other ledgers: enterprises with 统一社会信用代码, accidents ---------------------------------------------
def test_enterprise_list_as_towns_keep_it(cast):
    from anjian.registry.models import Enterprise
    from anjian.registry.tests.factories import valid_code

    headers = ["序号", "企业名称", "统一社会信用代码", "所在镇街", "行业领域", "法人", "联系电话", "从业人数"]
    rows = [
        [
            1,
            "甲镇新材料有限公司",
            valid_code(601),
            cast.village_a.code,
            "危险化学品",
            "赵一",
            "13800000001",
            12,
        ],
        [2, "甲镇五金厂", valid_code(602), "甲村", "", "钱二", "", 8],
        ["合计", "2家"],
    ]
    importer = get_importer("enterprises")(cast.office)
    data = plain_sheet(headers, rows, title="甲镇生产经营单位底数台账")
    result = importer.parse(data)
    assert result.errors == [] and result.table_note.startswith("第2行为表头")
    data.seek(0)
    assert importer.commit(data)["created"] == 2
    assert Enterprise.objects.get(name="甲镇五金厂").legal_representative == "钱二"
    data.seek(0)
    assert get_importer("enterprises")(cast.office).commit(data)["created"] == 0


def test_accident_ledger_in_their_words(cast):
    from anjian.accidents.models import Accident

    headers = [
        "序号",
        "事故编号",
        "事故名称",
        "事故单位",
        "镇街",
        "事故发生时间",
        "事故地点",
        "事故类型",
        "统计分组",
        "事故经过",
        "死亡（人）",
        "重伤",
        "经济损失",
    ]
    rows = [
        [
            1,
            "SG-9",
            "甲化工“5·6”物体打击事故",
            UNIT,
            "甲村",
            "2024年5月6日14时30分",
            "仓库",
            "物体打击",
            "工矿商贸",
            "货物坠落",
            0,
            1,
            12000,
        ]
    ]
    result = get_importer("accidents")(cast.office).parse(
        plain_sheet(headers, rows, title="2024年生产安全事故台账")
    )
    assert result.errors == [], result.errors
    values = result.rows[0].values
    assert values["occurred_at"].hour == 14 and values["occurred_at"].minute == 30
    assert (
        get_importer("accidents")(cast.office).commit(plain_sheet(headers, rows, title="t"))["created"] == 1
    )
    assert Accident.objects.get().external_ref == "SG-9"


def test_synonyms_command_is_idempotent(cast):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("import_synonyms", "add", "hazards", "description", "问题隐患", stdout=out)
    call_command("import_synonyms", "add", "hazards", "description", "问题隐患", stdout=out)
    assert "已添加" in out.getvalue() and "已存在" in out.getvalue()
    assert ImportColumnSynonym.objects.count() == 1
    with pytest.raises(CommandError, match="字段"):
        call_command("import_synonyms", "add", "hazards", "nope", "x")
    call_command("import_synonyms", "list", "--importer", "hazards", stdout=out)
    assert "问题隐患（添加）" in out.getvalue() and "存在问题" in out.getvalue()
    call_command("import_synonyms", "remove", "hazards", "问题隐患", stdout=out)
    assert not ImportColumnSynonym.objects.exists()


@pytest.mark.parametrize(
    ("written", "deadline"),
    [
        ("2024.4.20", date(2024, 4, 20)),
        ("15", date(2024, 4, 16)),
        ("15天", date(2024, 4, 16)),
        ("30日内", date(2024, 5, 1)),
        ("立即整改", date(2024, 4, 1)),
        (45402, date(2024, 4, 20)),
    ],
)
def test_deadline_as_days_or_immediately(cast, written, deadline):
    data = plain_sheet(
        ["单位", "存在问题", "级别", "检查时间", "整改时限（天）"], [[UNIT, "x", "一般", "2024.4.1", written]]
    )
    result = hazards(cast.inspector).parse(data)
    assert result.errors == [], result.errors
    data.seek(0)
    hazards(cast.inspector).commit(data)
    assert Hazard.objects.get().deadline == deadline
