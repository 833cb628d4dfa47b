"""The audit trail's one way out: `manage.py archive_audit`.

On PostgreSQL the append-only trigger now lets a DELETE through only when both hold:
- the archive transaction has said how far it archived (SET LOCAL anjian.audit_archived_upto = <last id>), and
  the row is within that range;
- the row is older than six months (等保三级: audit records kept at least six months), whoever asks.
Updates stay refused. SQLite keeps its update trigger (see 0003).
"""

from django.db import migrations

PG_ARCHIVE_PATH = """
CREATE OR REPLACE FUNCTION anjian_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.id <= NULLIF(current_setting('anjian.audit_archived_upto', true), '')::bigint
       AND OLD.timestamp < now() - interval '6 months' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除 (core_auditentry is append-only)';
END;
$$ LANGUAGE plpgsql;
"""
PG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION anjian_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加，不能修改或删除 (core_auditentry is append-only)';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_ARCHIVE_PATH)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_api_tokens")]

    operations = [migrations.RunPython(forwards, backwards)]
