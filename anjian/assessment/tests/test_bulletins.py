"""Bulletins: generated from the data, figures equal to the dashboard's, editable as a draft, frozen on issue;
the Word file parses with python-docx and the PDF is a PDF."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from anjian.assessment import bulletins, services
from anjian.assessment.models import Bulletin
from anjian.assessment.periods import Period

from . import factories as f

TODAY = timezone.localdate()
YEAR, QUARTER = TODAY.year, (TODAY.month - 1) // 3 + 1
PERIOD = Period.quarter(YEAR, QUARTER)


@pytest.fixture
def records(cast):
    from anjian.hazards.services import refresh_overdue

    a, b = cast.enterprise_a, cast.enterprise_b
    day = PERIOD.start + timedelta(days=3)
    f.hazard(cast, a, day, status="closed", closed_on=day, deadline=day)
    f.hazard(cast, a, day, status="registered", grade="major", deadline=day + timedelta(days=1))
    for _ in range(3):  # 屡查屡犯: enterprise B with three hazards this quarter
        f.hazard(cast, b, day, status="rectifying", deadline=TODAY + timedelta(days=30))
    refresh_overdue()
    return cast


def _docx_text(content: bytes) -> str:
    from docx import Document

    document = Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_bulletin_figures_match_the_dashboard(records, client_for):
    scheme = f.scheme(records)
    services.compute_period(scheme, QUARTER)
    bulletin = bulletins.create_draft(
        records.district, PERIOD, records.office, scheme=scheme, quarter=QUARTER
    )
    dashboard = client_for(records.office).get("/dashboard/", {"year": YEAR, "quarter": QUARTER})
    figures = dashboard.context["summary"]["hazards"]
    assert bulletin.data["hazards"] == figures  # the same numbers, from the same functions
    towns = {row["territory"].name: row["hazards"] for row in dashboard.context["towns"]}
    assert {t["name"]: t["hazards"] for t in bulletin.data["towns"]} == towns
    assert f"共排查登记事故隐患{figures['found']}项" in bulletin.overview
    exposed = bulletin.data["exposures"]
    assert [x["enterprise"] for x in exposed["major_overdue"]] == ["甲化工有限公司"]
    assert [x["enterprise"] for x in exposed["repeat_offenders"]] == ["乙建筑有限公司"]
    assert [r["body"] for r in bulletin.data["rankings"]]


def test_issue_freezes_number_files_and_snapshot(records, settings):
    bulletin = bulletins.create_draft(records.district, PERIOD, records.office)
    bulletin.praise = "城关街道工作扎实，予以表扬。"
    bulletin.save()
    issued = bulletins.issue_bulletin(bulletin, records.office, issued_on=date(YEAR, 12, 1))
    assert issued.number == f"安委办通〔{YEAR}〕1号" and issued.is_issued
    docx = issued.docx.read()
    text = _docx_text(docx)
    assert issued.title in text and issued.number in text and "城关街道工作扎实" in text
    assert f"共排查登记事故隐患{issued.data['hazards']['found']}项" in text
    assert "抄送" in text and "甲化工有限公司" in text
    pdf = issued.pdf.read()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    # Later records change nothing in the issued bulletin.
    snapshot = dict(issued.data)
    f.hazard(records, records.enterprise_a, PERIOD.start, status="registered")
    issued.refresh_from_db()
    assert issued.data == snapshot
    with pytest.raises(ValidationError):
        issued.save()
    with pytest.raises(ValidationError):
        bulletins.refresh_draft(issued, records.office)
    with pytest.raises(ValidationError):
        bulletins.issue_bulletin(issued, records.office)
    second = bulletins.issue_bulletin(
        bulletins.create_draft(records.district, PERIOD, records.office),
        records.office,
        issued_on=date(YEAR, 12, 2),
    )
    assert second.number == f"安委办通〔{YEAR}〕2号"


def test_issued_docx_opens_in_libreoffice(records, tmp_path):
    from anjian.core.testing import office_convert

    issued = bulletins.issue_bulletin(
        bulletins.create_draft(records.district, PERIOD, records.office), records.office
    )
    assert office_convert(issued.docx.read(), ".docx", "pdf", tmp_path).startswith(b"%PDF")


def test_pages_permissions_and_download(records, client_for):
    office = client_for(records.office)
    response = office.post(
        "/assessment/bulletins/add/",
        {"kind": "quarterly", "territory": records.district.pk, "year": YEAR, "quarter": QUARTER},
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    page = office.get(bulletin.get_absolute_url())
    assert page.status_code == 200 and "印发" in page.content.decode()
    draft = office.get(f"/assessment/bulletins/{bulletin.pk}/file.docx")
    assert "（草稿）" in _docx_text(draft.content)
    edit = office.post(
        f"/assessment/bulletins/{bulletin.pk}/edit/",
        {
            "title": "关于本季度安全生产情况的通报",
            "issuer": "测试区安委办",
            "recipient": "各镇",
            "copy_to": "",
            "intro": "导语",
            "overview": "总体情况（已核对）",
            "praise": "",
            "criticism": "",
            "requirements": "",
        },
    )
    assert edit.status_code == 302
    # Town staff read but may not edit or issue; another town's user cannot see a district bulletin at all.
    town = client_for(records.town_a_user)
    assert town.get(f"/assessment/bulletins/{bulletin.pk}/edit/").status_code == 403
    assert town.post(f"/assessment/bulletins/{bulletin.pk}/do/issue/").status_code == 403
    assert client_for(records.enterprise_a_user).get("/assessment/bulletins/").status_code == 403
    assert office.post(f"/assessment/bulletins/{bulletin.pk}/do/issue/").status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.is_issued and bulletin.overview == "总体情况（已核对）"
    pdf = office.get(f"/assessment/bulletins/{bulletin.pk}/file.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert office.get(f"/assessment/bulletins/{bulletin.pk}/edit/").status_code == 403
    listing = office.get("/assessment/bulletins/", {"export": "xlsx"})
    assert listing.status_code == 200


def test_ad_hoc_bulletin_for_a_date_range(records, client_for):
    office = client_for(records.office)
    start, end = PERIOD.start, PERIOD.start + timedelta(days=10)
    refused = office.post(
        "/assessment/bulletins/add/", {"kind": "ad_hoc", "territory": records.district.pk, "year": YEAR}
    )
    assert refused.status_code == 400
    response = office.post(
        "/assessment/bulletins/add/",
        {
            "kind": "ad_hoc",
            "territory": records.district.pk,
            "year": YEAR,
            "period_start": start,
            "period_end": end,
        },
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get(kind="ad_hoc")
    assert (bulletin.period_start, bulletin.period_end) == (start, end)
    assert bulletin.data["hazards"]["found"] == 5  # all five hazards were found on day 3 of the quarter
    # A town user may only draft within the town — the district is not offered to them.
    assert client_for(records.town_a_user).get("/assessment/bulletins/add/").status_code == 403
