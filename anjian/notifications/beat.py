"""The periodic schedule of the deadlines engine (Celery beat). Merged into the Celery app's configuration by
NotificationsConfig.ready(), so `celery -A anjian beat` needs no settings change. Intervals come from the
environment: NOTIFY_SCAN_SECONDS (default 300), NOTIFY_DRAIN_SECONDS (default 60)."""

import os

BEAT_SCHEDULE = {
    "notifications-scan-deadlines": {
        "task": "notifications.scan_deadlines",
        "schedule": float(os.environ.get("NOTIFY_SCAN_SECONDS", "300")),
    },
    "notifications-drain-outbox": {
        "task": "notifications.drain_outbox",
        "schedule": float(os.environ.get("NOTIFY_DRAIN_SECONDS", "60")),
    },
}
