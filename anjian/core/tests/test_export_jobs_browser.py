"""A big export in a real browser: filter the list, export → the job's page → the download link → the file's
rows are the filtered list's rows. The threshold is set low so a handful of rows makes a "big" export."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from anjian.core.models import ExportJob
from anjian.core.tests.test_export_jobs import NUMBER_COLUMN, make_hazards

pytestmark = pytest.mark.browser


def test_a_big_filtered_export_runs_as_a_job_and_its_file_equals_the_list(live_cast, page, login, settings):
    settings.ANJIAN = {**settings.ANJIAN, "EXPORT_JOB_ROWS": 3}
    make_hazards(live_cast, 5, grade="major")
    make_hazards(live_cast, 4, grade="general")
    login(page, live_cast.office)
    page.goto(f"{page.base_url}/hazards/")
    rows = page.locator("[data-testid=object-table] tbody tr")
    expect(rows).to_have_count(9)
    page.select_option("#id_grade", "major")
    expect(rows).to_have_count(5)
    # the rows as the page shows them (table and phone cards: each number once, in order)
    listed = list(dict.fromkeys(re.findall(r"EXP-[a-z]+-\d+-\d+", page.content())))

    page.locator("#export-link").click()
    page.wait_for_url(f"{page.base_url}/core/exports/*/")
    job = page.locator("[data-testid=export-job]")
    expect(job).to_have_attribute("data-status", "done")
    link = page.locator("[data-testid=job-download]")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("隐患台账-") and download.suggested_filename.endswith(
        ".xlsx"
    )
    sheet = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).worksheets[0]
    exported = [row[NUMBER_COLUMN] for row in list(sheet.iter_rows(values_only=True))[2:]]
    assert exported == listed and len(exported) == 5

    job_row = ExportJob.objects.get()
    assert job_row.query == "grade=major" and job_row.created_by == live_cast.office
