"""The demo tells the truth: every record it creates has a history that, replayed from the audit trail (the
create entry, then each change in order), gives the record's current field values.

Demo data must therefore be made the way users make data — through the services, which write the audit
trail — never by writing rows behind its back (`queryset.update`, `bulk_create`, backdating by hand).

The demo's territory codes are the test cast's (990102…), so the demo is built in a database of its own, in a
subprocess (`manage.py migrate`, then the demo_data command and the replay, `main` below): a temporary SQLite
file, or — when the suite runs on PostgreSQL — a separate database `<name>_demotruth`, created and dropped here.
"""

import json
import os
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
MAX_REPORTED = 40

pytestmark = pytest.mark.long  # builds the demo district in its own database


# --- the replay (runs inside the demo database's process) ----------------------------------------------------
def _json(value):
    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _same(field, recorded, current) -> bool:
    from django.db import models

    if recorded == current:
        return True
    if isinstance(field, models.DecimalField) and recorded not in (None, "") and current not in (None, ""):
        try:
            return Decimal(str(recorded)) == Decimal(str(current))
        except InvalidOperation:
            return False
    return False


def audited_models():
    from django.apps import apps

    from anjian.core.audit import Audited

    return [
        m
        for m in apps.get_models()
        if issubclass(m, Audited)
        and m._meta.managed
        and not m._meta.proxy
        and m.__module__.startswith("anjian.")
    ]


def existing_keys() -> set[tuple[str, str]]:
    """(model label, pk) of every audited record: taken before the demo, to check only what it created."""
    return {
        (m._meta.label, str(pk))
        for m in audited_models()
        for pk in m._base_manager.values_list("pk", flat=True)
    }


def replay_mismatches(before: set[tuple[str, str]]) -> tuple[int, list[str]]:
    """Replay the audit trail of every audited record not in `before`; returns (records checked, mismatches)."""
    from django.contrib.contenttypes.models import ContentType

    from anjian.core.audit import _audited_fields, _display
    from anjian.core.models import AuditEntry

    checked, problems = 0, []
    for model in audited_models():
        ct = ContentType.objects.get_for_model(model)
        trail: dict[str, list] = {}
        rows = AuditEntry.objects.filter(content_type=ct, action__in=("create", "update", "m2m")).order_by(
            "id"
        )
        for object_id, action, changes in rows.values_list("object_id", "action", "changes").iterator():
            trail.setdefault(object_id, []).append((action, changes))
        fields = None
        m2m = list(model._meta.many_to_many)
        prefetch = [f.name for f in m2m]
        for obj in model._base_manager.prefetch_related(*prefetch).iterator(chunk_size=500):
            key = str(obj.pk)
            if (model._meta.label, key) in before:
                continue
            checked += 1
            fields = fields or list(_audited_fields(obj))
            entries = trail.get(key, [])
            where = f"{model._meta.label}#{key}（{str(obj)[:40]}）"
            if not entries or entries[0][0] != "create":
                problems.append(f"{where}：没有新建记录，审计轨迹无从回放")
                continue
            state: dict[str, object] = {}
            sets: dict[str, set] = {}
            for action, changes in entries:
                for name, (_old, new) in changes.items():
                    if action == "m2m":
                        verb, names = _old, new
                        members = set(filter(None, (names or "").split("、")))
                        current_set = sets.setdefault(name, set())
                        if verb == "添加":
                            current_set |= members
                        elif verb == "移除":
                            current_set -= members
                        else:
                            current_set.clear()
                    else:
                        state[name] = new
            for field in fields:
                raw = getattr(obj, field.attname)
                if field.name not in state:
                    # A create entry leaves out empty values (None, "", False, 0): only those may be missing.
                    if raw not in (None, "", False) and not (field.name == "is_active" and raw is True):
                        problems.append(f"{where}：{field.name} 为 {raw!r}，审计轨迹中从未出现")
                    continue
                current = _json(_display(field, raw))
                if not _same(field, state[field.name], current):
                    problems.append(f"{where}：{field.name} 回放为 {state[field.name]!r}，实际为 {current!r}")
            for field in m2m:
                current_set = {str(o) for o in getattr(obj, field.name).all()}
                if current_set != sets.get(field.name, set()):
                    problems.append(
                        f"{where}：{field.name} 回放为 {sorted(sets.get(field.name, set()))[:5]}，"
                        f"实际为 {sorted(current_set)[:5]}"
                    )
    return checked, problems


def main() -> None:
    """Build the demo in the current (empty, migrated) database and print what the tests check, as JSON."""
    from django.apps import apps
    from django.core.management import call_command

    before = existing_keys()
    with open(os.devnull, "w") as quiet:
        call_command("demo_data", stdout=quiet)
    checked, problems = replay_mismatches(before)
    # The deadlines engine's log, looked up by name: core does not import the apps above it.
    firings = apps.get_model("notifications", "Firing").objects
    result = {
        "checked": checked,
        "problems": problems,
        "firings": firings.exclude(outcome="superseded").count(),
        "no_recipient": firings.filter(outcome="no_recipient").count(),
        "gaps": apps.get_model("notifications", "RecipientGap").objects.count(),
    }
    print("DEMO-TRUTH " + json.dumps(result, ensure_ascii=False))


# --- the tests (run in the suite's process) ----------------------------------------------------------------
def _demo_database(tmp_path):
    """(DATABASE_URL for the subprocess, cleanup function)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{tmp_path / 'demotruth.sqlite3'}", lambda: None
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(f"unsupported database engine {db['ENGINE']}")
    import psycopg

    name = f"{db['NAME']}_demotruth"  # beside the suite's database (per xdist worker too)
    params = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
    }
    params = {k: v for k, v in params.items() if v}
    admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    auth = ""
    if params.get("user"):
        auth = quote(params["user"], safe="") + (
            ":" + quote(params["password"], safe="") if params.get("password") else ""
        )
        auth += "@"
    url = f"postgres://{auth}{params.get('host', 'localhost')}:{params.get('port', 5432)}/{name}"

    def drop():
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return url, drop


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo built once, in a database of its own, by the demo_data command; what `main` found there."""
    tmp_path = tmp_path_factory.mktemp("demotruth")
    url, cleanup = _demo_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path / "media")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    script = "from anjian.core.tests.test_demo_truth import main; main()"
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
        done = subprocess.run(
            [*manage, "shell", "-c", script],
            env=env,
            cwd=ROOT,
            timeout=300,
            capture_output=True,
            text=True,
        )
    finally:
        cleanup()
    line = next((x for x in done.stdout.splitlines() if x.startswith("DEMO-TRUTH ")), None)
    assert line, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(line[len("DEMO-TRUTH ") :])
    assert result["checked"] > 1000, result["checked"]  # the demo was really built
    return result


def test_demo_history_replays_to_the_current_state(demo):
    problems = demo["problems"]
    shown = "\n".join(problems[:MAX_REPORTED])
    assert not problems, f"{len(problems)} 处历史与现状不一致（前 {MAX_REPORTED} 处）：\n{shown}"


def test_demo_reminders_all_reach_somebody(demo):
    # Every step resolves to people through the fallback chain (notifications.recipients); units without
    # accounts show up as configuration problems for the office instead.
    assert demo["firings"] > 100
    assert demo["no_recipient"] == 0
    assert demo["gaps"] > 0
