"""Large ledgers: rows read one chunk at a time, the commit's bulk insert with the same audit trail and summary
counts as a registration, hazard numbers taken in one short transaction (and given back when the import fails),
progress while it runs, and registrations by other users not held up by an import."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from anjian.core.context import acting_as
from anjian.core.importing import base, get_importer
from anjian.core.models import AuditEntry, DocumentCounter
from anjian.hazards import numbering
from anjian.hazards.models import Grade, Hazard, Status

from .ledgers import plain_sheet, town_hazard_ledger

pytestmark = pytest.mark.django_db

UNIT = "甲化工有限公司"


def ledger(rows: int, months=(1, 2, 3), unit=UNIT, major_every=4):
    per_month = {
        month: [
            [
                unit,
                f"{month}月第{n}处：消防通道堵塞",
                "重大" if n % major_every == 0 else "一般",
                f"2024.{month}.{1 + n % 27}",
                "张三",
                "清理通道" if n % 2 else "",
                "王五",
                "15天",
                ("已整改", "整改中", "未整改")[n % 3],
            ]
            for n in range(rows)
        ]
        for month in months
    }
    return town_hazard_ledger(per_month)


def hazards(user):
    return get_importer("hazards")(user)


# --- reading in chunks ----------------------------------------------------------------------------------------
def test_rows_are_checked_chunk_by_chunk_with_duplicates_across_chunks(cast, monkeypatch):
    monkeypatch.setattr(base, "CHUNK_ROWS", 4)
    monkeypatch.setattr(base, "KEEP_ROWS", 5)
    data = ledger(6, months=(1, 2))
    result = hazards(cast.inspector).parse(data)
    assert result.total == 12 and result.new == 12 and result.errors == []
    # The first rows, then only the rows worth telling: the majors of February (待补充判定依据).
    assert len(result.rows) == 5 + 2 and all(row.notes for row in result.rows[5:])
    # A row repeated in another sheet, several chunks later, is refused with the row that came first.
    months = {1: [[UNIT, "储罐区无防火堤", "一般", "2024.1.5"]] * 1, 2: [[UNIT, "x", "一般", "2024.2.5"]] * 5}
    months[3] = [[UNIT, "储罐区无防火堤", "一般", "2024.1.5"]]
    from .ledgers import town_hazard_ledger as build

    result = hazards(cast.inspector).parse(
        build(months, headers=["序号", "单位", "存在问题", "级别", "检查时间"])
    )
    messages = [m for _row, _column, m in result.errors]
    assert "与2024年1月第4行重复。" in messages
    assert result.total == 7


def test_a_sheet_that_starts_lower_and_further_right_keeps_its_row_numbers(cast):
    from openpyxl import Workbook

    from .ledgers import save

    workbook = Workbook()
    sheet = workbook.active
    sheet["C4"], sheet["D4"], sheet["E4"], sheet["F4"] = "单位", "存在问题", "级别", "检查时间"
    sheet["C5"], sheet["D5"], sheet["E5"], sheet["F5"] = UNIT, "x", "一般", "2024.13.5"
    sheet["C6"], sheet["D6"], sheet["E6"], sheet["F6"] = UNIT, "y", "较大", "2024.3.5"
    sheet.merge_cells("C5:C6")
    result = hazards(cast.inspector).parse(save(workbook))
    assert result.table_note.startswith("第4行为表头")
    assert [(row, column) for row, column, _m in result.errors] == [(5, "检查时间"), (6, "级别")]


# --- the commit: bulk insert, the same history as a registration ---------------------------------------------
def test_bulk_commit_writes_the_history_a_registration_writes(cast):
    from anjian.stats.counts import verify

    from .test_demo_truth import existing_keys, replay_mismatches

    before = existing_keys()
    with acting_as(user=cast.inspector, label="inspector"):
        counts = hazards(cast.inspector).commit(ledger(5))
    assert counts == {"created": 15, "updated": 0, "unchanged": 0, "errors": 0}
    imported = Hazard.objects.filter(source="import")
    assert imported.count() == 15
    # Replaying each hazard's audit trail (create entry, then changes) gives its stored values.
    checked, problems = replay_mismatches(before)
    assert checked >= 15 and problems == []
    hazard = imported.filter(grade=Grade.MAJOR).first()
    create = AuditEntry.objects.get(action="create", object_id=str(hazard.pk), content_type__model="hazard")
    assert create.changes["enterprise"] == [None, str(hazard.enterprise)]
    assert create.changes["territory"] == [None, str(hazard.territory)]
    assert (
        create.changes["grade"] == [None, "重大事故隐患"]
        or create.changes["grade"][1] == hazard.get_grade_display()
    )
    assert create.actor == cast.inspector and create.territory_path == hazard.territory_path
    registered = AuditEntry.objects.get(action="hazard.registered", object_id=str(hazard.pk))
    assert registered.message.startswith("按原台账导入") and "待补充判定依据" in registered.message
    assert hazard.major_basis_pending and hazard.deadline == hazard.found_on + timedelta(days=15)
    # The summary counts are true after the bulk insert.
    assert verify() == []
    # Numbers: consecutive, per year, as a registration takes them.
    numbers = sorted(imported.values_list("number", flat=True))
    assert numbers == [f"YH2024{n:07d}" for n in range(1, 16)]
    # Re-importing the same file changes nothing.
    again = hazards(cast.inspector).commit(ledger(5))
    assert again == {"created": 0, "updated": 0, "unchanged": 15, "errors": 0}


def test_states_and_dates_are_stored_as_the_single_path_stored_them(cast):
    data = plain_sheet(
        ["单位", "存在问题", "级别", "检查时间", "整改期限", "整改情况", "复查人", "复查时间"],
        [
            [UNIT, "a", "一般", "24.3.6", "7", "已整改", "赵六", "二〇二四年三月十日"],
            [UNIT, "b", "一般", "2024年三月六日", "立即", "整改中", "", ""],
        ],
    )
    assert hazards(cast.inspector).commit(data)["created"] == 2
    closed, rectifying = Hazard.objects.order_by("description")
    assert closed.status == Status.CLOSED and closed.found_on == date(2024, 3, 6)
    assert closed.deadline == date(2024, 3, 13) and "原台账复查人：赵六" in closed.rectification_note
    assert timezone.localtime(closed.closed_at).date() == date(2024, 3, 10)
    assert rectifying.status == Status.REGISTERED or rectifying.status == Status.RECTIFYING
    assert rectifying.deadline == date(2024, 3, 6)


def test_progress_is_reported_while_checking_and_inserting(cast, monkeypatch):
    monkeypatch.setattr(base, "CHUNK_ROWS", 5)
    seen = []
    counts = hazards(cast.inspector).commit(
        ledger(5), progress=lambda done, total: seen.append((done, total))
    )
    assert counts["created"] == 15
    done = [d for d, _t in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1] == 15 and len(seen) >= 4


def test_a_file_with_an_error_saves_nothing_and_takes_no_number(cast):
    data = plain_sheet(
        ["单位", "存在问题", "级别", "检查时间"],
        [[UNIT, "a", "一般", "2024.3.6"], [UNIT, "b", "较大", "2024.3.6"]],
    )
    assert hazards(cast.inspector).commit(data)["errors"] == 1
    assert not Hazard.objects.exists()
    assert not DocumentCounter.objects.filter(key=numbering.NUMBER_SERIES, last_number__gt=0).exists()


def test_a_failed_insert_gives_its_numbers_back(cast, monkeypatch):
    import anjian.hazards.importers as importers

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importers, "record_bulk_creation", broken)
    with pytest.raises(RuntimeError):
        hazards(cast.inspector).commit(ledger(2))
    assert not Hazard.objects.exists()
    assert DocumentCounter.objects.get(key=numbering.NUMBER_SERIES, year=2024).last_number == 0
    assert numbering.next_hazard_number(2024) == "YH20240000001"


# --- numbers --------------------------------------------------------------------------------------------------
def test_numbers_are_reserved_in_one_block_and_given_back_only_when_last(db):
    block = numbering.reserve_hazard_numbers(2025, 3)
    assert list(block) == [1, 2, 3]
    assert numbering.next_hazard_number(2025) == "YH20250000004"
    assert not numbering.release_hazard_numbers(2025, block)  # someone took a number since: a gap stays
    block = numbering.reserve_hazard_numbers(2025, 2)
    assert numbering.release_hazard_numbers(2025, block)
    from anjian.hazards.services import next_hazard_number

    assert next_hazard_number(2025) == "YH20250000005"
    assert numbering.reserve_hazard_numbers(2025, 0) == range(0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database while writing")
@pytest.mark.django_db(transaction=True)
def test_a_registration_during_a_large_import_is_not_held_up(cast, monkeypatch):
    """While the import inserts (its transaction open), another user takes a number within a second."""
    import anjian.hazards.importers as importers

    inserting, finish = threading.Event(), threading.Event()
    real = importers.record_bulk_creation

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        inserting.set()
        finish.wait(20)  # the import's transaction stays open here
        return result

    monkeypatch.setattr(importers, "record_bulk_creation", slow)
    outcome = {}

    def run_import():
        try:
            outcome["counts"] = hazards(cast.inspector).commit(ledger(3))
        finally:
            connection.close()

    worker = threading.Thread(target=run_import)
    worker.start()
    try:
        assert inserting.wait(60), "the import did not reach its insert"
        start = time.perf_counter()
        with transaction.atomic():
            number = numbering.next_hazard_number(2024)
        waited = time.perf_counter() - start
    finally:
        finish.set()
        worker.join(60)
    assert waited < 1.0 and number == "YH20240000010"  # after the import's block of 9
    assert outcome["counts"]["created"] == 9 and Hazard.objects.count() == 9
