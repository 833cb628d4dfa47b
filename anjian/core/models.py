"""Territories, sectors, organisations, users and the audit trail: what every other app stands on."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse

from . import territory_codes
from .audit import Audited
from .roles import ADMIN_ROLES, GOVERNMENT_ROLES, Role
from .scope import ScopeSpec


class TerritoryKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWN = "town", "镇（乡）"
    STREET = "street", "街道"
    PARK = "park", "园区"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    GRID = "grid", "网格"


# Government level of each kind: 1 province … 4 town/street/park, 5 village/community, 6 grid.
TERRITORY_LEVEL = {
    TerritoryKind.PROVINCE: 1,
    TerritoryKind.CITY: 2,
    TerritoryKind.COUNTY: 3,
    TerritoryKind.TOWN: 4,
    TerritoryKind.STREET: 4,
    TerritoryKind.PARK: 4,
    TerritoryKind.VILLAGE: 5,
    TerritoryKind.COMMUNITY: 5,
    TerritoryKind.GRID: 6,
}


class TerritoryQuerySet(models.QuerySet):
    def subtree(self, territory, include_self=True):
        """The territory and everything below it: one indexed prefix scan on `path`."""
        qs = self.filter(path__startswith=territory.path)
        return qs if include_self else qs.exclude(pk=territory.pk)


class Territory(Audited):
    """A node of the administrative tree (行政区划), from province down to grid.

    `path` is a materialised path of ids ("1.5.23."): the subtree of a node is every row whose path starts
    with the node's path. Business records copy the path of their territory (`territory_path`) so that
    scope filters never need a join.
    """

    code = models.CharField(
        "区划代码",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="统计用区划代码；园区、网格可无官方代码",
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=TerritoryKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)
    retired_on = models.DateField(
        "撤销日期", null=True, blank=True, help_text="撤并后的区划保留代码，不得复用"
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = TerritoryQuerySet.as_manager()
    scope = ScopeSpec(territory="path")

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:territory_detail", args=[self.pk])

    @property
    def level(self) -> int:
        return TERRITORY_LEVEL[self.kind]

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split(".") if part]

    def ancestors(self, include_self=False):
        ids = self.ancestor_ids if include_self else self.ancestor_ids[:-1]
        return Territory.objects.filter(pk__in=ids).order_by("depth")

    def descendants(self, include_self=True):
        return Territory.objects.subtree(self, include_self=include_self)

    def contains(self, other: "Territory") -> bool:
        return other.path.startswith(self.path)

    @property
    def full_name(self) -> str:
        return "".join(t.name for t in self.ancestors(include_self=True) if t.level >= 3)

    def clean(self):
        errors = {}
        code_errors = territory_codes.validate_code(
            self.kind,
            self.code or "",
            self.parent.kind if self.parent else None,
            self.parent.code if self.parent else None,
        )
        if code_errors:
            errors["code"] = code_errors
        if self.parent and TERRITORY_LEVEL[self.kind] <= self.parent.level:
            errors["kind"] = f"{self.get_kind_display()}不能设在{self.parent.get_kind_display()}之下。"
        if self.pk and self.parent and self.parent.path.startswith(self.path):
            errors["parent"] = "上级区划不能是本区划或其下级。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            new_path = (self.parent.path if self.parent else "") + f"{self.pk}."
            if new_path != old_path:
                self.depth = new_path.count(".") - 1
                Territory.objects.filter(pk=self.pk).update(path=new_path, depth=self.depth)
                self.path = new_path
                if old_path:
                    self._move_subtree(old_path, new_path)

    def _move_subtree(self, old_path: str, new_path: str):
        """Re-root descendants and every record that copied a path below the old one."""
        from .scope import rewrite_territory_paths

        for child in Territory.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child_path = new_path + child.path[len(old_path) :]
            Territory.objects.filter(pk=child.pk).update(path=child_path, depth=child_path.count(".") - 1)
        rewrite_territory_paths(old_path, new_path)


class Sector(Audited):
    """A safety-supervision sector (行业领域), e.g. 危险化学品, 建筑施工. Reference data, editable by the office."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope = ScopeSpec(public=True)

    class Meta:
        verbose_name = "监管行业领域"
        verbose_name_plural = "监管行业领域"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:sector_detail", args=[self.pk])


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", "安全生产委员会"
    OFFICE = "office", "安委会办公室"
    SPECIAL_COMMITTEE = "special_committee", "专业委员会"
    DEPARTMENT = "department", "成员单位（行业部门）"
    LOCAL_GOVERNMENT = "local_government", "镇街/园区"
    VILLAGE_COMMITTEE = "village_committee", "村（居）委会"


class Organisation(Audited):
    """A government body. Departments declare the sectors they supervise: 管行业必须管安全
    (安全生产法 第三条、第十条第二款: departments with supervisory duties supervise the sectors they are in charge of)."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("类型", max_length=24, choices=OrganisationKind.choices)
    territory = models.ForeignKey(
        Territory, verbose_name="所属区划", on_delete=models.PROTECT, related_name="organisations"
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    lead_department = models.ForeignKey(
        "self",
        verbose_name="牵头部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_committees",
        help_text="专业委员会的牵头部门",
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name="监管行业领域", blank=True, related_name="organisations"
    )
    duty_phone = models.CharField("值班电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["territory_path", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["territory", "name"], name="organisation_unique_name")]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("core:organisation_detail", args=[self.pk])

    def clean(self):
        if self.lead_department_id and self.kind != OrganisationKind.SPECIAL_COMMITTEE:
            raise ValidationError({"lead_department": "只有专业委员会需要设置牵头部门。"})
        if self.lead_department_id and self.lead_department.kind != OrganisationKind.DEPARTMENT:
            raise ValidationError({"lead_department": "牵头部门必须是成员单位。"})


class User(Audited, AbstractUser):
    """A person who signs in. Belongs to an organisation and a territory (or, for enterprise staff, an enterprise)."""

    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20, blank=True)
    # Empty until the security administrator grants a role (三员分立): such an account sees nothing.
    role = models.CharField("角色", max_length=16, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name="所属区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    territory_path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    title = models.CharField("职务", max_length=50, blank=True)
    certificate_no = models.CharField("执法证号", max_length=40, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = UserManager()
    scope = ScopeSpec(territory="territory_path")
    audit_exclude = ("password", "last_login")

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self):
        # People are named by their name; the login name is for signing in, not for reading.
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_absolute_url(self):
        return reverse("core:user_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.role == Role.ENTERPRISE:
            if not self.enterprise_id:
                errors["enterprise"] = "企业用户必须关联所属企业。"
        elif self.enterprise_id:
            errors["enterprise"] = "只有企业用户可以关联企业。"
        if self.role in GOVERNMENT_ROLES and not self.territory_id:
            errors["territory"] = "政府用户必须设置所属区划。"
        if self.role in GOVERNMENT_ROLES and not self.organisation_id:
            errors["organisation"] = "政府用户必须设置所属机构。"
        if (
            self.role == Role.INSPECTOR
            and self.organisation_id
            and self.organisation.kind != OrganisationKind.DEPARTMENT
        ):
            errors["organisation"] = "行业部门监管人员必须属于成员单位（行业部门）。"
        if self.role in (Role.SYS_ADMIN, Role.SEC_ADMIN) and not self.territory_id:
            errors["territory"] = "管理员必须设置管理的区划范围。"
        if (
            self.organisation_id
            and self.territory_id
            and not self.territory.path.startswith(self.organisation.territory.path)
        ):
            errors["territory"] = "所属区划必须在所属机构的辖区内。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能追加，不能删除。")


class AuditEntry(models.Model):
    """One change or business action: who, when, in which role and organisation, and what changed.

    Append-only: refused by the model, its queryset, and (see migration 0002) by database triggers.
    """

    timestamp = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField("操作人姓名", max_length=100, blank=True)
    actor_role = models.CharField("角色", max_length=16, blank=True)
    actor_organisation = models.CharField("机构", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    request_id = models.CharField("请求号", max_length=32, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    territory_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    message = models.TextField("说明", blank=True)

    objects = AuditQuerySet.as_manager()
    scope = ScopeSpec(territory="territory_path")

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-timestamp"], name="audit_object_idx"),
            models.Index(fields=["actor", "-timestamp"], name="audit_actor_idx"),
        ]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_name} {self.action_label} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能追加，不能删除。")

    def get_absolute_url(self):  # noqa: DJ012 (save/delete first: they are the append-only guard)
        return reverse("core:audit_detail", args=[self.pk])

    @property
    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action)

    @property
    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field label, old, new) for display."""
        from .audit import field_label

        model = self.content_type.model_class() if self.content_type_id else None
        return [
            (field_label(model, name) if model else name, old, new)
            for name, (old, new) in self.changes.items()
        ]


class ImportBatch(models.Model):
    """One uploaded spreadsheet on its way through preview and commit. The file is kept for the record."""

    class Status(models.TextChoices):
        PARSING = "parsing", "校验中"
        MAPPING = "mapping", "待对应列"
        READY = "ready", "待确认"
        INVALID = "invalid", "有错误"
        COMMITTING = "committing", "导入中"
        DONE = "done", "已导入"
        FAILED = "failed", "导入失败"

    importer = models.CharField("导入类型", max_length=40)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    # The rows the preview checked, kept for the commit (importing.checked); removed once committed. Never
    # served: no MEDIA_OWNERS row names it.
    checked_rows = models.FileField("已校验数据", upload_to="imports/checked/%Y/%m/", blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PARSING)
    created_by = models.ForeignKey(User, verbose_name="导入人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    errors = models.JSONField("错误", default=list, blank=True)  # [[row, column, reason], …]
    warnings = models.JSONField("提示", default=list, blank=True)
    preview = models.JSONField("预览", default=list, blank=True)
    summary = models.JSONField("结果", default=dict, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class ImportColumnSynonym(models.Model):
    """A word offices use for a column header (存在问题 for 隐患描述), added by an administrator on top of the words
    each importer knows. An empty importer applies the synonym to every importer that has the field."""

    importer = models.CharField("导入类型", max_length=40, blank=True, help_text="留空表示适用于所有导入")
    field = models.CharField("对应字段", max_length=60)
    synonym = models.CharField("表头写法", max_length=100)
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "导入列名同义词"
        verbose_name_plural = "导入列名同义词"
        ordering = ["importer", "field", "synonym"]
        constraints = [
            models.UniqueConstraint(fields=["importer", "synonym"], name="import_synonym_unique"),
        ]

    def __str__(self):
        return f"{self.synonym} → {self.field}"


class ImportMapping(models.Model):
    """An answer a user gave in the preview, remembered for the organisation so the next file of the same shape
    imports with no questions: a header mapped to a field (or ignored), or a unit name confirmed as a unit."""

    class Kind(models.TextChoices):
        COLUMN = "column", "列"
        UNIT = "unit", "单位"

    organisation = models.ForeignKey(
        Organisation, verbose_name="机构", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    importer = models.CharField("导入类型", max_length=40)
    kind = models.CharField("类别", max_length=8, choices=Kind.choices, default=Kind.COLUMN)
    source = models.CharField("文件中的写法", max_length=200)  # normalised
    target = models.CharField("对应", max_length=100, blank=True)  # field name ("" = ignore) or unit key
    created_by = models.ForeignKey(User, verbose_name="设置人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "导入对应关系"
        verbose_name_plural = "导入对应关系"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "importer", "kind", "source"], name="import_mapping_unique"
            ),
        ]

    def __str__(self):
        return f"{self.importer}: {self.source} → {self.target or '忽略'}"


class DocumentCounter(models.Model):
    """Last number issued in a document series (e.g. 责令限期整改指令书 of one issuer, per year). Numbers are
    taken under a row lock by core.documents.next_document_number and never reused."""

    key = models.CharField("文书序列", max_length=80)
    year = models.PositiveSmallIntegerField("年度")
    last_number = models.PositiveIntegerField("最后编号", default=0)

    class Meta:
        verbose_name = "文书编号序列"
        verbose_name_plural = "文书编号序列"
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="document_counter_unique")]

    def __str__(self):
        return f"{self.key} {self.year}: {self.last_number}"


class ApiToken(models.Model):
    """A key for API clients, owned by one user (core.tokens). Only the SHA-256 digest of the key is stored: the
    key is shown once, when it is made. Unusable once revoked, idle past `expires_at`, or after the owner's
    password changed (`password_stamp`)."""

    user = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=60, blank=True)
    prefix = models.CharField("令牌开头", max_length=16, help_text="仅用于辨认，不能用来访问")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("创建时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("闲置到期", db_index=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_reason = models.CharField("吊销原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "API令牌"
        verbose_name_plural = "API令牌"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_idx")]

    def __str__(self):
        return f"{self.prefix}…" + (f"（{self.name}）" if self.name else "")


class ExportJob(models.Model):
    """A big Excel export written in the background (core.export_jobs). It re-runs the list the user saw — the
    same view, scope and filters, from `list_path` and `query` — and its file is served only to its owner, who
    must still hold the export permission, until `expires_at`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    created_by = models.ForeignKey(User, verbose_name="导出人", on_delete=models.CASCADE, related_name="+")
    export_name = models.CharField("导出内容", max_length=100)
    list_path = models.CharField("台账地址", max_length=200)
    query = models.TextField("筛选条件", blank=True)  # the list's query string, without cursor/export
    # Role and data scope of the owner when the rows were chosen: the file is refused once either changed.
    scope_key = models.CharField(max_length=64, editable=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("已写入行数", default=0)
    rows_total = models.PositiveIntegerField("总行数", default=0)
    file = models.FileField("文件", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("文件到期", null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="export_job_owner_idx")]

    def __str__(self):
        return f"{self.export_name}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("core:export_job", args=[self.pk])

    @property
    def percent(self) -> int:
        return min(100, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def list_url(self) -> str:
        return f"{self.list_path}?{self.query}" if self.query else self.list_path
