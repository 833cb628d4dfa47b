"""Excel import of enterprises: row errors, duplicates, all-or-nothing, idempotent re-import; and query counts."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from anjian.core.models import AuditEntry, ImportBatch
from anjian.registry.importers import EnterpriseImporter
from anjian.registry.models import Enterprise

from .factories import make_listing, make_risk_point, valid_code

pytestmark = pytest.mark.django_db

HEADERS = [
    "单位名称*",
    "统一社会信用代码*",
    "所属区划*",
    "监管行业领域",
    "企业规模",
    "从业人员数",
    "主要负责人电话",
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
            "甲镇新材料有限公司",
            valid_code(501),
            cast.village_a.code,
            "危险化学品、有限空间",
            "小微企业",
            12,
            "13800000001",
        ],
        ["乙村建材厂", valid_code(502), "乙村", "建筑施工", "规模以下", 40, ""],
    ]


def test_template_has_every_column_and_instructions(cast):
    book = EnterpriseImporter(cast.office).template_workbook()
    headers = [c.value for c in book["数据"][1]]
    assert headers[:3] == ["单位名称*", "统一社会信用代码*", "所属区划*"]
    assert "填写说明" in book.sheetnames


def test_row_errors_name_row_column_and_reason_and_nothing_is_saved(cast):
    rows = [
        *good_rows(cast),
        ["坏代码单位", "91110000802100433X", cast.village_a.code, "", "", "", ""],
        ["未知区划单位", valid_code(503), "999999", "", "", "", ""],
        ["未知行业单位", valid_code(504), cast.village_a.code, "火星采矿", "", "", ""],
        ["重复单位", valid_code(501), cast.village_a.code, "", "", "", ""],
        ["", valid_code(505), cast.village_a.code, "", "巨型", "", ""],
    ]
    importer = EnterpriseImporter(cast.office)
    result = importer.parse(workbook(rows))
    assert result.errors == [
        (4, "统一社会信用代码", "校验码错误：第18位应为“B”，实际为“X”"),
        (5, "所属区划", "区划“999999”不存在或不在您的辖区内"),
        (6, "监管行业领域", "未知的监管行业领域：火星采矿"),
        (7, "统一社会信用代码", "与第2行重复。"),
        (8, "单位名称", "必填项不能为空。"),
        (8, "企业规模", "企业规模应为规模以上、规模以下、小微企业之一"),
    ]
    counts = importer.commit(workbook(rows))
    assert counts["created"] == 0 and counts["errors"] == 5  # rows with errors
    assert Enterprise.objects.count() == 2


def test_import_then_identical_reimport_changes_nothing(cast):
    importer = EnterpriseImporter(cast.office)
    assert importer.commit(workbook(good_rows(cast))) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
    }
    new = Enterprise.objects.get(name="甲镇新材料有限公司")
    assert new.territory_path == cast.village_a.path
    assert sorted(s.name for s in new.sectors.all()) == ["危险化学品", "有限空间"]
    assert (new.scale, new.employees) == ("small", 12)
    audit_before = AuditEntry.objects.count()
    again = EnterpriseImporter(cast.office).commit(workbook(good_rows(cast)))
    assert again == {"created": 0, "updated": 0, "unchanged": 2, "errors": 0}
    assert AuditEntry.objects.count() == audit_before
    assert Enterprise.objects.count() == 4


def test_reimport_with_a_change_updates_by_credit_code(cast):
    EnterpriseImporter(cast.office).commit(workbook(good_rows(cast)))
    rows = good_rows(cast)
    rows[0][5] = 15
    rows[1][1] = " " + rows[1][1].lower()[:4] + rows[1][1][4:]  # pasted with a space and lower case
    counts = EnterpriseImporter(cast.office).commit(workbook(rows))
    assert counts == {"created": 0, "updated": 1, "unchanged": 1, "errors": 0}
    assert Enterprise.objects.get(name="甲镇新材料有限公司").employees == 15


def test_import_cannot_touch_or_place_units_outside_the_scope(cast):
    rows = [
        ["乙镇单位", valid_code(601), cast.village_b.code, "", "", "", ""],
        ["甲化工有限公司", cast.enterprise_a.credit_code, cast.village_a.code, "", "", "", ""],
    ]
    result = EnterpriseImporter(cast.town_a_user).parse(workbook(rows))
    assert result.errors == [
        (2, "所属区划", f"区划“{cast.village_b.code}”不存在或不在您的辖区内"),
    ]
    rows = [["甲化工有限公司（改）", cast.enterprise_a.credit_code, cast.village_b.code, "", "", "", ""]]
    result = EnterpriseImporter(cast.town_b_user).parse(workbook(rows))
    assert (2, "统一社会信用代码", "该统一社会信用代码已由其他辖区登记，不能在此导入") in result.errors


def test_import_pages_end_to_end(cast, client_for):
    client = client_for(cast.office)
    upload = workbook([*good_rows(cast), ["坏", "123", cast.village_a.code, "", "", "", ""]])
    upload.name = "企业.xlsx"
    response = client.post("/core/import/enterprises/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "invalid"
    page = client.get(response.url).content.decode()
    assert "统一社会信用代码应为18位，当前为3位" in page
    fixed = workbook(good_rows(cast))
    fixed.name = "企业.xlsx"
    response = client.post("/core/import/enterprises/", {"file": fixed})
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == "ready"
    client.post(response.url)
    batch.refresh_from_db()
    assert batch.status == "done" and batch.summary["created"] == 2


# --- query counts: no N+1 -----------------------------------------------------------------------------------


def _many_units(cast, n):
    units = [
        Enterprise(
            name=f"批量单位{i:03d}",
            credit_code=valid_code(700 + i),
            territory=cast.village_a,
            territory_path=cast.village_a.path,
        )
        for i in range(n)
    ]
    Enterprise.objects.bulk_create(units)
    through = Enterprise.sectors.through
    ids = Enterprise.objects.filter(name__startswith="批量单位").values_list("pk", flat=True)
    through.objects.bulk_create([through(enterprise_id=pk, sector_id=cast.hazchem.pk) for pk in ids])
    for unit in Enterprise.objects.filter(name__startswith="批量单位").order_by("-id")[:5]:  # on the first page
        make_listing(unit, date.today())


@pytest.mark.parametrize("user_name", ["office", "inspector", "town_a_user"])
def test_list_page_query_count_is_constant(cast, client_for, django_assert_max_num_queries, user_name):
    _many_units(cast, 60)
    client = client_for(getattr(cast, user_name))
    client.get("/registry/enterprises/")  # warm the session
    # 13: the page's queries plus one bounded count for "共 N 条" (core.pagination.count_hint)
    with django_assert_max_num_queries(13):
        response = client.get("/registry/enterprises/")
    assert response.content.decode().count('data-testid="blacklist-badge"') == 2 * 5  # table and phone cards
    with django_assert_max_num_queries(13):
        client.get(
            f"/registry/enterprises/?territory={cast.town_a.pk}&q=批量&blacklisted=yes",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="results",
        )


def test_export_query_count_is_constant(cast, client_for, django_assert_max_num_queries):
    _many_units(cast, 60)
    client = client_for(cast.office)
    with django_assert_max_num_queries(12):
        response = client.get("/registry/enterprises/?export=xlsx")
        rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.iter_rows())
    assert len(rows) >= 62


def test_detail_page_query_count_does_not_grow_with_registers(
    cast, client_for, django_assert_max_num_queries
):
    from anjian.registry.models import Licence, SpecialEquipment

    a = cast.enterprise_a
    client = client_for(cast.office)
    client.get(f"/registry/enterprises/{a.pk}/")
    with django_assert_max_num_queries(40) as small:
        client.get(f"/registry/enterprises/{a.pk}/")
    for i in range(20):
        make_risk_point(a, name=f"风险点{i}")
        Licence.objects.create(enterprise=a, kind="safety", number=f"L{i}", valid_until=date(2030, 1, 1))
        SpecialEquipment.objects.create(
            enterprise=a, kind="elevator", registration_no=f"E{i}", next_inspection_on=date(2030, 1, 1)
        )
        make_listing(a, date.today(), decision_no=f"D{i}")
    with django_assert_max_num_queries(len(small.captured_queries) + 4):
        response = client.get(f"/registry/enterprises/{a.pk}/")
    assert response.content.decode().count("风险点1") >= 11
