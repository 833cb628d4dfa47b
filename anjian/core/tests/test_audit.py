"""The audit trail: every change with who, when, role, organisation and a field diff; append-only."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.audit import history_for, record_action
from anjian.core.context import acting_as
from anjian.core.models import AuditEntry, Organisation, OrganisationKind, Sector


def test_create_update_delete_are_recorded_with_diffs(cast):
    with acting_as(user=cast.office, ip="10.1.2.3", request_id="req-1"):
        org = Organisation.objects.create(
            name="测试区林业局", kind=OrganisationKind.DEPARTMENT, territory=cast.district
        )
        org.duty_phone = "0999-1234"
        org.save()
        org.save()  # no change: no entry
        org_pk = org.pk
        org.delete()
    entries = list(
        AuditEntry.objects.filter(object_id=str(org_pk), content_type__model="organisation").order_by("id")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    create, update, delete = entries
    assert create.changes["name"] == [None, "测试区林业局"]
    assert create.changes["kind"] == [None, "成员单位（行业部门）"]  # choices recorded as people read them
    assert create.changes["territory"] == [None, "测试区"]  # related records by name
    assert update.changes == {"duty_phone": ["", "0999-1234"]}
    assert delete.changes["name"] == ["测试区林业局", None]
    for entry in entries:
        assert entry.actor == cast.office
        assert entry.actor_role == "office"
        assert entry.actor_organisation == "测试区安委办"
        assert entry.ip == "10.1.2.3" and entry.request_id == "req-1"
        assert entry.territory_path == cast.district.path


def test_many_to_many_changes_are_recorded(cast):
    with acting_as(user=cast.office):
        cast.yingji.sectors.add(cast.construction)
    entry = history_for(cast.yingji)[0]
    assert entry.action == "m2m"
    assert entry.changes["sectors"] == ["添加", "建筑施工"]


def test_domain_actions_show_in_the_same_history(cast):
    with acting_as(user=cast.inspector):
        record_action(cast.enterprise_a, "test.checked", "现场检查完毕")
    entry = history_for(cast.enterprise_a)[0]
    assert entry.action == "test.checked" and entry.message == "现场检查完毕"
    assert entry.actor_name == "inspector"
    assert [label for label, *_ in entry.change_rows] == []


def test_passwords_are_never_in_the_trail(cast):
    cast.office.set_password("Another-Pass-2026")
    cast.office.save()
    for entry in history_for(cast.office):
        assert "password" not in entry.changes


def test_entries_refuse_change_and_deletion(cast):
    entry = AuditEntry.objects.first()
    entry.message = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(message="篡改")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_database_refuses_updates_behind_the_orm(cast):
    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET message = %s WHERE id = %s", ["篡改", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).message == entry.message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DELETE trigger exists on PostgreSQL only")
def test_database_refuses_deletes_behind_the_orm(cast):
    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_page_edits_are_attributed_to_the_signed_in_user(cast, client_for):
    sector = Sector.objects.get(code="school")
    response = client_for(cast.office).post(
        f"/core/sectors/{sector.pk}/edit/",
        {"code": "school", "name": "学校（含幼儿园）", "description": "", "is_active": "on", "sort_order": 5},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    entry = history_for(sector)[0]
    assert entry.actor == cast.office and entry.ip == "10.9.9.9"
    assert entry.changes["name"] == ["学校", "学校（含幼儿园）"]
    assert entry.request_id == response["X-Request-Id"]


def test_audit_log_page_is_for_the_audit_administrator_only(cast, client_for):
    assert client_for(cast.audit_admin).get("/core/audit/?q=甲化工").status_code == 200
    for user in (cast.office, cast.sys_admin, cast.sec_admin, cast.leader):
        assert client_for(user).get("/core/audit/").status_code == 403
    response = client_for(cast.audit_admin).get("/core/audit/?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_file_fields_are_recorded_by_name_even_when_empty(cast):
    from django.core.files.base import ContentFile

    from anjian.core.models import ImportBatch

    batch = ImportBatch(importer="territories", original_name="a.xlsx", created_by=cast.office)
    from anjian.core.audit import _diff, _plain

    assert _plain(batch.file) == ""  # an empty file must not raise
    batch.file.save("a.xlsx", ContentFile(b"x"), save=False)
    assert _plain(batch.file).endswith(".xlsx")
    assert "file" in _diff(batch, created=True)


# --- bulk: the create entry of a record inserted without save() -----------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    description=st.sampled_from(["", "消防通道堵塞", "0"]),
    grade=st.sampled_from(["general", "major"]),
    deadline=st.none() | st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    closed_at=st.none()
    | st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)),
    funds=st.none() | st.sampled_from([Decimal("0"), Decimal("0.00"), Decimal("1200.50")]),
    level=st.sampled_from([0, 1, 3]),
    flags=st.tuples(st.booleans(), st.booleans()),
    with_sector=st.booleans(),
    held=st.booleans(),
)
def test_a_bulk_create_entry_is_the_entry_a_save_writes(
    cast, description, grade, deadline, closed_at, funds, level, flags, with_sector, held
):
    """record_bulk_creation writes, for each record, the changes on_post_save writes for a created record: the
    same fields left out (empty, False, zero), choices and related records as people read them, dates and
    moments in the same spelling; related names from the objects the instance holds or from the database."""
    from anjian.core.audit import _audited_fields, _created_changes, _diff, _related_labels
    from anjian.core.importing.bulk import unsaved_instance
    from anjian.hazards.models import Hazard

    enterprise = cast.enterprise_a
    attrs = {f.attname: f.get_default() for f in Hazard._meta.concrete_fields}
    attrs.update(
        id=10**9,
        enterprise_id=enterprise.pk,
        territory_id=enterprise.territory_id,
        territory_path=enterprise.territory_path,
        sector_id=enterprise.sectors.first().pk if with_sector else None,
        description=description,
        grade=grade,
        deadline=deadline,
        closed_at=closed_at,
        funds=funds,
        supervision_level=level,
        is_overdue=flags[0],
        rectified_on_spot=flags[1],
    )
    hazard = unsaved_instance(Hazard, attrs)
    if held:
        hazard._state.fields_cache["enterprise"] = enterprise
    fields = list(_audited_fields(hazard))
    bulk = _created_changes(hazard, fields, _related_labels([hazard], fields), {})
    assert bulk == _diff(hazard, created=True)
