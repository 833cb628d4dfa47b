"""Change a system / security / audit administrator account (三员) on the server, after approval.

Inside the system no administrator may change, grant or revoke an administrator role, nor switch an administrator
account on or off (core.accounts). This command is the separate procedure: run on the server by the operations
staff, it records who ran it and on what authority (action `account.admin_changed`) and alerts every audit
administrator.

    manage.py admin_account --user audit2 --role audit_admin --operator 张三 --reason "安委办〔2026〕12号"
    manage.py admin_account --user sys_admin --deactivate --operator 张三 --reason "调离岗位"
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from anjian.core.accounts import change_admin_account
from anjian.core.models import Territory, User
from anjian.core.roles import Role


class Command(BaseCommand):
    help = "变更三员（系统、安全、审计管理员）账号的角色、启用状态或管理区划；记录审计并通知审计管理员。"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="账号（用户名）")
        parser.add_argument("--role", choices=[*Role.values, "none"], help="新角色；none 为撤销角色")
        state = parser.add_mutually_exclusive_group()
        state.add_argument("--activate", action="store_true", help="启用账号")
        state.add_argument("--deactivate", action="store_true", help="停用账号")
        parser.add_argument("--territory", help="管理的区划（区划代码）")
        parser.add_argument("--operator", required=True, help="执行人姓名")
        parser.add_argument("--reason", required=True, help="变更依据：审批文号或事由")

    def handle(self, *args, user, role, activate, deactivate, territory, operator, reason, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"账号不存在：{user}")
        place = None
        if territory:
            place = Territory.objects.filter(code=territory).first()
            if place is None:
                raise CommandError(f"区划代码不存在：{territory}")
        active = True if activate else False if deactivate else None
        try:
            changes = change_admin_account(
                account,
                operator=operator,
                reason=reason,
                role="" if role == "none" else role,
                active=active,
                territory=place,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if not changes:
            self.stdout.write("无变更。")
            return
        for change in changes:
            self.stdout.write(f"{account.username}：{change}")
        self.stdout.write("已记录审计日志并通知审计管理员。")
