"""The ledger export reads plain values, not model instances: every cell must still be what the hazard's own
fields say, in every state (closed, reviewed late in the evening, voided, overdue, listed, inspector by name)."""

import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from anjian.hazards.models import Hazard, Status

from .conftest import make_hazard


def expected_row(index: int, h: Hazard) -> list:
    """The 17 cells, built from a model instance the way the ledger always read them."""

    def day(value):
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d")

    if h.status == Status.CLOSED:
        state = h.rectification_note or "已整改销号"
    elif h.status in (Status.REPORTED, Status.ACCEPTED):
        state = h.rectification_note or "已整改"
    elif h.status == Status.VOIDED:
        state = f"已作废：{h.void_reason}"
    else:
        state = "逾期未整改" if h.is_overdue else "整改中"
    cells = [
        index,
        h.number,
        h.enterprise.name,
        h.description,
        h.get_grade_display(),
        day(h.found_on),
        h.inspector_names or (h.found_by.get_full_name() if h.found_by else ""),
        h.measures,
        h.responsible_person,
        day(h.deadline),
        state,
        h.reviewed_by.get_full_name() if h.reviewed_by else "",
        day(h.reviewed_at),
        day(h.closed_at),
        h.get_status_display(),
        "是" if h.is_overdue else "",
        h.get_supervision_level_display() if h.supervision_level else "",
    ]
    return [None if cell == "" else cell for cell in cells]  # an empty string is an empty cell


def test_every_cell_matches_the_hazard(cast, client_for):
    late_evening = timezone.make_aware(datetime.datetime(2026, 3, 5, 23, 40))  # 15:40 UTC, same day locally
    after_midnight = datetime.datetime(2026, 3, 5, 16, 30, tzinfo=datetime.UTC)  # 00:30 on the 6th locally
    make_hazard(cast, "closed", closed_at=late_evening, reviewed_at=after_midnight)
    make_hazard(cast, "voided", void_reason="重复登记")
    make_hazard(cast, "rectifying", is_overdue=True, supervision_level=1, inspector_names="张三、李四")
    make_hazard(cast, "reported", grade="major", rectification_note="")
    make_hazard(cast, "registered", found_by=None)

    response = client_for(cast.office).get("/hazards/?export=xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    data = rows[[r[0] for r in rows].index("序号") + 1 :]
    hazards = list(Hazard.objects.select_related("enterprise", "found_by", "reviewed_by").order_by("-id"))
    assert len(data) == len(hazards) == 5
    for index, (row, hazard) in enumerate(zip(data, hazards, strict=True), start=1):
        assert list(row) == expected_row(index, hazard), hazard.status
    closed = next(r for r in data if r[14] == "已销号")
    assert closed[12] == "2026-03-06" and closed[13] == "2026-03-05"  # local dates, not UTC
