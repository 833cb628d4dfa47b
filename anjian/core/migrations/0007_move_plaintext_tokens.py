"""Move the keys of the earlier DRF tokens (stored in plain text in `authtoken_token`) to ApiToken digests, so
that existing API clients keep working, and delete the plain-text keys."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("core", "ApiToken")
    User = apps.get_model("core", "User")
    now = timezone.now()
    idle = timedelta(days=getattr(settings, "API_TOKEN_IDLE_DAYS", 30))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    for key, user_id in rows:
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            continue
        ApiToken.objects.get_or_create(
            digest=hashlib.sha256(key.encode()).hexdigest(),
            defaults={
                "user": user,
                "name": "旧版令牌（已迁移）",
                "prefix": key[:8],
                "password_stamp": hashlib.sha256(f"anjian.api_token:{user.password}".encode()).hexdigest(),
                "created_at": now,
                "expires_at": now + idle,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_archive_path")]

    operations = [migrations.RunPython(move_tokens, migrations.RunPython.noop)]
