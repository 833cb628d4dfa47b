"""Excel import of the provision library: row errors (fine band, unknown measure), commit, idempotent re-import."""

import io

import pytest
from openpyxl import Workbook

from anjian.core.models import ImportBatch
from anjian.enforcement.models import Provision

pytestmark = pytest.mark.django_db

HEADERS = [
    "编号*",
    "法律法规*",
    "条款*",
    "违法行为*",
    "处罚规定*",
    "处罚对象",
    "罚款下限（元）",
    "罚款上限（元）",
    "可采取的措施",
    "出处",
    "启用",
]
LAW = "《某省安全生产条例》"
GOOD = [
    [
        "LOCAL-1",
        LAW,
        "第三十条",
        "未公示风险告知卡",
        "处一万元以上三万元以下罚款",
        "单位",
        "1万",
        "3万",
        "责令限期整改、罚款",
        "地方",
        "是",
    ],
    [
        "LOCAL-2",
        LAW,
        "第三十一条",
        "主要负责人未带班",
        "处二千元以上五千元以下罚款",
        "个人",
        "2000",
        "5000",
        "罚款",
        "",
        "",
    ],
]


def upload(client, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "provisions.xlsx"
    client.post("/core/import/provisions/", {"file": data})
    return ImportBatch.objects.filter(importer="provisions").latest("id")


def test_import_provisions(cast, client_for):
    client = client_for(cast.office)
    bad = upload(client, [[*GOOD[0][:6], "5万", "3万", "罚款、拘留", "", ""]])
    reasons = " ".join(e[2] for e in bad.errors)
    assert "未知的措施：拘留" in reasons
    bad = upload(client, [[*GOOD[0][:6], "5万", "3万", "罚款", "", ""]])
    assert "不能低于下限" in " ".join(e[2] for e in bad.errors)
    client.post(f"/core/import/provisions/{bad.pk}/")
    assert not Provision.objects.filter(code="LOCAL-1").exists()

    batch = upload(client, GOOD)
    assert batch.status == ImportBatch.Status.READY, batch.errors
    client.post(f"/core/import/provisions/{batch.pk}/")
    p = Provision.objects.get(code="LOCAL-1")
    assert (p.fine_min, p.fine_max, p.measures_allowed, p.is_active) == (
        10000,
        30000,
        ["order_rectification", "fine"],
        True,
    )
    assert Provision.objects.get(code="LOCAL-2").party_kind == "person"
    again = upload(client, GOOD)
    assert again.summary == {"new": 0, "existing": 2}


def test_import_needs_office(cast, client_for):
    assert client_for(cast.inspector).get("/core/import/provisions/").status_code == 403
    assert client_for(cast.office).get("/core/import/provisions/").status_code == 200
