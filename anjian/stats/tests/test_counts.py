"""The summary table stays equal to a recomputation from the rows, whatever the services do to the hazards."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from anjian.hazards import services
from anjian.hazards.models import Hazard
from anjian.hazards.tests.conftest import make_hazard, valid_data
from anjian.hazards.workflow import TransitionRefused
from anjian.stats import counts
from anjian.stats.models import NOT_LATE, HazardCount

TODAY = timezone.localdate()
CLAUSE = "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）》第十二项"
ACTIONS = [
    "set_plan",
    "start_rectification",
    "report",
    "accept",
    "reject",
    "close",
    "close_on_spot",
    "order_stop",
    "approve_resumption",
    "request_extension",
    "approve_extension",
    "reject_extension",
    "list_supervision",
    "void",
    "reopen",
]
# The usual way of a hazard: (action, actor) from each status.
NEXT_STEP = {
    "registered": ("set_plan", "enterprise"),
    "plan_set": ("start_rectification", "enterprise"),
    "rectifying": ("report", "enterprise"),
    "reported": ("accept", "office"),
    "accepted": ("close", "office"),
}


def stored_total():
    return sum(HazardCount.objects.values_list("n", flat=True))


def test_registration_and_transitions_move_one_hazard(cast):
    hazard = services.register_hazard(
        actor=cast.inspector, enterprise=cast.enterprise_a, description="静电接地断开", grade="general"
    )
    row = HazardCount.objects.get(n=1)
    assert (row.territory_id, row.sector, row.status, row.found_month) == (
        hazard.territory_id,
        cast.hazchem.pk,
        "registered",
        TODAY.replace(day=1),
    )
    assert row.territory_path == hazard.territory_path
    services.void_hazard(hazard, actor=cast.office, reason="重复登记")
    assert dict(HazardCount.objects.filter(n__gt=0).values_list("status", "n")) == {"voided": 1}
    assert counts.verify() == []


def test_a_stale_instance_saved_after_a_transition_is_counted_from_the_stored_row(cast):
    """Two users: one loads the hazard, the other sets a plan, the first saves a grade change from the old
    instance. The move starts from the key in the database, not the one the first instance was loaded with."""
    hazard = make_hazard(cast, "registered")
    stale = Hazard.objects.get(pk=hazard.pk)
    services.perform(hazard, cast.enterprise_a_user, "set_plan", valid_data("set_plan"))
    stale.grade, stale.major_clause = "major", CLAUSE
    stale.save()  # writes status "registered" back, as a full save does
    assert counts.verify() == []
    assert dict(HazardCount.objects.filter(n__gt=0).values_list("status", "grade")) == {"registered": "major"}


def test_save_with_unrelated_update_fields_writes_no_count(cast):
    hazard = make_hazard(cast, "registered")
    hazard.location = "罐区东侧"
    with CaptureQueriesContext(connection) as queries:
        hazard.save(update_fields=["location"])
    assert not [q for q in queries if "stats_hazardcount" in q["sql"] or "FOR UPDATE" in q["sql"]]
    assert counts.verify() == []


def test_overdue_scan_moves_the_flag_and_is_idempotent(cast):
    make_hazard(cast, "rectifying", deadline=TODAY - timedelta(days=2))
    make_hazard(cast, "rectifying", deadline=TODAY + timedelta(days=2))
    make_hazard(cast, "closed", deadline=TODAY - timedelta(days=2))
    assert services.refresh_overdue(TODAY) == 1
    assert services.refresh_overdue(TODAY) == 0
    assert counts.verify() == []
    assert HazardCount.objects.filter(is_overdue=True, n=1).count() == 1
    assert services.refresh_overdue(TODAY + timedelta(days=5)) == 1  # the second one's deadline passes
    assert services.refresh_overdue(TODAY - timedelta(days=5)) == 0  # back in time: both unflagged
    assert counts.verify() == []
    assert not HazardCount.objects.filter(is_overdue=True, n__gt=0).exists()


def test_bulk_insert_counted_by_record_new_hazards(cast):
    first = make_hazard(cast, "registered")
    copies = []
    for i, found_on in enumerate([date(2025, 1, 31), date(2025, 2, 1), date(2025, 2, 28)]):
        copy = Hazard(
            number=f"BULK{i}",
            enterprise=first.enterprise,
            territory=first.territory,
            territory_path=first.territory_path,
            sector=None,
            description="批量导入",
            found_on=found_on,
        )
        copies.append(copy)
    with transaction.atomic():
        Hazard.objects.bulk_create(copies)
        assert len(counts.verify()) == 2  # two months, not yet counted
        counts.record_new_hazards(copies)
    assert counts.verify() == []
    assert dict(HazardCount.objects.filter(sector=0).values_list("found_month", "n")) == {
        date(2025, 1, 1): 1,
        date(2025, 2, 1): 2,
    }


def test_deletion_is_counted(cast):
    hazard = make_hazard(cast, "registered")
    make_hazard(cast, "closed")
    Hazard.objects.filter(pk=hazard.pk).delete()
    assert counts.verify() == []


def test_verify_reports_drift_and_rebuild_repairs_it(cast, capsys):
    make_hazard(cast, "registered")
    make_hazard(cast, "closed", grade="major")
    # A change behind the services' back (raw queryset update): the table no longer matches.
    Hazard.objects.filter(status="registered").update(status="plan_set")
    differences = counts.verify()
    assert [(d.key.status, d.expected, d.stored) for d in differences] == [
        ("plan_set", 1, 0),
        ("registered", 0, 1),
    ]
    with pytest.raises(CommandError) as error:
        call_command("hazard_counts", "verify")
    assert error.value.returncode == 1  # the exit code of manage.py
    assert "应为 1，汇总表为 0" in capsys.readouterr().out
    call_command("hazard_counts", "rebuild")
    assert counts.verify() == []
    call_command("hazard_counts", "verify")
    assert "一致" in capsys.readouterr().out
    assert stored_total() == 2


def test_rebuild_of_an_empty_table_fills_it(cast):
    for status in ("registered", "rectifying", "closed", "voided"):
        make_hazard(cast, status)
    HazardCount.objects.all().delete()
    assert counts.rebuild() == 4
    assert counts.verify() == []


# --- the month of a missed deadline ------------------------------------------------------------------------------
def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_default_timezone())


DEADLINE = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("status", "is_overdue", "deadline", "reported_at", "on_spot", "expected"),
    [
        ("rectifying", True, DEADLINE, None, False, date(2026, 3, 1)),  # flagged by the scan, not reported
        ("rectifying", False, DEADLINE, None, False, NOT_LATE),  # not flagged (yet): not late
        ("reported", False, DEADLINE, _at(DEADLINE + timedelta(days=1), 9), False, date(2026, 3, 1)),
        ("closed", False, DEADLINE, _at(DEADLINE, 23), False, NOT_LATE),  # reported on the deadline day
        # 00:30 on the 16th in Beijing is still the 15th in UTC: the local date counts.
        ("closed", False, DEADLINE, _at(DEADLINE + timedelta(days=1), 0), False, date(2026, 3, 1)),
        ("voided", True, DEADLINE, None, False, NOT_LATE),
        ("closed", False, DEADLINE, None, True, NOT_LATE),  # rectified on the spot
        ("registered", True, None, None, False, NOT_LATE),  # no deadline
        ("closed", False, DEADLINE, None, False, NOT_LATE),  # an old ledger's closed hazard: no report date
    ],
)
def test_late_month_rule(status, is_overdue, deadline, reported_at, on_spot, expected):
    assert counts.late_month(status, is_overdue, deadline, reported_at, on_spot) == expected


@pytest.mark.django_db
@given(
    status=st.sampled_from(["registered", "rectifying", "reported", "closed", "voided"]),
    is_overdue=st.booleans(),
    deadline_days=st.none() | st.integers(-40, 40),
    reported=st.none() | st.tuples(st.integers(-40, 40), st.integers(0, 23)),
    on_spot=st.booleans(),
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_late_month_in_python_equals_the_rows_filter(
    cast, status, is_overdue, deadline_days, reported, on_spot
):
    """late_month (Python, used by every write) and late_q (SQL, used by rebuild, verify and the rows' fallback)
    give one answer — the report's hour included, around midnight in the default time zone."""
    deadline = TODAY + timedelta(days=deadline_days) if deadline_days is not None else None
    reported_at = _at(TODAY + timedelta(days=reported[0]), reported[1]) if reported else None
    with transaction.atomic():
        hazard = make_hazard(cast, status)
        Hazard.objects.filter(pk=hazard.pk).update(
            is_overdue=is_overdue, deadline=deadline, reported_at=reported_at, rectified_on_spot=on_spot
        )
        in_sql = Hazard.objects.filter(counts.late_q(), pk=hazard.pk).exists()
        transaction.set_rollback(True)
    assert in_sql == (counts.late_month(status, is_overdue, deadline, reported_at, on_spot) != NOT_LATE)


# --- random sequences through the real services ----------------------------------------------------------------
@pytest.mark.django_db
def test_random_sequences_keep_the_table_equal_to_the_rows(cast):
    actors = {
        "office": cast.office,
        "inspector": cast.inspector,
        "enterprise": cast.enterprise_a_user,
        "town": cast.town_a_user,
    }
    reached = set()  # statuses the sequences reached, so the test shows it went through the workflow

    class HazardLife(RuleBasedStateMachine):
        hazards = Bundle("hazards")

        @initialize()
        def open_savepoint(self):
            # Each example runs in its own savepoint, rolled back at teardown: examples start from no hazard.
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def teardown(self):
            if hasattr(self, "atomic"):
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)

        @rule(
            target=hazards,
            enterprise=st.sampled_from(["a", "b"]),
            grade=st.sampled_from(["general", "major"]),
            found_days_ago=st.integers(0, 120),
            deadline_days=st.none() | st.integers(-20, 40),
            on_spot=st.booleans(),
        )
        def register(self, enterprise, grade, found_days_ago, deadline_days, on_spot):
            unit = cast.enterprise_a if enterprise == "a" else cast.enterprise_b
            return services.register_hazard(
                actor=cast.office,
                enterprise=unit,
                description="随机登记的隐患",
                grade=grade,
                major_clause=CLAUSE if grade == "major" else "",
                found_on=TODAY - timedelta(days=found_days_ago),
                deadline=TODAY + timedelta(days=deadline_days) if deadline_days is not None else None,
                rectified_on_spot=on_spot and grade == "general",
            )

        @rule(hazard=hazards, action=st.sampled_from(ACTIONS), actor=st.sampled_from(sorted(actors)))
        def act(self, hazard, action, actor):
            data = valid_data(action)
            if "photos" in data:
                from anjian.hazards.tests.conftest import png

                data["photos"] = [png()]
            try:
                with transaction.atomic():
                    services.perform(Hazard.objects.get(pk=hazard.pk), actors[actor], action, data)
            except (TransitionRefused, ValidationError):
                pass  # a refused action changes nothing, and counts nothing

        @rule(hazard=hazards)
        def advance(self, hazard):
            """The next step of the usual way (random actions alone seldom get a hazard to 销号)."""
            row = Hazard.objects.get(pk=hazard.pk)
            step = NEXT_STEP.get(row.status)
            if step:
                self.act(hazard, *step)

        @rule(hazard=hazards, action=st.sampled_from(["void", "reopen", "list_supervision"]))
        def office_acts(self, hazard, action):
            self.act(hazard, action, "office")

        @rule(hazard=hazards, grade=st.sampled_from(["general", "major"]), pending=st.booleans())
        def edit_grade(self, hazard, grade, pending):
            """The edit form's way: load, change the grade, save."""
            row = Hazard.objects.get(pk=hazard.pk)
            row.grade = grade
            row.major_clause = CLAUSE if grade == "major" and not pending else ""
            row.major_basis_pending = grade == "major" and pending
            row.save()

        @rule(days=st.integers(-30, 60))
        def overdue_scan(self, days):
            services.refresh_overdue(TODAY + timedelta(days=days))

        @invariant()
        def table_equals_rows(self):
            assert counts.verify() == []
            reached.update(HazardCount.objects.filter(n__gt=0).values_list("status", flat=True))
            reached.update("overdue" for _ in HazardCount.objects.filter(n__gt=0, is_overdue=True)[:1])
            reached.update("listed" for _ in HazardCount.objects.filter(n__gt=0, supervision_level__gt=0)[:1])
            reached.update(
                "late" for _ in HazardCount.objects.filter(n__gt=0).exclude(late_month=NOT_LATE)[:1]
            )

    run_state_machine_as_test(
        HazardLife,
        settings=settings(
            max_examples=30,
            derandomize=True,  # the same sequences on every run: CI stays repeatable
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert {"registered", "plan_set", "closed", "voided", "overdue", "late"} <= reached, reached


def test_ledger_import_is_counted(cast, client_for):
    """The importer saves each row through Hazard.save(): an import of a twelve-month ledger is counted."""
    from anjian.core.models import ImportBatch
    from anjian.core.tests.ledgers import town_hazard_ledger
    from anjian.core.tests.test_import_ledgers import twelve_months, upload

    client = client_for(cast.inspector)
    batch = upload(client, "hazards", town_hazard_ledger(twelve_months()))
    client.post(f"/core/import/hazards/{batch.pk}/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert stored_total() == Hazard.objects.count() == 24
    assert counts.verify() == []


# --- counts rolled up to the city, county and town ----------------------------------------------------------------
def rolled(depth, territory):
    from anjian.stats.models import HazardRollup

    return sum(HazardRollup.objects.filter(depth=depth, territory=territory).values_list("n", flat=True))


def test_each_change_is_rolled_up_to_the_city_county_and_town(cast):
    hazard = make_hazard(cast, "registered", enterprise=cast.enterprise_a)  # in 甲村, under 甲镇
    make_hazard(cast, "closed", enterprise=cast.enterprise_b)  # in 乙村, under 乙镇
    city = cast.district.parent
    assert [rolled(1, city), rolled(2, cast.district), rolled(3, cast.town_a), rolled(3, cast.town_b)] == [
        2,
        2,
        1,
        1,
    ]
    hazard.grade = "major"
    hazard.save()  # a move between keys moves the rolled-up rows too
    assert counts.verify() == []
    assert rolled(1, city) == 2


def test_a_drifted_rollup_is_reported_and_rebuilt(cast, capsys):
    from anjian.stats.models import HazardRollup

    make_hazard(cast, "registered")
    HazardRollup.objects.filter(depth=2).update(n=5)
    differences = counts.verify()
    assert [(d.depth, d.expected, d.stored) for d in differences] == [(2, 1, 5)]
    assert "分级汇总（层级2）" in str(differences[0])
    call_command("hazard_counts", "rebuild")
    assert counts.verify() == []


def test_rows_without_sector_follow_every_change(cast):
    from anjian.stats.models import NOT_LATE, HazardAreaRollup

    hazard = make_hazard(cast, "registered", enterprise=cast.enterprise_a)
    make_hazard(cast, "closed", enterprise=cast.enterprise_b)
    city = cast.district.parent
    rows = HazardAreaRollup.objects.filter(depth=1, territory=city)
    assert sorted(rows.values_list("status", "n")) == [("closed", 1), ("registered", 1)]
    assert set(rows.values_list("sector", "major_basis_pending", "late_month")) == {(0, False, NOT_LATE)}
    hazard.grade = "major"
    hazard.save()
    assert sorted(rows.exclude(n=0).values_list("grade", "status", "n")) == [
        ("general", "closed", 1),
        ("major", "registered", 1),
    ]
    assert counts.verify() == []


def test_a_drifted_rollup_without_sector_is_reported_and_rebuilt(cast):
    from anjian.stats.models import HazardAreaRollup

    make_hazard(cast, "registered")
    HazardAreaRollup.objects.filter(depth=0).update(n=3)
    differences = counts.verify()
    assert [(d.depth, d.area, d.expected, d.stored) for d in differences] == [(0, True, 1, 3)]
    assert "分级汇总（不分行业）（层级0）" in str(differences[0])
    call_command("hazard_counts", "rebuild")
    assert counts.verify() == []


def test_a_town_moved_to_another_county_rolls_up_there(cast):
    make_hazard(cast, "registered", enterprise=cast.enterprise_a)
    assert (rolled(2, cast.district), rolled(2, cast.other_district)) == (1, 0)
    cast.town_a.parent = cast.other_district
    cast.town_a.save()
    assert (rolled(2, cast.district), rolled(2, cast.other_district)) == (0, 1)
    assert counts.verify() == []
