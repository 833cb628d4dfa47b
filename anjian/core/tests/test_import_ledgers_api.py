"""The import API: upload → status with errors by row and column → mapping → commit, same rules as the pages."""

import pytest

from anjian.core.models import ImportBatch
from anjian.hazards.models import Hazard

from .ledgers import plain_sheet, town_hazard_ledger

pytestmark = pytest.mark.django_db

UNIT = "甲化工有限公司"
HEADERS = ["单位", "存在问题", "级别", "检查时间"]


def post_file(client, data, key="hazards"):
    return client.post(f"/api/core/imports/{key}/", {"file": data}, format="multipart")


def test_upload_status_and_commit(cast, api_for):
    client = api_for(cast.inspector)
    months = {m: [[UNIT, f"问题{m}", "一般", f"2024.{m}.3", "", "", "", "", "整改中"]] for m in (1, 2, 3)}
    response = post_file(client, town_hazard_ledger(months))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status"} and body["status"] == "ready"
    detail = client.get(f"/api/core/imports/hazards/{body['id']}/").json()
    assert detail["status"] == "ready" and detail["total_rows"] == 3 and detail["errors"] == []
    assert detail["table"] == "第3行为表头，读取 2024年1月–3月 共3个工作表"
    committed = client.post(f"/api/core/imports/hazards/{body['id']}/commit/")
    assert committed.status_code == 202 and committed.json()["status"] == "done"
    assert Hazard.objects.count() == 3
    again = client.post(f"/api/core/imports/hazards/{body['id']}/commit/")
    assert again.status_code == 409 and "不能导入" in again.json()["detail"]


def test_errors_by_row_and_column_and_nothing_committed(cast, api_for):
    client = api_for(cast.inspector)
    rows = [[UNIT, "a", "一般", "2024.3.6"], [UNIT, "b", "较大", "2024.13.45"]]
    batch_id = post_file(client, plain_sheet(HEADERS, rows, title="隐患台账")).json()["id"]
    detail = client.get(f"/api/core/imports/hazards/{batch_id}/").json()
    assert detail["status"] == "invalid"
    assert {(e["row"], e["column"]) for e in detail["errors"]} == {(4, "级别"), (4, "检查时间")}
    assert all(e["message"] for e in detail["errors"])
    assert client.post(f"/api/core/imports/hazards/{batch_id}/commit/").status_code == 409
    assert not Hazard.objects.exists()


def test_mapping_over_the_api(cast, api_for):
    client = api_for(cast.inspector)
    data = plain_sheet([*HEADERS, "片区"], [[UNIT, "a", "一般", "2024.3.6", "东片"]])
    batch_id = post_file(client, data).json()["id"]
    detail = client.get(f"/api/core/imports/hazards/{batch_id}/").json()
    assert detail["status"] == "mapping" and detail["unknown_headers"] == ["片区"]
    bad = client.post(
        f"/api/core/imports/hazards/{batch_id}/mapping/", {"columns": {"片区": "nope"}}, format="json"
    )
    assert bad.status_code == 400 and "片区" in bad.json()["columns"]
    ok = client.post(
        f"/api/core/imports/hazards/{batch_id}/mapping/", {"columns": {"片区": "location"}}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "ready"
    assert client.post(f"/api/core/imports/hazards/{batch_id}/commit/").status_code == 202
    assert Hazard.objects.get().location == "东片"


def test_permissions_and_scope(cast, api_for):
    data = plain_sheet(HEADERS, [[UNIT, "a", "一般", "2024.3.6"]])
    assert post_file(api_for(cast.enterprise_a_user), data).status_code == 403
    assert post_file(api_for(cast.office), data, key="nothing").status_code == 404
    data.seek(0)
    batch_id = post_file(api_for(cast.inspector), data).json()["id"]
    # a batch is its uploader's
    assert api_for(cast.office).get(f"/api/core/imports/hazards/{batch_id}/").status_code == 404
    assert api_for(cast.office).post(f"/api/core/imports/hazards/{batch_id}/commit/").status_code == 404
    assert ImportBatch.objects.get().status == "ready"


def test_only_xlsx(cast, api_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post_file(api_for(cast.inspector), SimpleUploadedFile("a.csv", b"a,b"))
    assert response.status_code == 400
