"""The unit's public tips, weather-warning acknowledgements and training on its file page (一企一档, see
anjian.registry.tabs)."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from anjian.core.tables import Column
from anjian.registry.tabs import EnterpriseTab

from .models import Tip, TrainingAttendee, TrainingSession, WarningNotice


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _training_sessions(enterprise):
    # Attendees name their unit as text (training records come from many organisers): match the unit's name.
    attended = TrainingAttendee.objects.filter(session=OuterRef("pk"), unit=enterprise.name)
    return TrainingSession.objects.filter(Exists(attended)).annotate(
        unit_attendees=Count("attendees", filter=Q(attendees__unit=enterprise.name))
    )


TABS = [
    EnterpriseTab(
        key="tips",
        title="群众举报",
        order=400,
        permission="operations.view_tip",
        records=lambda e: Tip.objects.filter(enterprise=e),
        ordering=("-submitted_at", "-id"),
        columns=(
            Column("举报时间", lambda t: _local(t.submitted_at), link=True),
            Column("类型", "kind"),
            Column("举报内容", lambda t: t.content[:40]),
            Column("办理状态", "status"),
            Column("办理期限", "due_date"),
        ),
        list_url="operations:tip_list",
    ),
    EnterpriseTab(
        key="warnings",
        title="预警签收",
        order=410,
        permission="operations.view_warningnotice",
        records=lambda e: WarningNotice.objects.filter(enterprise=e).select_related("warning"),
        ordering=("-sent_at", "-id"),
        columns=(
            Column("预警", "warning.title", link=True),  # the notice: read and acknowledged there
            Column("级别", "warning.level"),
            Column("通知时间", lambda n: _local(n.sent_at)),
            Column("签收期限", lambda n: _local(n.ack_due_at)),
            Column(
                "签收",
                lambda n: _local(n.acknowledged_at) or "未签收",
                badge=lambda n: None if n.acknowledged_at else "warning",
            ),
            Column("防范措施", lambda n: n.measures[:40]),
        ),
        list_url="operations:notice_list",
    ),
    EnterpriseTab(
        key="training",
        title="安全培训",
        order=420,
        permission="operations.view_training",
        records=_training_sessions,
        ordering=("-held_on", "-id"),
        columns=(
            Column("培训主题", "topic", link=True),
            Column("培训日期", "held_on"),
            Column("培训对象", "audience"),
            Column("学时", "hours"),
            Column("本单位参训人数", "unit_attendees"),
        ),
        # TrainingFilter cannot select sessions by attending unit: no "查看全部".
        list_url="",
        # A session's own changes (venue, hours) are the organiser's, not the unit's: kept off its timeline.
        in_timeline=False,
    ),
]
