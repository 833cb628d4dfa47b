"""Serve the embedded demo: Django's server plus the periodic deadline scan in a background thread.

No broker, no cron: the same scan that Celery beat or cron runs in production runs here every few minutes.
Not for production — use gunicorn/uwsgi behind the intranet proxy, with Celery workers and beat.
"""

import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _scan_forever(interval: int, stop: threading.Event):
    while not stop.wait(interval):
        try:
            call_command("run_deadlines", verbosity=0)
        except Exception as exc:  # keep serving; show the failure
            print(f"定期扫描失败：{exc}")


class Command(BaseCommand):
    help = "启动演示服务器（含后台定期扫描提醒与升级）。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--scan-interval", type=int, default=300, help="扫描间隔（秒）")

    def handle(self, *args, addrport, scan_interval, **options):
        from django.conf import settings
        from django.core.management import get_commands

        if settings.DEPLOYMENT != "embedded":
            raise CommandError(
                "演示服务器只用于嵌入式模式（DEPLOYMENT=embedded）；生产环境请用 gunicorn 运行 anjian.wsgi。"
            )

        stop = threading.Event()
        if "run_deadlines" in get_commands():
            call_command("run_deadlines", verbosity=1)
            threading.Thread(target=_scan_forever, args=(scan_interval, stop), daemon=True).start()
        self.stdout.write(f"演示地址：http://{addrport}/  （演示账号见 README，密码 Anjian@2026）")
        time.sleep(0.1)
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            stop.set()
