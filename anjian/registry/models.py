"""The registry of production and business units (生产经营单位). Extended by the registry capability."""

from django.db import models
from django.urls import reverse

from anjian.core.audit import Audited
from anjian.core.models import Sector, Territory
from anjian.core.scope import ScopeSpec


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", "在营"
    SUSPENDED = "suspended", "停产"
    BANNED = "banned", "关闭取缔"
    DEREGISTERED = "deregistered", "注销"


class Enterprise(Audited):
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

    scope = ScopeSpec(territory="territory_path", sectors="sectors", enterprise="pk")

    class Meta:
        verbose_name = "生产经营单位"
        verbose_name_plural = "生产经营单位"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("registry:enterprise_detail", args=[self.pk])
