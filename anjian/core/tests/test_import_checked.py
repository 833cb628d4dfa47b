"""The commit saves the rows the preview checked: the file is not read or checked a second time, and only what may
have changed since the preview is checked again, in bulk (hazards stored meanwhile, the units and the user's
right to register them)."""

from datetime import date

import pytest
from django.core.files.storage import default_storage

from anjian.core.importing import get_importer
from anjian.core.models import DocumentCounter, ImportBatch
from anjian.hazards import numbering
from anjian.hazards.importers import HazardImporter
from anjian.hazards.models import Hazard

from .ledgers import plain_sheet

pytestmark = pytest.mark.django_db

UNIT = "甲化工有限公司"
HEADERS = ["原编号", "单位", "存在问题", "级别", "检查时间"]
ROWS = [
    ["A-1", UNIT, "储罐区静电接地线断开", "一般", "2024.3.6"],
    ["", UNIT, "消防通道堵塞", "一般", "2024年3月7日"],
    ["", UNIT, "配电箱无防护", "重大", "2024/03/08"],
]


def upload(client, rows=ROWS) -> ImportBatch:
    response = client.post(
        "/api/core/imports/hazards/", {"file": plain_sheet(HEADERS, rows)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    return ImportBatch.objects.get(pk=response.json()["id"])


def commit(client, batch) -> ImportBatch:
    client.post(f"/api/core/imports/hazards/{batch.pk}/commit/")
    batch.refresh_from_db()
    return batch


def test_the_commit_saves_the_checked_rows_without_reading_the_file_again(cast, api_for, monkeypatch):
    client = api_for(cast.inspector)
    batch = upload(client)
    assert batch.status == ImportBatch.Status.READY and batch.checked_rows
    kept = batch.checked_rows.name
    assert kept.startswith("imports/checked/") and default_storage.exists(kept)

    def read_again(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(HazardImporter, "read_table", read_again)
    batch = commit(client, batch)
    assert batch.status == ImportBatch.Status.DONE, batch.summary
    assert batch.summary["created"] == 3 and batch.summary["errors"] == 0
    assert set(Hazard.objects.values_list("found_on", flat=True)) == {
        date(2024, 3, 6),
        date(2024, 3, 7),
        date(2024, 3, 8),
    }
    assert Hazard.objects.get(external_ref="A-1").description == "储罐区静电接地线断开"
    # Committed once: the kept rows are gone, the uploaded file stays for the record.
    assert not batch.checked_rows and not default_storage.exists(kept)
    assert default_storage.exists(batch.file.name)


def test_the_kept_rows_are_never_served(cast, api_for, client_for, settings):
    batch = upload(api_for(cast.inspector))
    for user in (cast.inspector, cast.sys_admin, cast.office):
        response = client_for(user).get(f"{settings.MEDIA_URL}{batch.checked_rows.name}")
        assert response.status_code == 404


def test_rows_stored_by_someone_else_after_the_preview_are_skipped(cast, api_for):
    client = api_for(cast.inspector)
    batch = upload(client)
    # Meanwhile the same 原编号 and the same unit, date and description arrive by another import.
    other = get_importer("hazards")(cast.office).commit(plain_sheet(HEADERS, [ROWS[0], ROWS[1]]))
    assert other["created"] == 2
    batch = commit(client, batch)
    assert batch.status == ImportBatch.Status.DONE, batch.summary
    assert (batch.summary["created"], batch.summary["unchanged"]) == (1, 2)
    assert Hazard.objects.count() == 3
    assert Hazard.objects.filter(external_ref="A-1").count() == 1


def test_rows_already_stored_at_the_preview_are_counted_unchanged(cast, api_for):
    client = api_for(cast.inspector)
    get_importer("hazards")(cast.inspector).commit(plain_sheet(HEADERS, [ROWS[2]]))
    batch = upload(client)
    assert batch.summary == {"new": 2, "existing": 1}
    batch = commit(client, batch)
    assert (batch.summary["created"], batch.summary["unchanged"]) == (2, 1)


def test_a_unit_moved_out_of_scope_after_the_preview_saves_nothing(cast, api_for):
    client = api_for(cast.town_a_user)
    batch = upload(client)
    unit = cast.enterprise_a
    unit.territory, unit.territory_path = cast.village_b, cast.village_b.path
    unit.save()
    batch = commit(client, batch)
    assert batch.status == ImportBatch.Status.FAILED
    assert "不在您的数据范围内" in batch.summary["failure"] and batch.summary["created"] == 0
    assert not Hazard.objects.exists()
    assert not DocumentCounter.objects.filter(key=numbering.NUMBER_SERIES, last_number__gt=0).exists()
    assert not batch.checked_rows


def test_a_batch_parsed_again_keeps_only_its_new_check(cast, api_for):
    from anjian.core.tasks import parse_import

    batch = upload(api_for(cast.inspector))
    folder = batch.checked_rows.name.rpartition("/")[0]
    parse_import(batch.pk)
    parse_import(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert default_storage.listdir(folder)[1] == [batch.checked_rows.name.rpartition("/")[2]]


def test_a_file_with_errors_keeps_no_rows(cast, api_for):
    batch = upload(api_for(cast.inspector), [*ROWS, ["", UNIT, "x", "较大", "2024.3.9"]])
    assert batch.status == ImportBatch.Status.INVALID and not batch.checked_rows


def test_a_user_no_longer_allowed_to_register_saves_nothing(cast):
    import tempfile

    from anjian.core.roles import Role

    with tempfile.TemporaryFile() as kept:
        result = get_importer("hazards")(cast.inspector).parse(plain_sheet(HEADERS, ROWS), keep=kept)
        assert result.new == 3 and kept.tell() > 0
        cast.inspector.role = Role.LEADER  # moved to a read-only post after the preview
        cast.inspector.save()
        kept.seek(0)
        counts = get_importer("hazards")(cast.inspector).commit_checked(kept)
    assert counts["created"] == 0 and counts["errors"] == 3
    assert (
        counts["failure"].startswith(f"预览后情况有变（单位“{UNIT}”）：您的角色")
        and "不能登记隐患" in counts["failure"]
    )
    assert not Hazard.objects.exists()
