"""The generic Excel import, exercised through the territory importer: row errors, all-or-nothing, idempotence."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from anjian.core.audit import history_for
from anjian.core.models import ImportBatch, Territory

HEADERS = ["区划代码*", "名称*", "类型*", "上级区划代码*", "排序"]


def xlsx(rows, headers=HEADERS) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "grids.xlsx"
    return data


GOOD = [
    ["990102101201002", "甲村第2网格", "网格", "990102101201", 2],
    ["990102101201003", "甲村第3网格", "网格", "990102101201", 3],
]


def upload(client, rows, headers=HEADERS):
    response = client.post("/core/import/territories/", {"file": xlsx(rows, headers)})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk")


def test_template_download(cast, client_for):
    response = client_for(cast.sys_admin).get("/core/import/territories/template/")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["数据"][1]] == HEADERS
    assert "填写说明" in workbook.sheetnames


def test_row_level_errors_and_nothing_saved(cast, client_for):
    client = client_for(cast.sys_admin)
    rows = [
        *GOOD,
        ["990102101201", "重复", "网格", "990102101201", 1],
        ["99010210120100X", "坏", "未知类型", "123", ""],
    ]
    rows.append(GOOD[0])  # duplicate of row 2 in the same file
    batch = upload(client, rows)
    assert batch.status == ImportBatch.Status.INVALID
    errors = {(row, column) for row, column, _reason in batch.errors}
    assert (5, "类型") in errors and (5, "上级区划代码") in errors
    assert (6, "区划代码") in errors  # duplicate in file
    reasons = " ".join(reason for *_x, reason in batch.errors)
    assert "与第2行重复" in reasons and "不存在" in reasons
    assert not Territory.objects.filter(code__in=[r[0] for r in GOOD]).exists()
    body = client.get(f"/core/import/territories/{batch.pk}/").content.decode()
    assert "未导入任何数据" in body and "与第2行重复" in body
    # a batch with errors cannot be committed
    client.post(f"/core/import/territories/{batch.pk}/")
    assert not Territory.objects.filter(code=GOOD[0][0]).exists()


def test_preview_commit_and_idempotent_reimport(cast, client_for):
    client = client_for(cast.sys_admin)
    batch = upload(client, GOOD)
    assert batch.status == ImportBatch.Status.READY and batch.summary == {"new": 2, "existing": 0}
    client.post(f"/core/import/territories/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.summary["created"] == 2
    grid = Territory.objects.get(code="990102101201002")
    assert grid.parent == cast.village_a and grid.path.startswith(cast.village_a.path)
    assert history_for(grid)[0].actor == cast.sys_admin
    entries_before = len(history_for(grid))
    again = upload(client, GOOD)
    assert again.summary == {"new": 0, "existing": 2}
    client.post(f"/core/import/territories/{again.pk}/")
    again.refresh_from_db()
    assert again.summary["unchanged"] == 2 and again.summary["created"] == 0
    assert Territory.objects.filter(code__startswith="990102101201").count() == 4  # village + grid 1 + 2 new
    assert len(history_for(grid)) == entries_before  # nothing rewritten
    changed = [[GOOD[0][0], "甲村第二网格", "网格", "990102101201", 2]]
    batch = upload(client, changed)
    client.post(f"/core/import/territories/{batch.pk}/")
    grid.refresh_from_db()
    assert grid.name == "甲村第二网格"


def test_missing_required_column_and_bad_file(cast, client_for):
    client = client_for(cast.sys_admin)
    batch = upload(client, [["甲村第2网格"]], headers=["名称"])
    assert batch.status == ImportBatch.Status.INVALID and "缺少必填列" in batch.errors[0][2]
    response = client.post("/core/import/territories/", {"file": io.BytesIO(b"not excel")})
    assert response.status_code == 400 and "只支持 .xlsx" in response.content.decode()


def test_import_needs_permission(cast, client_for):
    assert client_for(cast.office).get("/core/import/territories/").status_code == 403
    assert client_for(cast.sys_admin).get("/core/import/nonsense/").status_code == 404


@pytest.mark.parametrize("user_name", ["sec_admin", "audit_admin", "enterprise_a_user"])
def test_batches_are_private(cast, client_for, user_name):
    batch = upload(client_for(cast.sys_admin), GOOD)
    assert client_for(getattr(cast, user_name)).get(f"/core/import/territories/{batch.pk}/").status_code in (
        403,
        404,
    )
