"""Walk every page, filter, htmx fragment, detail page and filtered export as each role would; report 5xx.

    manage.py crawl                 # one active user of each role
    manage.py crawl --user anweiban --user qiye_a
    manage.py crawl --all-users     # every active user (slow on real data)

Exits non-zero when a request answered 5xx or an export's rows differ from its filtered list's rows.
"""

from django.core.management.base import BaseCommand, CommandError

from anjian.core.crawler import Crawler
from anjian.core.models import User


class Command(BaseCommand):
    help = "逐个角色访问所有页面、筛选、htmx 片段、详情页和筛选后的导出，报告服务器错误（5xx）。"

    def add_arguments(self, parser):
        parser.add_argument("--user", action="append", default=[], help="用户名（可重复）")
        parser.add_argument("--all-users", action="store_true", help="每个启用的用户都访问一遍")

    def handle(self, *args, user, all_users, **options):
        users = User.objects.filter(is_active=True).order_by("id")
        if user:
            users = list(users.filter(username__in=user))
            missing = set(user) - {u.username for u in users}
            if missing:
                raise CommandError(f"用户不存在或未启用：{'、'.join(sorted(missing))}")
        elif not all_users:
            by_role = {}
            for candidate in users:
                by_role.setdefault(candidate.role, candidate)
            users = list(by_role.values())
        crawler = Crawler()
        for person in users:
            self.stdout.write(f"crawling as {person.username} ({person.role or 'no role'})")
            crawler.crawl_user(person)
        report = crawler.report
        self.stdout.write(report.summary())
        for failure in report.failures:
            self.stdout.write(str(failure))
        for mismatch in report.mismatches:
            self.stdout.write(mismatch)
        if not report.ok:
            raise CommandError(
                f"{len(report.failures)} 个请求返回 5xx，{len(report.mismatches)} 处导出不一致。"
            )
