"""Big exports as background jobs (core.export_jobs): the same rows as the filtered list, progress, failures
recorded in Chinese and told to the owner, the file only for its owner while still allowed, expiry, the API."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anjian.core import export_jobs
from anjian.core.exports import ExportTable, safe_cell_value, write_xlsx_streaming
from anjian.core.models import ExportJob
from anjian.core.roles import Role

pytestmark = pytest.mark.django_db

HAZARD_LIST = "/hazards/"
NUMBER_COLUMN = 1  # the hazard ledger: 序号, 隐患编号, …
HEADER_ROWS = 2  # title row, header row


@pytest.fixture
def low_threshold(settings):
    settings.ANJIAN = {**settings.ANJIAN, "EXPORT_JOB_ROWS": 3, "EXPORT_RETENTION_DAYS": 7}


def make_hazards(cast, count, grade="general", enterprise=None, start=0):
    from anjian.hazards.models import Hazard

    enterprise = enterprise or cast.enterprise_a
    today = timezone.localdate()
    return Hazard.objects.bulk_create(
        Hazard(
            number=f"EXP-{grade}-{enterprise.pk}-{start + i:05d}",
            enterprise=enterprise,
            territory=enterprise.territory,
            territory_path=enterprise.territory.path,
            sector=cast.hazchem,
            description=f"=导出测试隐患{i}" if i == 0 else f"导出测试隐患{i}",
            grade=grade,
            status="registered",
            found_by=cast.inspector,
            found_on=today,
            deadline=today + timedelta(days=10),
        )
        for i in range(count)
    )


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True))


def exported_numbers(content: bytes) -> list[str]:
    return [row[NUMBER_COLUMN] for row in sheet_rows(content)[HEADER_ROWS:]]


def listed_numbers(client, query: str) -> list[str]:
    page = client.get(f"{HAZARD_LIST}?{query}").content.decode()
    # each row is shown twice: in the table and as a phone card
    return list(dict.fromkeys(re.findall(r"EXP-[a-z]+-\d+-\d+", page)))


def download(client, job) -> bytes:
    response = client.get(f"/core/exports/{job.pk}/download/")
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


# --- in the request or as a job ----------------------------------------------------------------------------
def test_a_small_export_is_still_answered_directly(cast, client_for, settings):
    settings.ANJIAN = {**settings.ANJIAN, "EXPORT_JOB_ROWS": 50}
    make_hazards(cast, 3)
    response = client_for(cast.office).get(f"{HAZARD_LIST}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not ExportJob.objects.exists()


def test_a_big_export_becomes_a_job_whose_file_equals_the_filtered_list(
    cast, client_for, low_threshold, django_capture_on_commit_callbacks
):
    make_hazards(cast, 5, grade="major")
    make_hazards(cast, 4, grade="general")
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{HAZARD_LIST}?grade=major&export=xlsx&cursor=")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/core/exports/{job.pk}/"
    assert (job.created_by, job.list_path, job.query) == (cast.office, HAZARD_LIST, "grade=major")
    assert job.status == ExportJob.Status.DONE and job.rows_done == job.rows_total == 5
    assert job.expires_at - job.finished_at == timedelta(days=7)

    page = client.get(response["Location"]).content.decode()
    assert f"/core/exports/{job.pk}/download/" in page and "共 5 行" in page
    content = download(client, job)
    listed = listed_numbers(client, "grade=major")
    assert len(listed) == 5
    assert exported_numbers(content) == listed  # same rows, same order as the page
    assert sheet_rows(content)[0][0] == "隐患排查治理台账"  # the ledger's own layout, not the page columns
    assert any(str(cell).startswith("'=导出测试隐患") for row in sheet_rows(content) for cell in row)

    from anjian.notifications.models import Notification

    message = Notification.objects.get(recipient=cast.office, kind=export_jobs.NOTIFICATION_KIND)
    assert message.title == "导出完成：隐患台账" and message.url == f"/core/exports/{job.pk}/"


def test_the_job_keeps_the_scope_of_its_owner(cast, client_for, low_threshold):
    make_hazards(cast, 4, enterprise=cast.enterprise_a)
    make_hazards(cast, 4, enterprise=cast.enterprise_b, start=100)
    client = client_for(cast.town_a_user)
    client.get(f"{HAZARD_LIST}?export=xlsx")
    job = ExportJob.objects.get()
    numbers = exported_numbers(download(client, job))
    assert numbers == listed_numbers(client, "")
    assert numbers and all(f"-{cast.enterprise_a.pk}-" in n for n in numbers)


def test_the_export_link_of_a_list_the_role_may_not_export_is_refused(cast, client_for, low_threshold):
    make_hazards(cast, 4)
    response = client_for(cast.grid_a_user).get(f"{HAZARD_LIST}?export=xlsx")
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


# --- progress and failure ------------------------------------------------------------------------------------
def test_progress_is_reported_while_writing(monkeypatch):
    from anjian.core import exports

    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    seen = []
    rows = ExportTable("表", ["列"], ([i] for i in range(5))).write(io.BytesIO(), progress=seen.append)
    assert rows == 5 and seen == [2, 4, 5]


def test_the_job_page_polls_and_shows_progress_while_running(cast, client_for):
    job = ExportJob.objects.create(
        created_by=cast.office,
        export_name="隐患台账",
        list_path=HAZARD_LIST,
        status=ExportJob.Status.RUNNING,
        rows_done=3000,
        rows_total=12000,
        scope_key="x",
    )
    client = client_for(cast.office)
    page = client.get(f"/core/exports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "3000/12000 行" in page and 'value="25"' in page
    fragment = client.get(f"/core/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job"') and "<html" not in fragment
    assert client.get(f"/core/exports/{job.pk}/download/").status_code == 403


def test_a_failure_is_recorded_in_chinese_and_told_to_the_owner(
    cast, client_for, low_threshold, monkeypatch, django_capture_on_commit_callbacks
):
    from anjian.hazards.views import HazardListView
    from anjian.notifications.models import Notification

    def broken(self, queryset):
        raise RuntimeError("disk full")

    monkeypatch.setattr(HazardListView, "export_table", broken)
    make_hazards(cast, 4)
    client = client_for(cast.office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"{HAZARD_LIST}?export=xlsx")
    assert response.status_code == 302  # the request itself does not fail
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and job.finished_at
    assert job.error.startswith("导出失败：生成文件时出错（RuntimeError）")
    assert "disk full" not in job.error  # internals stay in the log
    assert job.error in client.get(f"/core/exports/{job.pk}/").content.decode()
    assert Notification.objects.filter(recipient=cast.office, title="导出失败：隐患台账").exists()


def test_a_job_whose_owner_lost_the_permission_before_it_ran_fails_with_the_reason(cast):
    job = ExportJob.objects.create(
        created_by=cast.grid_a_user, export_name="隐患台账", list_path=HAZARD_LIST, scope_key="x"
    )
    export_jobs.run_export_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (ExportJob.Status.FAILED, "导出失败：您的角色无权导出此台账。")


def test_a_job_runs_once(cast, low_threshold):
    make_hazards(cast, 4)
    job = ExportJob.objects.create(
        created_by=cast.office, export_name="隐患台账", list_path=HAZARD_LIST, scope_key="x"
    )
    export_jobs.run_export_job(job.pk)
    first = ExportJob.objects.get(pk=job.pk)
    export_jobs.run_export_job(job.pk)  # a redelivered task
    again = ExportJob.objects.get(pk=job.pk)
    assert first.status == again.status == ExportJob.Status.DONE and first.file.name == again.file.name


# --- download: the owner only, with the same role and scope, until expiry ------------------------------------
@pytest.fixture
def done_job(cast, client_for, low_threshold):
    make_hazards(cast, 4)
    client_for(cast.office).get(f"{HAZARD_LIST}?export=xlsx")
    return ExportJob.objects.get()


def test_only_the_owner_sees_the_job_and_gets_the_file(cast, client_for, done_job):
    assert download(client_for(cast.office), done_job)
    for other in (cast.leader, cast.outsider_office, cast.audit_admin):
        client = client_for(other)
        assert client.get(f"/core/exports/{done_job.pk}/").status_code == 404
        assert client.get(f"/core/exports/{done_job.pk}/download/").status_code == 404
    # not a public file either: the media URL of the file answers 404
    assert client_for(cast.office).get(f"/media/{done_job.file.name}").status_code == 404


def test_the_file_is_refused_once_the_owner_lost_the_permission(cast, client_for, done_job):
    cast.office.role = Role.GRID
    cast.office.save()
    response = client_for(cast.office).get(f"/core/exports/{done_job.pk}/download/")
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_the_file_is_refused_once_the_owners_scope_changed(cast, client_for, done_job):
    cast.office.territory = cast.town_b
    cast.office.save()
    client = client_for(cast.office)
    assert client.get(f"/core/exports/{done_job.pk}/download/").status_code == 403
    page = client.get(f"/core/exports/{done_job.pk}/").content.decode()
    assert "数据范围已变化" in page and "/download/" not in page


def test_expired_files_are_refused_then_deleted(cast, client_for, done_job, settings):
    storage_path = done_job.file.path
    ExportJob.objects.filter(pk=done_job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client_for(cast.office).get(f"/core/exports/{done_job.pk}/download/")
    assert response.status_code == 403 and "已过期" in response.content.decode()

    fresh = ExportJob.objects.create(
        created_by=cast.office,
        export_name="新的",
        list_path=HAZARD_LIST,
        scope_key="x",
        status=ExportJob.Status.DONE,
        expires_at=timezone.now() + timedelta(days=1),
    )
    out = io.StringIO()
    call_command("expire_exports", stdout=out)
    assert "已删除 1 个" in out.getvalue()
    assert list(ExportJob.objects.all()) == [fresh]
    import os

    assert not os.path.exists(storage_path)
    call_command("expire_exports", stdout=io.StringIO())  # idempotent
    assert list(ExportJob.objects.all()) == [fresh]


def test_stalled_jobs_without_a_file_are_cleaned_up_too(cast):
    old = ExportJob.objects.create(
        created_by=cast.office, export_name="旧", list_path=HAZARD_LIST, scope_key="x"
    )
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert export_jobs.delete_expired_exports() == 1
    assert not ExportJob.objects.exists()


def test_my_exports_lists_only_my_jobs(cast, client_for, done_job):
    mine = client_for(cast.office).get("/core/exports/").content.decode()
    assert f'href="/core/exports/{done_job.pk}/"' in mine
    theirs = client_for(cast.leader).get("/core/exports/").content.decode()
    assert f"/core/exports/{done_job.pk}/" not in theirs and "暂无导出任务" in theirs


# --- API -------------------------------------------------------------------------------------------------
def test_api_starts_polls_and_downloads_an_export(cast, api_for):
    make_hazards(cast, 3, grade="major")
    make_hazards(cast, 2, grade="general")
    api = api_for(cast.office)
    response = api.post("/api/core/exports/", {"list_url": f"{HAZARD_LIST}?grade=major"}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    status = api.get(f"/api/core/exports/{job_id}/").json()
    assert (
        status["status"] == "done"
        and status["rows_total"] == 3
        and status["list_url"].endswith("grade=major")
    )
    assert status["download_url"] == f"/api/core/exports/{job_id}/download/"
    file = api.get(status["download_url"])
    assert file.status_code == 200
    numbers = exported_numbers(b"".join(file.streaming_content))
    assert len(numbers) == 3 and all(n.startswith("EXP-major-") for n in numbers)
    assert [j["id"] for j in api.get("/api/core/exports/").json()] == [job_id]

    assert api_for(cast.leader).get(f"/api/core/exports/{job_id}/").status_code == 404
    assert api_for(cast.leader).get(f"/api/core/exports/{job_id}/download/").status_code == 404


def test_api_refuses_what_the_page_refuses(cast, api_for):
    forbidden = api_for(cast.grid_a_user).post("/api/core/exports/", {"list_url": HAZARD_LIST}, format="json")
    assert forbidden.status_code == 403 and "无权导出" in forbidden.json()["detail"]
    for url in ("/no/such/page/", "https://example.com/hazards/", "/core/exports/", "//[x/", "hazards/"):
        bad = api_for(cast.office).post("/api/core/exports/", {"list_url": url}, format="json")
        assert bad.status_code == 400, url
    assert not ExportJob.objects.exists()


def test_api_download_before_done_is_a_conflict(cast, api_for):
    job = ExportJob.objects.create(
        created_by=cast.office, export_name="隐患台账", list_path=HAZARD_LIST, scope_key="x"
    )
    response = api_for(cast.office).get(f"/api/core/exports/{job.pk}/download/")
    assert response.status_code == 409 and "尚未生成" in response.json()["detail"]


def test_api_export_endpoints_are_in_the_schema(cast, api_for):
    schema = api_for(cast.office).get("/api/schema/", HTTP_ACCEPT="application/json")
    if schema.status_code == 404:
        pytest.skip("schema served elsewhere")
    text = schema.content.decode()
    for path in ("/api/core/exports/", "/api/core/exports/{id}/", "/api/core/exports/{id}/download/"):
        assert path in text, path


# --- the rows: related fields joined once, values written by type ----------------------------------------------
def test_generic_export_queries_do_not_grow_with_the_rows(cast, client_for, settings):
    """Columns like "enterprise.name" are joined once (no query per row)."""
    from django.db import connection

    settings.ANJIAN = {**settings.ANJIAN, "EXPORT_JOB_ROWS": 10_000}
    client = client_for(cast.office)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(captured)

    # once first: the session's write and the cached filter choices are not per-row queries
    queries("/registry/enterprises/?export=xlsx")
    few = queries("/registry/enterprises/?export=xlsx")
    from anjian.registry.models import Enterprise

    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"导出企业{i}",
            credit_code=f"91990102EXP{i:07d}",
            territory=cast.town_a,
            territory_path=cast.town_a.path,
        )
        for i in range(30)
    )
    assert queries("/registry/enterprises/?export=xlsx") == few


def test_related_paths_follow_foreign_keys_only():
    from anjian.core.tables import Column
    from anjian.hazards.models import Hazard

    columns = [
        Column("单位", "enterprise.name"),
        Column("区划", "enterprise.territory.name"),
        Column("状态", "status"),
        Column("描述", lambda h: h.description),
        Column("不存在", "nothing.name"),
    ]
    assert export_jobs.related_paths(Hazard, columns) == ["enterprise", "enterprise__territory"]


def test_values_are_written_by_type():
    import datetime
    import decimal

    buffer = io.BytesIO()
    write_xlsx_streaming(
        buffer,
        "表:[1]/2?",
        ["文字", "数", "金额", "日期", "时间", "是否", "空"],
        [
            [
                "@SUM(A1)",
                3,
                decimal.Decimal("1.50"),
                datetime.date(2026, 12, 1),
                datetime.datetime(2026, 12, 1, 8, 5),
                True,
                None,
            ]
        ],
        title="标题",
    )
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook.worksheets[0]
    assert sheet.title == "表__1__2_"  # Excel forbids []:*?/\ in sheet names
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "标题" and values[1][0] == "文字"
    assert values[2] == (
        "'@SUM(A1)",
        3,
        1.5,
        datetime.datetime(2026, 12, 1),
        datetime.datetime(2026, 12, 1, 8, 5),
        "是",
        None,
    )
    assert sheet.cell(row=3, column=1).data_type == "s"  # text, never a formula


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(), min_size=1, max_size=5), st.text())
def test_the_streaming_writer_never_fails_and_keeps_the_legal_characters(texts, title):
    """The background writer keeps the protections of safe_cell_value; a CR becomes the LF of a cell's line
    break. (Text that itself looks like Excel's _xHHHH_ escape is left out: Excel decodes it, openpyxl not.)"""
    texts = [t for t in texts if not re.search(r"_x[0-9a-fA-F]{4}_", t)] or [""]
    buffer = io.BytesIO()
    write_xlsx_streaming(buffer, "表", ["列"], [[text] for text in texts], title=title or None)
    values = [row[0] for row in sheet_rows(buffer.getvalue())][1 + (1 if title else 0) :]
    expected = [safe_cell_value(t).replace("\r\n", "\n").replace("\r", "\n") for t in texts]
    assert [value or "" for value in values] == expected
    for text, value in zip(texts, expected, strict=True):
        assert not ILLEGAL_CHARACTERS_RE.search(value)
        legal = ILLEGAL_CHARACTERS_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        assert value in (legal, "'" + legal)
