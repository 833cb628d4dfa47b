"""The deadlines engine's data: reminder/escalation rules (data, edited by the office), firings (one row per
rule step and deadline, the idempotence key), the in-app inbox, the e-mail/SMS outbox, per-user preferences and
the calendar of key periods (重点时段)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Territory
from anjian.core.scope import ScopeSpec


class Step(models.TextChoices):
    BEFORE = "before", "到期前提醒"
    ON_DAY = "on_day", "到期当日提醒"
    OVERDUE = "overdue", "逾期提醒"
    ESCALATE = "escalate", "逾期升级"


class OffsetUnit(models.TextChoices):
    HOURS = "hours", "小时"
    DAYS = "days", "天"


class ReminderRule(Audited):
    """One step of the reminder ladder of a deadline kind, e.g. "hazard.rectification: 3 days before, inbox+SMS".

    Rules are installation-wide settings (R-0.4: local practice differs, so these are data, not code).
    """

    kind = models.CharField("期限类型", max_length=64, db_index=True)
    step = models.CharField("环节", max_length=16, choices=Step.choices)
    offset = models.PositiveIntegerField(
        "间隔", default=0, help_text="到期前提醒：提前多久；逾期/升级：逾期多久后触发；当日提醒不用"
    )
    unit = models.CharField("单位", max_length=8, choices=OffsetUnit.choices, default=OffsetUnit.DAYS)
    level = models.PositiveSmallIntegerField(
        "升级层级", default=0, help_text="仅逾期升级：1 = 属地/行业监管人员，2 = 镇街/区县安委办，依此类推"
    )
    via_inbox = models.BooleanField("站内消息", default=True)
    via_email = models.BooleanField("电子邮件", default=False)
    via_sms = models.BooleanField("短信", default=False)
    is_active = models.BooleanField("启用", default=True)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "提醒与升级规则"
        verbose_name_plural = "提醒与升级规则"
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "step", "offset", "unit", "level"], name="notifications_rule_unique_step"
            )
        ]

    def __str__(self):
        return f"{self.kind} · {self.describe()}"

    def get_absolute_url(self):
        return reverse("notifications:rule_detail", args=[self.pk])

    @property
    def delta(self) -> timedelta:
        return timedelta(hours=self.offset) if self.unit == OffsetUnit.HOURS else timedelta(days=self.offset)

    def describe(self) -> str:
        amount = f"{self.offset}{self.get_unit_display()}"
        if self.step == Step.BEFORE:
            return f"到期前{amount}提醒"
        if self.step == Step.ON_DAY:
            return "到期当日提醒"
        if self.step == Step.OVERDUE:
            return "到期即提醒（逾期）" if not self.offset else f"逾期{amount}提醒"
        return f"逾期{amount}升级至第{self.level}级"

    def channels_display(self) -> str:
        names = [
            n
            for flag, n in ((self.via_inbox, "站内"), (self.via_email, "邮件"), (self.via_sms, "短信"))
            if flag
        ]
        return "、".join(names) or "（无）"

    def clean(self):
        errors = {}
        if self.step == Step.ESCALATE and self.level < 1:
            errors["level"] = "逾期升级必须指定升级层级（从 1 开始）。"
        if self.step != Step.ESCALATE and self.level:
            errors["level"] = "只有逾期升级需要层级。"
        if self.step == Step.BEFORE and not self.offset:
            errors["offset"] = "到期前提醒必须设置提前量（到期当天请选“到期当日提醒”）。"
        if not (self.via_inbox or self.via_email or self.via_sms):
            errors["via_inbox"] = "至少选择一种通知方式。"
        if errors:
            raise ValidationError(errors)


class Firing(models.Model):
    """A rule step fired for one deadline. The unique constraint is the claim: the scan inserts the row, and a
    second scan (or a redelivered task) fails the insert and does nothing. Append-only."""

    class Outcome(models.TextChoices):
        SENT = "sent", "已通知"
        SUPERSEDED = "superseded", "已被后续环节取代"
        NO_RECIPIENT = "no_recipient", "无接收人"

    rule = models.ForeignKey(
        ReminderRule, verbose_name="规则", on_delete=models.PROTECT, related_name="firings"
    )
    kind = models.CharField("期限类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    due_at = models.DateTimeField("期限")
    fire_at = models.DateTimeField("应触发时间")
    fired_at = models.DateTimeField("实际触发时间")
    outcome = models.CharField("结果", max_length=16, choices=Outcome.choices, default=Outcome.SENT)
    title = models.CharField("事项", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    recipients = models.CharField("接收人", max_length=500, blank=True)
    fallback = models.CharField(
        "代收说明", max_length=300, blank=True, help_text="责任人缺位时改由谁接收、为什么"
    )
    territory_path = models.CharField(max_length=255, db_index=True, blank=True, default="")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        ordering = ["-fired_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "kind", "object_id", "due_at"], name="notifications_firing_once"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "object_id"], name="notif_firing_item_idx"),
            models.Index(fields=["kind", "resolved_at"], name="notif_firing_open_idx"),
        ]

    def __str__(self):
        return f"{self.title} · {self.rule.describe()}"


class Notification(models.Model):
    """An in-app message (站内消息) to one user. E-mail and SMS copies go through `Delivery` (the outbox)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    firing = models.ForeignKey(
        Firing,
        verbose_name="提醒记录",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=64, blank=True)
    step = models.CharField("环节", max_length=16, choices=Step.choices, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firing", "recipient"],
                condition=models.Q(firing__isnull=False),
                name="notifications_once_per_firing",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "-id"], name="notif_inbox_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class Delivery(models.Model):
    """The outbox: one e-mail or SMS to send. Drained by a task with retries; failures stay visible."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    notification = models.ForeignKey(
        Notification, verbose_name="消息", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间")
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间")
    territory_path = models.CharField(max_length=255, db_index=True, blank=True, default="")

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "外发消息"
        verbose_name_plural = "外发消息"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notifications_delivery_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notif_outbox_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.address or '（无地址）'}"

    def get_absolute_url(self):
        return reverse("notifications:delivery_list") + f"?status={self.status}"


class Preference(Audited):
    """Per-user choice of channels. The in-app inbox is always on (a reminder is never lost)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField("接收电子邮件", default=True)
    sms = models.BooleanField("接收短信", default=True)

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"

    def __str__(self):
        return f"{self.user} 的通知偏好"


class KeyPeriodCategory(models.TextChoices):
    SPRING_FESTIVAL = "spring_festival", "春节"
    TWO_SESSIONS = "two_sessions", "全国两会"
    QINGMING = "qingming", "清明"
    MAY_DAY = "may_day", "五一"
    DRAGON_BOAT = "dragon_boat", "端午"
    MID_AUTUMN = "mid_autumn", "中秋"
    NATIONAL_DAY = "national_day", "国庆"
    FLOOD_SEASON = "flood_season", "汛期"
    FOREST_FIRE = "forest_fire", "森林防火期"
    OTHER = "other", "其他"


class KeyPeriod(Audited):
    """A key period (重点时段) of one year for a territory and everything below it."""

    name = models.CharField("名称", max_length=60)
    category = models.CharField("类别", max_length=20, choices=KeyPeriodCategory.choices)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    territory = models.ForeignKey(
        Territory, verbose_name="适用区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    raises_inspection_frequency = models.BooleanField("加密检查频次", default=True)
    requires_pre_holiday_check = models.BooleanField("节前安全检查", default=False)
    requires_duty = models.BooleanField("领导带班和24小时值班", default=False)
    enables_bulletins = models.BooleanField("启用专项通报", default=False)
    notes = models.TextField("工作要求", blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "重点时段"
        verbose_name_plural = "重点时段"
        ordering = ["start_date", "id"]
        indexes = [models.Index(fields=["start_date", "end_date"], name="notif_keyperiod_dates_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="notifications_keyperiod_dates"
            )
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"

    def get_absolute_url(self):
        return reverse("notifications:keyperiod_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if self.start_date and self.year and self.start_date.year not in (self.year, self.year - 1):
            # 春节 may start in the previous calendar year's late January/February window; allow year-1 only.
            errors["year"] = "年度与开始日期不符。"
        if errors:
            raise ValidationError(errors)


class RecipientGap(models.Model):
    """A configuration problem (提醒配置问题) found by the deadline scan: a unit that has nobody in the role its
    reminders go to, or a reminder step that found nobody at all. One row per unit, role and deadline kind,
    updated on each occurrence; resolved by the scan once the unit's role resolves to someone again.

    Shown to the 安委办 (office), who has the accounts opened — a reminder must never go into the void."""

    kind = models.CharField("期限类型", max_length=64)
    rule = models.ForeignKey(
        ReminderRule, verbose_name="最近触发的规则", on_delete=models.CASCADE, related_name="+"
    )
    unit_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit_id = models.CharField(max_length=64, blank=True)
    unit_name = models.CharField("单位", max_length=200, blank=True)
    unit_url = models.CharField(max_length=300, blank=True)
    role = models.CharField("缺少的角色", max_length=16, blank=True)
    fallback = models.CharField("改由谁接收", max_length=300, blank=True, help_text="空：无人接收")
    item_title = models.CharField("最近事项", max_length=200)
    item_url = models.CharField(max_length=300, blank=True)
    occurrences = models.PositiveIntegerField("次数", default=1)
    first_seen_at = models.DateTimeField("首次发现")
    last_seen_at = models.DateTimeField("最近发现")
    resolved_at = models.DateTimeField("已解决", null=True, blank=True)
    territory_path = models.CharField(max_length=255, db_index=True, blank=True, default="")

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "提醒配置问题"
        verbose_name_plural = "提醒配置问题"
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit_type", "unit_id", "role"], name="notifications_gap_once"
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "-last_seen_at"], name="notif_gap_open_idx")]

    def __str__(self):
        return f"{self.unit_name or '（未指明单位）'} · {self.role_display}"

    def get_absolute_url(self):
        return self.unit_url or self.item_url

    @property
    def role_display(self) -> str:
        from anjian.core.roles import Role

        return Role(self.role).label if self.role in Role.values else "提醒接收人"

    @property
    def nobody(self) -> bool:
        return not self.fallback
