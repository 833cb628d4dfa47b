"""Public tips (举报): from the public page, the QR code or a 12345 hotline transfer, through triage and
verification to a hazard and/or an enforcement case, with the reporter's receipt code and the reward record."""

import hashlib
import secrets
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Sector, Territory
from anjian.core.scope import ScopeSpec

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_receipt_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def receipt_digest(code: str) -> str:
    """Only the digest is stored: a database leak does not reveal codes that open a tip's progress."""
    return hashlib.sha256(normalise_receipt_code(code).encode()).hexdigest()


class TipChannel(models.TextChoices):
    WEB = "web", "网上举报（含扫码）"
    HOTLINE_12345 = "hotline_12345", "12345热线转办"
    HOTLINE_12350 = "hotline_12350", "12350举报电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"


class TipKind(models.TextChoices):
    # The kinds follow the reward rules (rules.md §5.2 RW-02, RW-03).
    MAJOR_HAZARD = "major_hazard", "重大事故隐患"
    ILLEGAL_OPERATION = "illegal_operation", "非法违法生产经营建设行为"
    CONCEALED_ACCIDENT = "concealed_accident", "瞒报谎报事故"
    GENERAL_HAZARD = "general_hazard", "一般安全隐患"
    OTHER = "other", "其他安全生产问题"


class TipStatus(models.TextChoices):
    RECEIVED = "received", "已受理待分办"
    ASSIGNED = "assigned", "已分办核查中"
    VERIFIED = "verified", "经核查属实"
    UNFOUNDED = "unfounded", "经核查不属实"
    CLOSED = "closed", "已办结"
    REJECTED = "rejected", "不予受理"


class Tip(Audited):
    channel = models.CharField("来源渠道", max_length=16, choices=TipChannel.choices, default=TipChannel.WEB)
    hotline_order_no = models.CharField("12345工单号", max_length=40, blank=True, db_index=True)
    kind = models.CharField(
        "举报类型", max_length=24, choices=TipKind.choices, default=TipKind.GENERAL_HAZARD
    )
    content = models.TextField("举报内容")
    territory = models.ForeignKey(
        Territory, verbose_name="发生地（镇村）", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    address = models.CharField("详细地址", max_length=200, blank=True)
    unit_name = models.CharField("被举报单位", max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="匹配的生产经营单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tips",
    )
    sector = models.ForeignKey(
        Sector, verbose_name="行业领域", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    anonymous = models.BooleanField("匿名举报", default=False)
    contact_name = models.CharField("举报人姓名", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_insider = models.BooleanField("本单位从业人员举报", default=False)
    receipt_digest = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField("举报时间", db_index=True)
    client_ip_digest = models.CharField(max_length=64, blank=True, editable=False)

    status = models.CharField(
        "办理状态", max_length=16, choices=TipStatus.choices, default=TipStatus.RECEIVED, db_index=True
    )
    urgent = models.BooleanField("紧急", default=False, db_index=True)
    assigned_org = models.ForeignKey(
        Organisation,
        verbose_name="承办单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tips",
    )
    due_date = models.DateField("办理期限", null=True, blank=True, db_index=True)
    assigned_at = models.DateTimeField("分办时间", null=True, blank=True)
    verification = models.TextField("核查情况", blank=True)
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    public_reply = models.TextField("答复举报人", blank=True, help_text="举报人凭回执码可见")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复举报（首报）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    scope = ScopeSpec(territory="territory_path", sectors="sector")
    audit_exclude = ("receipt_digest", "client_ip_digest")

    class Meta:
        verbose_name = "举报"
        verbose_name_plural = "举报"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="ops_tip_status_due_idx"),
            models.Index(fields=["-submitted_at", "-id"], name="ops_tip_list_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.content[:20]}"

    @property
    def number(self) -> str:
        return f"JB{self.submitted_at:%Y%m%d}-{self.pk or 0:05d}" if self.submitted_at else "JB-新建"

    def get_absolute_url(self):
        return reverse("operations:tip_detail", args=[self.pk])


class TipPhoto(models.Model):
    tip = models.ForeignKey(Tip, verbose_name="举报", on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="tips/%Y/%m/")
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "举报照片"
        verbose_name_plural = "举报照片"
        ordering = ["id"]

    def __str__(self):
        return f"{self.tip_id} 照片 {self.pk}"


class TipLink(models.Model):
    """What a verified tip became: a hazard and/or an enforcement case (any model, by content type)."""

    tip = models.ForeignKey(Tip, verbose_name="举报", on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    label = models.CharField("说明", max_length=200)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "举报转办结果"
        verbose_name_plural = "举报转办结果"
        ordering = ["id"]

    def __str__(self):
        return self.label


class RewardKind(models.TextChoices):
    HAZARD_OR_ILLEGAL = "hazard_or_illegal", "重大事故隐患、非法违法行为（按罚款比例）"
    CONCEALED_ACCIDENT = "concealed_accident", "瞒报谎报事故（按核实死亡人数）"


class RewardRule(Audited):
    """举报奖励标准 as data, national values as defaults (rules.md §5.2 RW-02, RW-03, RW-08: local tables differ)."""

    kind = models.CharField("奖励类别", max_length=24, choices=RewardKind.choices, unique=True)
    rate = models.DecimalField("罚款比例", max_digits=5, decimal_places=4, default=Decimal("0.15"))
    minimum = models.DecimalField("最低金额（元）", max_digits=12, decimal_places=2, default=Decimal("3000"))
    maximum = models.DecimalField(
        "最高金额（元）", max_digits=12, decimal_places=2, default=Decimal("300000")
    )
    per_death_general = models.DecimalField(
        "一般事故每人（元）", max_digits=12, decimal_places=2, default=30000
    )
    per_death_larger = models.DecimalField(
        "较大事故每人（元）", max_digits=12, decimal_places=2, default=40000
    )
    per_death_major = models.DecimalField(
        "重大事故每人（元）", max_digits=12, decimal_places=2, default=50000
    )
    per_death_especially = models.DecimalField(
        "特别重大事故每人（元）", max_digits=12, decimal_places=2, default=60000
    )
    basis = models.CharField("依据", max_length=200, default="《安全生产领域举报奖励办法》（2018）")

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "举报奖励标准"
        verbose_name_plural = "举报奖励标准"
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class TipReward(Audited):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "拟奖励"
        APPROVED = "approved", "已批准"
        PAID = "paid", "已发放"

    tip = models.OneToOneField(Tip, verbose_name="举报", on_delete=models.PROTECT, related_name="reward")
    territory = models.ForeignKey(Territory, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    rule = models.ForeignKey(RewardRule, verbose_name="奖励标准", on_delete=models.PROTECT, related_name="+")
    fine_amount = models.DecimalField(
        "罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    accident_grade = models.CharField("事故等级", max_length=20, blank=True)
    verified_deaths = models.PositiveIntegerField("核实瞒报死亡人数", default=0)
    amount = models.DecimalField("奖励金额（元）", max_digits=12, decimal_places=2)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROPOSED)
    paid_on = models.DateField("发放日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "举报奖励"
        verbose_name_plural = "举报奖励"
        ordering = ["-id"]

    def __str__(self):
        return f"{self.tip.number} 奖励 {self.amount} 元"

    def get_absolute_url(self):
        return reverse("operations:tip_detail", args=[self.tip_id])
