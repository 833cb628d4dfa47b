"""Who may do what with the deadlines engine (rows of the permission table, core.permissions)."""

from anjian.core.roles import BUSINESS_ROLES, GOVERNMENT_ROLES, Role

EVERY_ROLE = frozenset(Role)

PERMISSIONS = {
    # Everybody reads their own inbox and sets their own channels.
    "notifications.view_notification": EVERY_ROLE,
    "notifications.change_preference": EVERY_ROLE,
    # The to-do list is for people who act on business records.
    "notifications.view_todo": BUSINESS_ROLES,
    # Rules are installation-wide settings: government staff read them, the office (安委办) edits them.
    "notifications.view_reminderrule": GOVERNMENT_ROLES,
    "notifications.change_reminderrule": frozenset({Role.OFFICE}),
    # The reminder log (提醒记录台账), within territory scope. Not for department inspectors: a firing does not
    # carry its sector, so a territory-wide log would show them other departments' sectors (管行业必须管安全);
    # they see their own reminders in the inbox and to-do list.
    "notifications.view_firing": frozenset({Role.OFFICE, Role.LEADER, Role.TOWN, Role.GRID}),
    # Key periods: everybody in business reads them (enterprises too: 节前检查), the office edits them.
    "notifications.view_keyperiod": BUSINESS_ROLES,
    "notifications.change_keyperiod": frozenset({Role.OFFICE}),
    # Failed e-mails and SMS: the office watches them and sends again.
    "notifications.view_delivery": frozenset({Role.OFFICE}),
    "notifications.retry_delivery": frozenset({Role.OFFICE}),
    # Configuration problems (提醒配置问题: a unit without anybody in the role its reminders go to): the office
    # has the accounts opened — the rows name units and people of its territory.
    "notifications.view_recipientgap": frozenset({Role.OFFICE}),
}
