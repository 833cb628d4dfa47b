"""The problem ledger by responsible body (整改台账): one GROUP BY over the filtered problems, never a query per
row. 整改率 = 已销号 / 问题数 (a problem reported done but not yet closed is still being reviewed)."""

from decimal import Decimal

from django.db.models import Count, Q

from anjian.core.exports import ExportTable

from .filters import overdue_q
from .models import ProblemStatus

S = ProblemStatus


def rate(closed: int, total: int) -> Decimal | None:
    return (Decimal(closed) * 100 / Decimal(total)).quantize(Decimal("0.1")) if total else None


def figures():
    return {
        "total": Count("id"),
        "closed": Count("id", filter=Q(status=S.CLOSED)),
        "rectifying": Count("id", filter=Q(status__in=[S.PENDING, S.RECTIFYING])),
        "reported": Count("id", filter=Q(status=S.REPORTED)),
        "overdue": Count("id", filter=overdue_q()),
    }


def unit_summary(problems) -> list[dict]:
    """[{unit_id, unit, total, closed, rectifying, reported, overdue, rate}] per responsible body."""
    rows = (
        problems.order_by()
        .values("responsible_unit_id", "responsible_unit__name", "responsible_unit__short_name")
        .annotate(**figures())
        .order_by("responsible_unit__name")
    )
    out = []
    for row in rows:
        out.append(
            {
                "unit_id": row["responsible_unit_id"],
                "unit": row["responsible_unit__short_name"] or row["responsible_unit__name"],
                **{k: row[k] for k in ("total", "closed", "rectifying", "reported", "overdue")},
                "rate": rate(row["closed"], row["total"]),
            }
        )
    return out


def totals(problems) -> dict:
    row = problems.order_by().aggregate(**figures())
    return {**row, "rate": rate(row["closed"], row["total"])}


SUMMARY_HEADERS = ["整改责任单位", "问题数", "已销号", "整改中", "待审核", "逾期", "整改率（%）"]


def summary_table(problems) -> ExportTable:
    rows = [
        [r["unit"], r["total"], r["closed"], r["rectifying"], r["reported"], r["overdue"], r["rate"]]
        for r in unit_summary(problems)
    ]
    t = totals(problems)
    rows.append(["合计", t["total"], t["closed"], t["rectifying"], t["reported"], t["overdue"], t["rate"]])
    return ExportTable("督查问题整改台账（按单位）", SUMMARY_HEADERS, rows)
