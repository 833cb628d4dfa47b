"""The registry of production and business units (生产经营单位) and everything recorded about them.

- Enterprise: the unit itself (credit code, people in charge, territory, GB/T 4754 section, supervision sectors,
  scale, status, overall risk colour);
- sector registers: hazardous chemicals, major hazard sources (+ substances), construction projects, special
  equipment (elevators…), licences/certificates, forest-fire checkpoints;
- risk points (双重预防, LEC or LS) and the supervision frequency table (data, edited by the office);
- the serious-dishonesty list (严重失信主体名单) and the 关闭取缔 register.

Register rows reach their scope through their enterprise (`enterprise__territory_path`): they are small tables
and can then never go stale when a unit moves to another town.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from anjian.core.audit import Audited
from anjian.core.models import Organisation, Sector, Territory
from anjian.core.reversing import object_url
from anjian.core.scope import ScopeSpec

from . import rules


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", "在营"
    SUSPENDED = "suspended", "停产"
    BANNED = "banned", "关闭取缔"
    DEREGISTERED = "deregistered", "注销"


class EnterpriseScale(models.TextChoices):
    ABOVE = "above", "规模以上"
    BELOW = "below", "规模以下"
    SMALL = "small", "小微企业"


class RiskColour(models.TextChoices):
    """The four levels of rules.md §4.1 (values equal rules.RiskLevel values)."""

    MAJOR = rules.RiskLevel.MAJOR.value, "重大风险（红）"
    HIGH = rules.RiskLevel.HIGH.value, "较大风险（橙）"
    MEDIUM = rules.RiskLevel.MEDIUM.value, "一般风险（黄）"
    LOW = rules.RiskLevel.LOW.value, "低风险（蓝）"


# GB/T 4754-2017 门类 (rules.md §8.1 ✅ names), taken from the rules table so there is one list.
GB4754_SECTION_CHOICES = [
    (letter, f"{letter} {name}") for letter, name, _first, _last in rules.GB4754_SECTIONS
]

ENTERPRISE_SCOPE = ScopeSpec(
    territory="enterprise__territory_path", sectors="enterprise__sectors", enterprise="enterprise"
)


class Enterprise(Audited):
    # Searched with two-character words through the pair indexes (core.filters.contains_q, registry 0007).
    pair_search_fields = ("name", "credit_code")

    name = models.CharField("单位名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sectors = models.ManyToManyField(
        Sector, verbose_name="监管行业领域", blank=True, related_name="enterprises"
    )
    status = models.CharField(
        "经营状态", max_length=16, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING
    )
    address = models.CharField("地址", max_length=200, blank=True)

    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    principal_name = models.CharField("主要负责人", max_length=50, blank=True)
    principal_phone = models.CharField("主要负责人电话", max_length=30, blank=True)
    safety_manager_name = models.CharField("安全管理人员", max_length=50, blank=True)
    safety_manager_phone = models.CharField("安全管理人员电话", max_length=30, blank=True)
    longitude = models.DecimalField(
        "经度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("73")), MaxValueValidator(Decimal("136"))],
    )
    latitude = models.DecimalField(
        "纬度",
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("3")), MaxValueValidator(Decimal("54"))],
    )
    economic_section = models.CharField(
        "国民经济行业门类", max_length=1, choices=GB4754_SECTION_CHOICES, blank=True
    )
    industry_code = models.CharField(
        "国民经济行业代码", max_length=5, blank=True, help_text="GB/T 4754-2017 大类/中类/小类代码，如 2614"
    )
    scale = models.CharField("企业规模", max_length=8, choices=EnterpriseScale.choices, blank=True)
    employees = models.PositiveIntegerField("从业人员数", null=True, blank=True)
    # Highest level among the unit's active risk points (rules.overall_risk_level); kept by
    # services.recompute_risk_level, never typed in.
    risk_level = models.CharField(
        "风险等级", max_length=8, choices=RiskColour.choices, blank=True, default="", editable=False
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    scope = ScopeSpec(territory="territory_path", sectors="sectors", enterprise="pk")

    class Meta:
        verbose_name = "生产经营单位"
        verbose_name_plural = "生产经营单位"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["territory_path", "name", "id"], name="registry_ent_path_name"),
            # The list, newest first within the user's territory (prefix): read from the index alone.
            models.Index(
                fields=["territory_path", "id"],
                opclasses=["varchar_pattern_ops", "int8_ops"],
                name="registry_ent_scope_id_idx",
            ),
            models.Index(fields=["status", "name"], name="registry_ent_status"),
            models.Index(fields=["risk_level", "name"], name="registry_ent_risk"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("registry:enterprise_detail", self.pk)

    # Fields that can move a unit to another key of the unit counts (anjian.stats.units).
    COUNTED_FIELDS = frozenset({"territory", "territory_id", "status", "risk_level"})

    def save(self, *args, **kwargs):
        """Every save keeps the unit counts (anjian.stats.units) true in the same transaction: the stored key is
        read under a row lock, then the unit moves from it to its new key."""
        from anjian.stats import units

        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self.COUNTED_FIELDS.intersection(update_fields):
            return super().save(*args, **kwargs)
        with transaction.atomic():
            old = units.locked_key(self.pk) if self.pk is not None else None
            super().save(*args, **kwargs)
            units.unit_saved(old, self)

    @property
    def risk(self) -> rules.RiskLevel | None:
        return rules.RiskLevel(self.risk_level) if self.risk_level else None

    def clean(self):
        errors = {}
        # GB 32100-2015 §4 (rules.md §8.4): 18 characters, charset and MOD 31 check character.
        # (An empty code is refused by the field itself, blank=False.)
        if self.credit_code:
            result = rules.validate_credit_code(self.credit_code)
            if result.valid:
                self.credit_code = result.normalized
            else:
                errors["credit_code"] = result.errors
        if self.industry_code:
            try:
                section = rules.gb4754_section(self.industry_code)
            except ValueError as exc:
                errors["industry_code"] = [str(exc)]
            else:
                self.industry_code = "".join(c for c in self.industry_code.upper() if c.isdigit())
                if self.economic_section and self.economic_section != section:
                    errors["economic_section"] = [
                        f"行业代码{self.industry_code}属于门类{section}，与所选门类{self.economic_section}不一致"
                    ]
                self.economic_section = section
        if errors:
            raise ValidationError(errors)


class SupervisionFrequency(Audited):
    """分级分类监管: inspections per year by risk colour. Data, edited by the office (no national table —
    rules.py §3 / rules.md RK-03); seeded from rules.DEFAULT_INSPECTIONS_PER_YEAR."""

    risk_level = models.CharField("风险等级", max_length=8, choices=RiskColour.choices, unique=True)
    inspections_per_year = models.PositiveSmallIntegerField("每年检查次数")
    note = models.CharField("说明", max_length=200, blank=True)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "分级监管频次"
        verbose_name_plural = "分级监管频次"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_risk_level_display()}：每年{self.inspections_per_year}次"

    def get_absolute_url(self):
        return reverse("registry:frequency_list")


# --- risk points (双重预防机制, rules.md §4) ---------------------------------------------------------------


class RiskMethod(models.TextChoices):
    LEC = "lec", "LEC 作业条件危险性评价法"
    LS = "ls", "LS 风险矩阵法"


class RiskPoint(Audited):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="risk_points"
    )
    name = models.CharField("风险点名称", max_length=100)
    location = models.CharField("所在位置", max_length=100, blank=True)
    hazard_factors = models.TextField("主要危险有害因素", blank=True)
    method = models.CharField("评价方法", max_length=4, choices=RiskMethod.choices, default=RiskMethod.LEC)
    # LEC (rules.md §4.2 RK-11: only the listed discrete values)
    lec_l = models.DecimalField("L 可能性", max_digits=4, decimal_places=1, null=True, blank=True)
    lec_e = models.DecimalField("E 暴露频繁程度", max_digits=4, decimal_places=1, null=True, blank=True)
    lec_c = models.DecimalField("C 后果", max_digits=4, decimal_places=1, null=True, blank=True)
    # LS (rules.md §4.3): integers 1–5
    ls_l = models.PositiveSmallIntegerField("L 可能性（1–5）", null=True, blank=True)
    ls_s = models.PositiveSmallIntegerField("S 严重性（1–5）", null=True, blank=True)
    score = models.DecimalField("风险值（D 或 R）", max_digits=8, decimal_places=2, editable=False, default=0)
    level = models.CharField("风险等级", max_length=8, choices=RiskColour.choices, editable=False)
    control_measures = models.TextField("管控措施", blank=True)
    control_owner = models.CharField("管控责任人", max_length=50, blank=True)
    is_active = models.BooleanField("在用", default=True)
    assessed_on = models.DateField("评价日期", default=date.today)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "风险点"
        verbose_name_plural = "风险点"
        ordering = ["enterprise", "name"]

    def __str__(self):
        return f"{self.enterprise}·{self.name}"

    def get_absolute_url(self):
        return reverse("registry:riskpoint_detail", args=[self.pk])

    def grade(self) -> tuple[Decimal, rules.RiskLevel]:
        """Score and level by the chosen method; ValueError (Chinese) when inputs are not allowed."""
        if self.method == RiskMethod.LEC:
            if None in (self.lec_l, self.lec_e, self.lec_c):
                raise ValueError("LEC 法需要填写 L、E、C 三个取值")
            score = rules.lec_score(self.lec_l, self.lec_e, self.lec_c)
            return score, rules.lec_level(score)
        if None in (self.ls_l, self.ls_s):
            raise ValueError("LS 法需要填写 L、S 两个取值")
        score = rules.ls_score(self.ls_l, self.ls_s)
        return Decimal(score), rules.ls_level(score)

    def clean(self):
        try:
            self.score, level = self.grade()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        self.level = level.value

    def save(self, *args, **kwargs):
        score, level = self.grade()
        self.score, self.level = score, level.value
        super().save(*args, **kwargs)


# --- sector registers -------------------------------------------------------------------------------------


class LicenceKind(models.TextChoices):
    SAFETY_PRODUCTION = "safety", "安全生产许可证"
    HAZCHEM_BUSINESS = "hazchem_business", "危险化学品经营许可证"
    HAZCHEM_USE = "hazchem_use", "危险化学品安全使用许可证"
    FIREWORKS = "fireworks", "烟花爆竹经营许可证"
    CONSTRUCTION = "construction", "建筑施工企业安全生产许可证"
    ROAD_TRANSPORT = "road_transport", "道路运输经营许可证"
    PRINCIPAL_CERT = "principal_cert", "主要负责人安全生产知识和管理能力考核合格证"
    SAFETY_MANAGER_CERT = "manager_cert", "安全生产管理人员考核合格证"
    SPECIAL_OPERATION = "special_operation", "特种作业操作证"
    STANDARDISATION = "standardisation", "安全生产标准化证书"
    OTHER = "other", "其他"


class Licence(Audited):
    """Licences and certificates with a validity date: their expiry surfaces as a warning."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="licences"
    )
    kind = models.CharField("证照类型", max_length=24, choices=LicenceKind.choices)
    number = models.CharField("证号", max_length=60)
    holder = models.CharField("持证人", max_length=50, blank=True, help_text="人员证书填写持证人")
    scope_text = models.CharField("许可范围", max_length=200, blank=True)
    issued_by = models.CharField("发证机关", max_length=100, blank=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", db_index=True)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "证照"
        verbose_name_plural = "证照"
        ordering = ["valid_until", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        return reverse("registry:licence_detail", args=[self.pk])

    def clean(self):
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            raise ValidationError({"valid_until": "有效期至不能早于发证日期"})


class ChemicalActivity(models.TextChoices):
    PRODUCTION = "production", "生产"
    STORAGE = "storage", "储存"
    USE = "use", "使用"
    BUSINESS = "business", "经营"


class HazardousChemical(Audited):
    """危险化学品台账: which chemicals a unit produces, stores, uses or trades, and how much."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="chemicals"
    )
    name = models.CharField("化学品名称", max_length=100)
    cas_no = models.CharField("CAS号", max_length=20, blank=True)
    activity = models.CharField("涉及方式", max_length=12, choices=ChemicalActivity.choices)
    max_quantity_t = models.DecimalField("最大储量（吨）", max_digits=12, decimal_places=3)
    annual_quantity_t = models.DecimalField(
        "年用（产）量（吨）", max_digits=12, decimal_places=3, null=True, blank=True
    )
    storage_place = models.CharField("储存场所", max_length=100, blank=True)
    highly_toxic = models.BooleanField("剧毒化学品", default=False)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "危险化学品"
        verbose_name_plural = "危险化学品"
        ordering = ["enterprise", "name"]

    def __str__(self):
        return f"{self.name}（{self.get_activity_display()}）"

    def get_absolute_url(self):
        return reverse("registry:chemical_detail", args=[self.pk])

    def clean(self):
        if self.max_quantity_t is not None and self.max_quantity_t < 0:
            raise ValidationError({"max_quantity_t": "最大储量不能为负数"})


class MajorHazardSource(Audited):
    """危险化学品重大危险源 (GB 18218-2018, 总局令第40号). R and level are computed from the substances."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="major_hazards"
    )
    name = models.CharField("重大危险源名称", max_length=100)
    record_no = models.CharField("备案编号", max_length=40, blank=True)
    people_within_500m = models.PositiveIntegerField("厂区边界外500米内常住人口数", default=0)
    r_value = models.DecimalField("R值", max_digits=10, decimal_places=2, null=True, editable=False)
    level = models.PositiveSmallIntegerField(
        "级别", null=True, editable=False, choices=list(rules.MAJOR_HAZARD_LEVEL_LABELS.items())
    )
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    filed_on = models.DateField("备案日期", null=True, blank=True)
    # 40号令 第二十三条: file within 15 days of the assessment; re-assessment period (3 years) is ❓ in
    # rules.md CL-33, so the date is entered, not computed.
    next_assessment_on = models.DateField("下次评估日期", null=True, blank=True, db_index=True)
    description = models.TextField("说明", blank=True)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "重大危险源"
        verbose_name_plural = "重大危险源"
        ordering = ["level", "enterprise", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:majorhazard_detail", args=[self.pk])


class MajorHazardSubstance(Audited):
    source = models.ForeignKey(
        MajorHazardSource, verbose_name="重大危险源", on_delete=models.CASCADE, related_name="substances"
    )
    name = models.CharField("危险化学品名称", max_length=100)
    hazard_class = models.CharField(
        "类别", max_length=20, choices=[(c.value, c.label) for c in rules.HazardClass]
    )
    quantity_t = models.DecimalField("实际存在量q（吨）", max_digits=12, decimal_places=3)
    threshold_t = models.DecimalField("临界量Q（吨）", max_digits=12, decimal_places=3)

    scope = ScopeSpec(
        territory="source__enterprise__territory_path",
        sectors="source__enterprise__sectors",
        enterprise="source__enterprise",
    )

    class Meta:
        verbose_name = "重大危险源物质"
        verbose_name_plural = "重大危险源物质"
        ordering = ["source", "id"]

    def __str__(self):
        return f"{self.name} {self.quantity_t}t"

    def beta(self) -> Decimal:
        return rules.beta_for(self.name, self.hazard_class)

    def clean(self):
        if self.threshold_t is not None and self.threshold_t <= 0:
            raise ValidationError({"threshold_t": "临界量Q必须大于0"})
        if self.quantity_t is not None and self.quantity_t < 0:
            raise ValidationError({"quantity_t": "实际存在量不能为负数"})


class ConstructionProject(Audited):
    """建筑施工项目 (工地)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="施工单位",
        on_delete=models.PROTECT,
        related_name="construction_projects",
    )
    name = models.CharField("项目名称", max_length=150)
    builder = models.CharField("建设单位", max_length=150, blank=True)
    supervisor = models.CharField("监理单位", max_length=150, blank=True)
    permit_no = models.CharField("施工许可证号", max_length=60, blank=True)
    site_address = models.CharField("项目地址", max_length=200, blank=True)
    project_manager = models.CharField("项目经理", max_length=50, blank=True)
    project_manager_phone = models.CharField("项目经理电话", max_length=30, blank=True)
    started_on = models.DateField("开工日期", null=True, blank=True)
    planned_completion_on = models.DateField("计划竣工日期", null=True, blank=True, db_index=True)
    completed_on = models.DateField("实际竣工日期", null=True, blank=True)
    has_deep_excavation = models.BooleanField("涉及危大工程", default=False)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "建筑施工项目"
        verbose_name_plural = "建筑施工项目"
        ordering = ["-started_on", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:project_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.started_on and self.planned_completion_on and self.planned_completion_on < self.started_on:
            errors["planned_completion_on"] = "计划竣工日期不能早于开工日期"
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            errors["completed_on"] = "实际竣工日期不能早于开工日期"
        if errors:
            raise ValidationError(errors)


class EquipmentKind(models.TextChoices):
    ELEVATOR = "elevator", "电梯"
    BOILER = "boiler", "锅炉"
    PRESSURE_VESSEL = "vessel", "压力容器"
    PRESSURE_PIPE = "pipe", "压力管道"
    CRANE = "crane", "起重机械"
    VEHICLE = "vehicle", "场（厂）内专用机动车辆"
    RIDE = "ride", "大型游乐设施"
    ROPEWAY = "ropeway", "客运索道"


class SpecialEquipment(Audited):
    """特种设备 (电梯等) with the next periodic inspection date (定期检验)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="使用单位", on_delete=models.PROTECT, related_name="equipment"
    )
    kind = models.CharField("设备类别", max_length=12, choices=EquipmentKind.choices)
    registration_no = models.CharField("使用登记证编号", max_length=60)
    device_code = models.CharField("设备代码", max_length=40, blank=True)
    location = models.CharField("安装位置", max_length=150, blank=True)
    maintenance_unit = models.CharField("维保单位", max_length=150, blank=True)
    installed_on = models.DateField("投用日期", null=True, blank=True)
    last_inspection_on = models.DateField("上次检验日期", null=True, blank=True)
    next_inspection_on = models.DateField("下次检验日期", db_index=True)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "特种设备"
        verbose_name_plural = "特种设备"
        ordering = ["next_inspection_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.registration_no}"

    def get_absolute_url(self):
        return reverse("registry:equipment_detail", args=[self.pk])

    def clean(self):
        if (
            self.last_inspection_on
            and self.next_inspection_on
            and self.next_inspection_on < self.last_inspection_on
        ):
            raise ValidationError({"next_inspection_on": "下次检验日期不能早于上次检验日期"})


class ForestCheckpoint(Audited):
    """森林防火检查卡点: placed by territory (a mountain pass), optionally run by a unit (林场, 景区)."""

    name = models.CharField("卡点名称", max_length=100)
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="管护单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forest_checkpoints",
    )
    rangers = models.CharField("护林员", max_length=200, help_text="姓名及电话，多人用顿号分隔")
    phone = models.CharField("卡点电话", max_length=30, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=8, decimal_places=6, null=True, blank=True)
    season_start = models.DateField("防火期开始", null=True, blank=True)
    season_end = models.DateField("防火期结束", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)

    # Forest-fire checkpoints belong to the 森林防火 sector: inspectors of other departments do not see them.
    scope = ScopeSpec(territory="territory_path", sectors="sectors", enterprise="enterprise")
    sectors = models.ManyToManyField(Sector, verbose_name="行业领域", blank=True, related_name="+")

    class Meta:
        verbose_name = "森林防火卡点"
        verbose_name_plural = "森林防火卡点"
        ordering = ["territory_path", "name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:checkpoint_detail", args=[self.pk])

    def clean(self):
        if self.season_start and self.season_end and self.season_end < self.season_start:
            raise ValidationError({"season_end": "防火期结束不能早于开始"})


# --- credit: serious-dishonesty list (应急管理部令第11号) and 关闭取缔 -----------------------------------


class BlacklistGround(models.TextChoices):
    # 应急管理部令第11号 (rules.md §5.1 CR-04 ✅ accident cases; CR-05 🟡 cases without accident)
    MAJOR_ACCIDENT = "major_accident", "发生特别重大、重大生产安全事故"
    TWO_SERIOUS = "two_serious", "12个月内累计发生2起以上较大生产安全事故"
    ART114 = "art114", "依照安全生产法第一百一十四条被处以2至5倍罚款"
    CONCEALED = "concealed", "瞒报、谎报生产安全事故"
    NO_RESCUE = "no_rescue", "主要负责人不立即组织抢救或逃匿"
    NO_LICENCE = "no_licence", "未依法取得安全生产许可证等擅自生产经营"
    FALSE_REPORT = "false_report", "中介机构出租出借资质、出具虚假报告"
    OTHER = "other", "其他严重失信情形"


class BlacklistStatus(models.TextChoices):
    LISTED = "listed", "名单内"
    REMOVED_EARLY = "removed_early", "已提前移出"
    EXPIRED = "expired", "期满移出"


class BlacklistEntry(Audited):
    """One listing of a unit. `end_date` is the last day of the 3-year period (rules.blacklist_end_date)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="生产经营单位", on_delete=models.PROTECT, related_name="blacklist_entries"
    )
    ground = models.CharField("列入事由", max_length=20, choices=BlacklistGround.choices)
    ground_detail = models.TextField("具体情形", blank=True)
    penalty_decision_no = models.CharField("行政处罚决定书文号", max_length=60)
    decision_no = models.CharField("列入决定书文号", max_length=60)
    decided_by = models.ForeignKey(
        Organisation,
        verbose_name="决定机关",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    start_date = models.DateField("列入日期")
    end_date = models.DateField("管理期限截止日", editable=False)
    removed_on = models.DateField("提前移出日期", null=True, blank=True, editable=False)
    removal_reason = models.TextField("移出（信用修复）理由", blank=True, editable=False)

    scope = ENTERPRISE_SCOPE

    class Meta:
        verbose_name = "严重失信主体名单"
        verbose_name_plural = "严重失信主体名单"
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["enterprise", "start_date", "end_date"], name="registry_bl_ent")]

    def __str__(self):
        return f"{self.enterprise}（{self.start_date}列入）"

    def get_absolute_url(self):
        return reverse("registry:blacklist_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # CR-07 🟡: 3-year period; 民法典 第二百零二条 for the corresponding day.
        self.end_date = rules.blacklist_end_date(self.start_date)
        super().save(*args, **kwargs)

    def is_active_on(self, day: date) -> bool:
        return rules.is_blacklisted_on(self.start_date, self.end_date, self.removed_on, day)

    def status_on(self, day: date) -> str:
        if self.removed_on is not None and day >= self.removed_on:
            return BlacklistStatus.REMOVED_EARLY
        if day > (self.end_date or rules.blacklist_end_date(self.start_date)):
            return BlacklistStatus.EXPIRED
        return BlacklistStatus.LISTED

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return BlacklistStatus(self.status).label

    @property
    def earliest_repair_date(self) -> date:
        return rules.earliest_repair_date(self.start_date)


class ListedPersonRole(models.TextChoices):
    PRINCIPAL = "principal", "主要负责人"
    RESPONSIBLE = "responsible", "其他责任人员"
    INSTITUTION_STAFF = "institution_staff", "中介机构直接责任人员"


class BlacklistPerson(Audited):
    """A person listed with the unit (应急管理部令第11号 第五条、第六条, rules.md CR-04/CR-05: "及其主要负责人", the
    others found responsible, and the staff of assessment/testing institutions). The listing's period, removal and
    restoration are the entry's; the identity card number is kept for matching and shown masked."""

    entry = models.ForeignKey(
        BlacklistEntry, verbose_name="名单记录", on_delete=models.PROTECT, related_name="persons"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=20, choices=ListedPersonRole.choices)
    position = models.CharField("职务", max_length=60, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)

    scope = ScopeSpec(
        territory="entry__enterprise__territory_path",
        sectors="entry__enterprise__sectors",
        enterprise="entry__enterprise",
    )

    class Meta:
        verbose_name = "严重失信主体名单人员"
        verbose_name_plural = "严重失信主体名单人员"
        ordering = ["entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "name", "id_number"], name="registry_bl_person_unique")
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"

    def get_absolute_url(self):
        return self.entry.get_absolute_url()

    @property
    def id_number_masked(self) -> str:
        number = self.id_number
        return f"{number[:6]}********{number[-4:]}" if len(number) == 18 else ("—" if not number else "****")

    def clean(self):
        if self.id_number and not rules.valid_id_number(self.id_number):
            raise ValidationError(
                {"id_number": "身份证号码格式不正确（18位，最后一位可为X，校验码须正确）。"}
            )


def active_blacklist_q(day: date, prefix: str = "") -> models.Q:
    """Entries on the list on `day` (rules.is_blacklisted_on, written as a filter)."""
    return models.Q(**{f"{prefix}start_date__lte": day, f"{prefix}end_date__gte": day}) & (
        models.Q(**{f"{prefix}removed_on__isnull": True}) | models.Q(**{f"{prefix}removed_on__gt": day})
    )


class ClosureRecord(Audited):
    """关闭取缔 register: illegal operators closed down (安全生产法 第一百一十三条; 县级以上人民政府决定,
    第一百一十五条). The unit may be unregistered (非法生产经营): then only its name is known."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="登记的单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closures",
    )
    name = models.CharField("单位（场所）名称", max_length=200)
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    address = models.CharField("地址", max_length=200, blank=True)
    reason = models.TextField("关闭取缔理由")
    decision_no = models.CharField("决定文书号", max_length=60)
    decided_by = models.CharField(
        "决定机关", max_length=100, help_text="县级以上人民政府（安全生产法第一百一十五条）"
    )
    decided_on = models.DateField("决定日期")
    executed_on = models.DateField("执行日期", null=True, blank=True)
    verified_on = models.DateField("复查核实日期", null=True, blank=True, help_text="复查是否死灰复燃")
    verification_note = models.TextField("复查情况", blank=True)

    scope = ScopeSpec(territory="territory_path", enterprise="enterprise")

    class Meta:
        verbose_name = "关闭取缔"
        verbose_name_plural = "关闭取缔"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:closure_detail", args=[self.pk])

    def clean(self):
        if self.decided_on and self.executed_on and self.executed_on < self.decided_on:
            raise ValidationError({"executed_on": "执行日期不能早于决定日期"})
        if self.enterprise_id and not self.name:
            self.name = self.enterprise.name
