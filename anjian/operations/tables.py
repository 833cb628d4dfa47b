"""Columns of the list pages and their Excel exports."""

from anjian.core.tables import Column

from . import rules

LEVEL_BADGE = {"blue": "primary", "yellow": "warning", "orange": "danger", "red": "danger"}


def _due_badge(obj):
    from django.utils import timezone

    if obj.status in ("assigned",) and obj.due_date and obj.due_date < timezone.localdate():
        return "danger"
    return "secondary"


TIP_COLUMNS = [
    Column("编号", "number", link=True),
    Column("举报时间", lambda o: o.submitted_at.strftime("%Y-%m-%d %H:%M")),
    Column("渠道", "channel"),
    Column("12345工单号", "hotline_order_no"),
    Column("类型", "kind"),
    Column("内容", "content", display=False),
    Column("发生地", "territory.name"),
    Column("被举报单位", "unit_name"),
    Column("状态", "status", badge=_due_badge),
    Column("紧急", "urgent"),
    Column("承办单位", "assigned_org"),
    Column("办理期限", "due_date"),
    Column("举报人", lambda o: "匿名" if o.anonymous else o.contact_name, display=False),
]

WARNING_COLUMNS = [
    Column("标题", "title", link=True),
    Column("类型", "warning_type"),
    Column("级别", "level", badge=lambda o: LEVEL_BADGE[o.level]),
    Column("开始", lambda o: o.starts_at.strftime("%Y-%m-%d %H:%M")),
    Column("结束", lambda o: o.ends_at.strftime("%Y-%m-%d %H:%M")),
    Column("影响区域", "areas"),
    Column("已解除", "cancelled"),
]

NOTICE_COLUMNS = [
    Column("预警", "warning.title"),
    Column("单位", "enterprise.name"),
    Column("行业", "sector.name"),
    Column("区划", "territory.name"),
    Column("签收期限", lambda o: o.ack_due_at.strftime("%Y-%m-%d %H:%M")),
    Column(
        "签收时间",
        lambda o: o.acknowledged_at.strftime("%Y-%m-%d %H:%M") if o.acknowledged_at else "未签收",
        badge=lambda o: "success" if o.acknowledged_at else "danger",
    ),
    Column("防范措施", "measures"),
]

ROSTER_COLUMNS = [
    Column("值班表", "title", link=True),
    Column("值班单位", "organisation"),
    Column("开始日期", "start_date"),
    Column("结束日期", "end_date"),
    Column("值班电话", "duty_phone"),
]

SHIFT_COLUMNS = [
    Column("日期", "date"),
    Column("值班单位", "organisation"),
    Column("带班领导", "leader_name"),
    Column("带班领导电话", "leader_phone"),
    Column("值班人员", "officer_name"),
    Column("值班人员电话", "officer_phone"),
]

DUTYLOG_COLUMNS = [
    Column("时间", lambda o: o.occurred_at.strftime("%Y-%m-%d %H:%M"), link=True),
    Column("值班单位", "organisation"),
    Column("类别", "kind"),
    Column("来电/报告人", "caller"),
    Column("内容", "summary"),
    Column("处置情况", "action_taken"),
    Column("记录人", "recorded_by"),
]


def _review_badge(obj):
    from django.utils import timezone

    return {"overdue": "danger", "due_soon": "warning", "ok": "success"}[
        rules.plan_review_state(obj.revised_on, timezone.localdate())
    ]


PLAN_COLUMNS = [
    Column("预案名称", "title", link=True),
    Column("编制主体", "owner"),
    Column("编制单位", lambda o: o.enterprise or o.organisation or ""),
    Column("类别", "kind"),
    Column("层级", "level"),
    Column("备案状态", "filing_status"),
    Column("备案日期", "filed_on"),
    Column("最近修订", "revised_on"),
    Column("评估到期", lambda o: rules.plan_review_due(o.revised_on), badge=_review_badge),
]

DRILL_COLUMNS = [
    Column("演练日期", "held_on", link=True),
    Column("预案", "plan.title"),
    Column("区划", "territory.name"),
    Column("形式", "form"),
    Column("参演人数", "participants"),
    Column("发现问题", "issues", display=False),
]


def _expiry_badge(obj):
    from django.utils import timezone

    if obj.expiry_date is None:
        return None
    days = (obj.expiry_date - timezone.localdate()).days
    return "danger" if days < 0 else ("warning" if days <= 30 else None)


SUPPLY_COLUMNS = [
    Column("名称", "name", link=True),
    Column("类别", "category"),
    Column("区划", "territory.name"),
    Column("存放地点", "location"),
    Column("数量", "quantity"),
    Column("单位", "unit"),
    Column("有效期至", "expiry_date", badge=_expiry_badge),
    Column("保管人", "keeper"),
    Column("联系电话", "keeper_phone"),
]

TEAM_COLUMNS = [
    Column("队伍名称", "name", link=True),
    Column("类别", "tier"),
    Column("驻地区划", "territory.name"),
    Column("专业方向", "specialties"),
    Column("负责人", "leader"),
    Column("联系电话", "phone"),
    Column("队员人数", "member_count"),
]

TRAINING_COLUMNS = [
    Column("日期", "held_on", link=True),
    Column("主题", "topic"),
    Column("培训对象", "audience"),
    Column("组织单位", "organiser"),
    Column("区划", "territory.name"),
    Column("学时", "hours"),
    Column("参训人数", "attendee_count"),
]

PUBLICITY_COLUMNS = [
    Column("日期", "held_on", link=True),
    Column("活动名称", "title"),
    Column("类型", "kind"),
    Column("组织单位", "organiser"),
    Column("区划", "territory.name"),
    Column("参与人数", "participants"),
    Column("发放资料", "materials"),
]
