"""Assessment (考核) and bulletins (通报): schemes, indicators, one-vote veto rules, evaluations and bulletins.

Everything that can be counted is computed from the other apps' records by the indicator registry
(`indicators.py`); only reviewer-scored items are typed in, with evidence. rules.md §7.1 (KH-01…KH-03).
"""

import os
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Territory
from anjian.core.scope import ScopeSpec


class BodyKind(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", "镇街/园区"
    DEPARTMENT = "department", "成员单位（行业部门）"


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已完成"


class Part(models.TextChoices):
    # 过程考核与结果考核相结合, 平时考核与年终考核相结合 (KH-01/KH-02).
    PROCESS = "process", "过程考核（季度）"
    RESULT = "result", "结果考核（年终）"


class Method(models.TextChoices):
    COMPUTED = "computed", "系统计算"
    MANUAL = "manual", "评审打分"


class Grade(models.TextChoices):
    # KH-01 ✅: 优秀 / 良好 / 合格 / 不合格.
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class AssessmentScheme(Audited):
    """A year's assessment scheme (考核办法) for one kind of assessed body in one territory."""

    year = models.PositiveSmallIntegerField("考核年度")
    name = models.CharField("方案名称", max_length=150)
    territory = models.ForeignKey(
        Territory, verbose_name="组织考核的区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    body_kind = models.CharField("被考核对象类型", max_length=24, choices=BodyKind.choices)
    bodies = models.ManyToManyField(
        Organisation, verbose_name="被考核单位", related_name="assessment_schemes", blank=True
    )
    status = models.CharField("状态", max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    process_weight = models.DecimalField(
        "过程考核权重（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    result_weight = models.DecimalField(
        "结果考核权重（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # KH-01/KH-02: 百分制; bands configurable, default 90/80/60 (rules.md §7.1 "default 90/80/60 ❓").
    excellent_min = models.DecimalField("优秀分数线", max_digits=5, decimal_places=2, default=Decimal("90"))
    good_min = models.DecimalField("良好分数线", max_digits=5, decimal_places=2, default=Decimal("80"))
    pass_min = models.DecimalField("合格分数线", max_digits=5, decimal_places=2, default=Decimal("60"))
    description = models.TextField("考核说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year", "name"], name="assessment_scheme_unique")
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}"

    def get_absolute_url(self):
        return reverse("assessment:scheme_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if (self.process_weight or 0) + (self.result_weight or 0) != 100:
            errors["result_weight"] = "过程考核与结果考核权重之和必须为100%。"
        if not (self.excellent_min > self.good_min > self.pass_min > 0):
            errors["good_min"] = "分数线须满足：优秀 > 良好 > 合格 > 0。"
        if errors:
            raise ValidationError(errors)


class Indicator(Audited):
    """One line of the scoring sheet. Computed items name a key of the indicator registry; manual ones are
    scored by reviewers with evidence."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="indicators"
    )
    part = models.CharField("考核类别", max_length=10, choices=Part.choices)
    name = models.CharField("指标名称", max_length=100)
    method = models.CharField("评分方式", max_length=10, choices=Method.choices, default=Method.COMPUTED)
    key = models.CharField("计算指标", max_length=40, blank=True, help_text="系统计算指标的代码")
    max_score = models.DecimalField(
        "分值", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    weight = models.DecimalField(
        "权重系数",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
        help_text="得分 = 达成度 × 分值 × 权重系数",
    )
    # Parameters of the scoring rule: {"target": 0.9} for rates, {"per_item": 2} for deductions.
    params = models.JSONField("评分参数", default=dict, blank=True)
    scoring_rule = models.TextField("评分细则", blank=True, help_text="向被考核单位公开的评分规则")
    evidence_required = models.BooleanField("须上传佐证材料", default=False)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope = ScopeSpec(territory="scheme__territory_path")

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme", "part", "sort_order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.scheme.get_absolute_url()

    @property
    def full_points(self) -> Decimal:
        return self.max_score * self.weight

    def clean(self):
        from .indicators import REGISTRY

        if self.method == Method.COMPUTED and self.key not in REGISTRY:
            raise ValidationError({"key": "请选择一个系统计算指标。"})
        if self.method == Method.MANUAL and self.key:
            raise ValidationError({"key": "评审打分的指标不填写计算指标。"})


class VetoKind(models.TextChoices):
    ACCIDENT_GRADE = "accident_grade", "发生一定等级以上的生产安全事故"
    DEATHS_ABOVE = "deaths_above", "死亡人数超过控制指标"
    MANUAL = "manual", "其他否决事项（人工认定）"


class VetoRule(Audited):
    """一票否决 as data (KH-02/KH-03): a condition that makes the result 不合格 regardless of the score."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="veto_rules"
    )
    name = models.CharField("否决事项", max_length=150)
    kind = models.CharField("判定方式", max_length=20, choices=VetoKind.choices)
    # accident_grade: {"min_grade": "larger", "min_count": 1}; deaths_above: {"max_deaths": 3}.
    params = models.JSONField("判定参数", default=dict, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    scope = ScopeSpec(territory="scheme__territory_path")

    class Meta:
        verbose_name = "一票否决事项"
        verbose_name_plural = "一票否决事项"
        ordering = ["scheme", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.scheme.get_absolute_url()


class Evaluation(models.Model):
    """The score sheet (derived data: refreshed by services.compute_period, which records one named action) of one body for one period: a quarter (process) or the year (final result)."""

    scheme = models.ForeignKey(
        AssessmentScheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="evaluations"
    )
    body = models.ForeignKey(
        Organisation, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="evaluations"
    )
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    quarter = models.PositiveSmallIntegerField(
        "考核期", choices=[(0, "年度"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]
    )
    process_score = models.DecimalField("过程考核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    result_score = models.DecimalField("结果考核得分", max_digits=6, decimal_places=2, null=True, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, default=Decimal("0"))
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField("一票否决", default=False)
    veto_reasons = models.JSONField("否决事由", default=list, blank=True)
    rank = models.PositiveSmallIntegerField("排名", null=True, blank=True)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["scheme", "quarter", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "body", "quarter"], name="evaluation_unique_period")
        ]

    def __str__(self):
        return f"{self.body} {self.scheme.year}年{self.get_quarter_display()}"

    def get_absolute_url(self):
        return reverse("assessment:evaluation_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return f"{self.scheme.year}年{self.get_quarter_display()}"


def evidence_upload_to(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"assessment/{timezone.now():%Y/%m}/{instance.evaluation_id}-{instance.indicator_id}{ext}"


class ItemScore(models.Model):
    """One indicator's value and points in one evaluation. Computed items are refreshed by
    services.compute_period; manual items keep the reviewer's points and evidence."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name="考核结果", on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="scores"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    value = models.DecimalField("指标值", max_digits=12, decimal_places=4, null=True, blank=True)
    numerator = models.IntegerField("分子", null=True, blank=True)
    denominator = models.IntegerField("分母", null=True, blank=True)
    drilldown_url = models.CharField("明细链接", max_length=300, blank=True)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField("评分说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to=evidence_upload_to, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评分人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["evaluation", "indicator__part", "indicator__sort_order", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="itemscore_unique_indicator")
        ]

    def __str__(self):
        return f"{self.evaluation} {self.indicator}"

    def get_absolute_url(self):
        return self.evaluation.get_absolute_url()


class BulletinKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度通报"
    AD_HOC = "ad_hoc", "专项通报"


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class Bulletin(Audited):
    """通报 (季通报、季曝光): generated from the data, edited as a draft, frozen with its data snapshot on issue."""

    kind = models.CharField(
        "通报类型", max_length=12, choices=BulletinKind.choices, default=BulletinKind.QUARTERLY
    )
    status = models.CharField(
        "状态", max_length=8, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    territory = models.ForeignKey(
        Territory, verbose_name="通报范围", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    period_start = models.DateField("统计期起")
    period_end = models.DateField("统计期止")
    scheme = models.ForeignKey(
        AssessmentScheme,
        verbose_name="引用的考核方案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    issuer = models.CharField("发文机关", max_length=100)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True, editable=False)
    recipient = models.CharField("主送", max_length=300)
    copy_to = models.CharField("抄送", max_length=300, blank=True)
    intro = models.TextField("导语")
    overview = models.TextField("总体情况")
    praise = models.TextField("通报表扬", blank=True)
    criticism = models.TextField("通报批评", blank=True)
    requirements = models.TextField("工作要求", blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    data = models.JSONField("数据快照", default=dict, blank=True, editable=False)
    docx = models.FileField("Word 文件", upload_to="bulletins/%Y/", blank=True, editable=False)
    pdf = models.FileField("PDF 文件", upload_to="bulletins/%Y/", blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="印发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True, editable=False)

    scope = ScopeSpec(territory="territory_path")
    # The snapshot is large and written once; the files are rendered once on issue (named action
    # bulletin.issued). Also: core.audit._plain raises on an empty FieldFile (hasattr(value, "url")).
    audit_exclude = ("data", "docx", "pdf")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["territory_path", "-period_end", "-id"], name="bulletin_terr_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:bulletin_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == BulletinStatus.ISSUED

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": "统计期止不能早于统计期起。"})

    def save(self, *args, **kwargs):
        # An issued bulletin is frozen with its snapshot and files: refused here, whatever the caller.
        if self.pk and Bulletin.objects.filter(pk=self.pk, status=BulletinStatus.ISSUED).exists():
            raise ValidationError("已印发的通报不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_issued:
            raise ValidationError("已印发的通报不能删除。")
        return super().delete(*args, **kwargs)
