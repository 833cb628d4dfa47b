"""Pages of the registry, built on core.views.generic (scope and permissions are applied there)."""

from collections import defaultdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.views import View

from anjian.core.models import Territory
from anjian.core.permissions import has_perm
from anjian.core.scope import ensure_in_scope, restrict, scope_for
from anjian.core.tables import Column
from anjian.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredMixin,
    ScopedObjectMixin,
)

from . import filters, forms, rules, services
from . import tabs as enterprise_tabs
from .models import (
    BlacklistEntry,
    ClosureRecord,
    ConstructionProject,
    Enterprise,
    ForestCheckpoint,
    HazardousChemical,
    Licence,
    MajorHazardSource,
    RiskColour,
    RiskPoint,
    SpecialEquipment,
    SupervisionFrequency,
)
from .templatetags.registry_tags import blacklist_badge, expiry_badge, risk_badge


def _name_with_badges(obj):
    return format_html(
        '<a href="{}">{}</a> {}', obj.get_absolute_url(), obj.name, blacklist_badge(obj, obj.is_blacklisted)
    )


def _enterprise_link(obj):
    """The row's unit with its 严重失信 badge; the list annotates `is_blacklisted` (one query for all rows)."""
    e = obj.enterprise
    if e is None:
        return ""
    return format_html(
        '<a href="{}">{}</a> {}', e.get_absolute_url(), e.name, blacklist_badge(e, obj.is_blacklisted)
    )


def _due(field):
    return lambda obj: format_html("{} {}", getattr(obj, field) or "", expiry_badge(getattr(obj, field)))


# --- enterprises ------------------------------------------------------------------------------------------


class EnterpriseList(ObjectListView):
    model = Enterprise
    permission = "registry.view_enterprise"
    filterset_class = filters.EnterpriseFilter
    # Newest first, like the hazard list: ordered by name, a city's first page sorted its 200,000 units (names
    # in code-point order, not pinyin, told users nothing); by id it is read from an index at every level.
    ordering = ("-id",)
    title = "生产经营单位"
    export_name = "生产经营单位台账"
    export_permission = "registry.export_enterprise"
    add_url = "registry:enterprise_add"
    add_permission = "registry.add_enterprise"
    import_url = "/core/import/enterprises/"
    import_permission = "registry.import_enterprise"

    def base_queryset(self):
        return (
            Enterprise.objects.select_related("territory")
            .prefetch_related("sectors")
            .annotate(is_blacklisted=services.blacklisted_exists())
        )

    columns = [
        Column("单位名称", _name_with_badges, export=False),
        Column("单位名称", "name", display=False),
        Column("统一社会信用代码", "credit_code"),
        Column("所属区划", "territory.name"),
        Column("监管行业领域", "sectors"),
        Column("风险等级", lambda e: risk_badge(e) or "未评定", export=False),
        Column("风险等级", lambda e: e.get_risk_level_display() or "未评定", display=False),
        Column("经营状态", "status"),
        Column("企业规模", "scale", display=False),
        Column("从业人员数", "employees", display=False),
        Column("国民经济行业门类", "economic_section", display=False),
        Column("行业代码", "industry_code", display=False),
        Column("法定代表人", "legal_representative", display=False),
        Column("主要负责人", "principal_name"),
        Column("主要负责人电话", "principal_phone", display=False),
        Column("安全管理人员", "safety_manager_name", display=False),
        Column("安全管理人员电话", "safety_manager_phone", display=False),
        Column("地址", "address", display=False),
        Column("经度", "longitude", display=False),
        Column("纬度", "latitude", display=False),
        Column("严重失信", "is_blacklisted", display=False),
    ]

    def get(self, request, *args, **kwargs):
        # Enterprise staff have exactly one unit: the list is their record.
        if request.user.role == "enterprise" and request.user.enterprise_id and not request.GET:
            return redirect("registry:enterprise_detail", pk=request.user.enterprise_id)
        return super().get(request, *args, **kwargs)


class EnterpriseDetail(ObjectDetailView):
    """一企一档: the unit's fields, then one tab per kind of its records. The open tab is a real URL (`?tab=…`);
    htmx swaps just the tab pane, a plain link (or no JavaScript) gets the whole page with that tab open."""

    model = Enterprise
    permission = "registry.view_enterprise"
    change_permission = "registry.change_enterprise"
    edit_url = "registry:enterprise_edit"
    template_name = "registry/enterprise_detail.html"
    pane_template = "registry/enterprise_tab.html"

    def base_queryset(self):
        return Enterprise.objects.select_related("territory").prefetch_related("sectors")

    def get(self, request, *args, **kwargs):
        if request.htmx and request.htmx.target == enterprise_tabs.PANE_ID:
            enterprise = self.get_object_plain()
            response = render(request, self.pane_template, self.tab_pane(enterprise, request.GET.get("tab")))
        else:
            response = super().get(request, *args, **kwargs)
        # The same URL answers a fragment or a page: caches and the browser's history must tell them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response

    def get_object_plain(self):
        try:
            return restrict(Enterprise.objects.all(), self.request.user).get(pk=self.kwargs["pk"])
        except (Enterprise.DoesNotExist, ValueError) as exc:
            raise Http404("记录不存在或不在您的数据范围内。") from exc

    def tab_pane(self, enterprise, key, tabs=None) -> dict:
        if not key:
            tabs = tabs if tabs is not None else enterprise_tabs.tabs_for(self.request.user)
            key = tabs[0].key if tabs else enterprise_tabs.TIMELINE_KEY
        size = settings.ANJIAN["LIST_PAGE_SIZE"]
        pane = enterprise_tabs.tab_context(
            self.request.user, enterprise, key, self.request.GET.get("cursor"), size
        )
        if pane is None:
            raise Http404("没有这个档案分类，或您的角色无权查看。")
        path = self.request.path
        pane["url"] = f"{path}?{urlencode({'tab': key})}"
        if pane["page"].next_cursor:
            pane["next_url"] = f"{path}?{urlencode({'tab': key, 'cursor': pane['page'].next_cursor})}"
        return {
            "object": enterprise,
            "enterprise": enterprise,
            "pane": pane,
            "pane_id": enterprise_tabs.PANE_ID,
        }

    def extra_context(self, obj):
        user = self.request.user
        table = services.frequency_table()
        tabs = enterprise_tabs.tab_views(user, obj, self.request.GET.get("tab", ""))
        context = {
            "sectors": list(obj.sectors.all()),
            "ancestors": list(obj.territory.ancestors(include_self=True)),
            "supervisors": services.supervisors_for(obj),
            "frequency": services.inspections_per_year(obj, table),
            "credit_description": rules.describe_credit_code(obj.credit_code),
            "tabs": tabs,
            "transitions": services.available_transitions(obj, user)
            if has_perm(user, "registry.change_status_enterprise")
            else [],
            "status_form": forms.StatusChangeForm(),
            "can_add_register": has_perm(user, "registry.change_register"),
            "can_blacklist": has_perm(user, "registry.change_blacklistentry"),
        }
        if tabs:
            context.update(self.tab_pane(obj, self.request.GET.get("tab"), tabs))
            context["object"] = obj
        return context


class EnterpriseEdit(ObjectEditView):
    model = Enterprise
    form_class = forms.EnterpriseForm
    add_permission = "registry.add_enterprise"
    change_permission = "registry.change_enterprise"
    title_add, title_change = "登记生产经营单位", "修改生产经营单位"


class EnterpriseStatusChange(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = Enterprise
    permission = "registry.change_status_enterprise"

    def post(self, request, pk, action):
        enterprise = self.get_object()
        form = forms.StatusChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写原因。")
            return redirect(enterprise)
        try:
            services.change_status(enterprise, action, request.user, form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "经营状态已变更。")
        return redirect(enterprise)


# --- the four-colour list and chart per territory ----------------------------------------------------------


class RiskMap(PermissionRequiredMixin, View):
    """Counts of units by colour for each child of a territory (rules.md RK-02 区域四色图)."""

    permission = "registry.view_riskmap"

    def get(self, request):
        visible = restrict(Territory.objects.all(), request.user)
        scope = scope_for(request.user)
        root = None
        wanted = request.GET.get("territory", "")
        if wanted.isdecimal() and len(wanted) <= 18:  # a territory id; anything else: the user's own
            root = visible.filter(pk=int(wanted)).first()
        if root is None:
            root = request.user.territory
        if root is None:
            raise Http404("没有可统计的区划。")
        children = list(root.children.order_by("sort_order", "code"))
        units = restrict(
            Enterprise.objects.filter(territory_path__startswith=root.path), request.user
        ).exclude(status__in=["banned", "deregistered"])
        counts = defaultdict(lambda: defaultdict(int))
        rows = units.values("territory_path", "risk_level").annotate(n=Count("id")).order_by()
        for row in rows:
            owner = next((c for c in children if row["territory_path"].startswith(c.path)), root)
            counts[owner.pk][row["risk_level"] or "none"] += row["n"]
        levels = [*RiskColour.values, "none"]
        table = []
        for node in [*children, root]:
            values = [counts[node.pk][level] for level in levels]
            if node is root and not any(values):
                continue
            table.append(
                {
                    "territory": node,
                    "label": node.name if node is not root else f"{node.name}（本级）",
                    "values": values,
                    "total": sum(values),
                }
            )
        totals = [sum(r["values"][i] for r in table) for i in range(len(levels))]
        chart = {
            "categories": [r["label"] for r in table],
            "series": [
                {
                    "name": rules.RiskLevel(level).label if level != "none" else "未评定",
                    "color": rules.RiskLevel(level).hex if level != "none" else "#ADB5BD",
                    "data": [r["values"][i] for r in table],
                }
                for i, level in enumerate(levels)
            ],
        }
        return render(
            request,
            "registry/risk_map.html",
            {
                "title": "风险四色分布",
                "root": root,
                "ancestors": [
                    t for t in root.ancestors(include_self=False) if visible.filter(pk=t.pk).exists()
                ]
                if scope.territory_path is not None
                else [],
                "table": table,
                "totals": totals,
                "grand_total": sum(totals),
                "level_labels": [
                    RiskColour(level).label if level != "none" else "未评定" for level in levels
                ],
                "level_keys": levels,
                "chart": chart,  # rendered with json_script (CSP: no inline script)
                "frequency": SupervisionFrequency.objects.all(),
            },
        )


# --- supervision frequency table (data) -------------------------------------------------------------------


class FrequencyList(ObjectListView):
    model = SupervisionFrequency
    permission = "registry.view_supervisionfrequency"
    ordering = ("id",)
    title = "分级分类监管频次"
    export_name = "分级分类监管频次"
    columns = [
        Column("风险等级", "risk_level"),
        Column("每年检查次数", "inspections_per_year"),
        Column("说明", "note"),
        Column(
            "",
            lambda f: format_html('<a href="{}">修改</a>', f"/registry/frequency/{f.pk}/edit/"),
            export=False,
        ),
    ]


class FrequencyEdit(ObjectEditView):
    model = SupervisionFrequency
    form_class = forms.SupervisionFrequencyForm
    change_permission = "registry.change_supervisionfrequency"
    add_permission = "registry.change_supervisionfrequency"
    title_change = "修改监管频次"

    def get_permission(self):
        return self.change_permission


# --- sector registers and risk points ---------------------------------------------------------------------


class RegisterListView(ObjectListView):
    """Lists of rows that point to a unit: the unit's 严重失信 flag is annotated once for the page."""

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .annotate(is_blacklisted=services.blacklisted_exists(outer="enterprise_id"))
        )


class RegisterEditView(ObjectEditView):
    """Create/change a register row; `?enterprise=<pk>` pre-selects the unit (from its detail page)."""

    add_permission = change_permission = "registry.change_register"

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if not instance.pk and self.request.GET.get("enterprise", "").isdigit():
            initial["enterprise"] = self.request.GET["enterprise"]
        form = self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, initial=initial
        )
        if "enterprise" in form.fields:
            form.fields["enterprise"].queryset = form.fields["enterprise"].queryset.only("id", "name")
        return form


class RegisterDetailView(ObjectDetailView):
    permission = "registry.view_register"
    change_permission = "registry.change_register"
    template_name = "registry/register_detail.html"
    fields: tuple[str, ...] = ()
    list_url = ""
    list_title = ""

    def extra_context(self, obj):
        rows = []
        for name in self.fields:
            field = obj._meta.get_field(name)
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            if value is True or value is False:
                value = "是" if value else "否"
            rows.append((field.verbose_name, value, name))
        return {"rows": rows, "list_url": self.list_url, "list_title": self.list_title}


class RiskPointList(RegisterListView):
    model = RiskPoint
    permission = "registry.view_register"
    filterset_class = filters.RiskPointFilter
    queryset = RiskPoint.objects.select_related("enterprise")
    ordering = ("enterprise_id", "name", "id")
    title = "风险点"
    export_name = "风险点台账"
    add_url = "registry:riskpoint_add"
    add_permission = "registry.change_register"
    columns = [
        Column("风险点", "name", link=True),
        Column("单位", _enterprise_link, export=False),
        Column("单位", "enterprise.name", display=False),
        Column("位置", "location"),
        Column("方法", "method"),
        Column("风险值", "score"),
        Column("风险等级", lambda p: risk_badge(p.level), export=False),
        Column("风险等级", "level", display=False),
        Column("管控措施", "control_measures", display=False),
        Column("责任人", "control_owner"),
        Column("在用", "is_active"),
    ]


class RiskPointDetail(RegisterDetailView):
    model = RiskPoint
    queryset = RiskPoint.objects.select_related("enterprise")
    edit_url = "registry:riskpoint_edit"
    list_url, list_title = "registry:riskpoint_list", "风险点"
    fields = (
        "name",
        "location",
        "hazard_factors",
        "method",
        "lec_l",
        "lec_e",
        "lec_c",
        "ls_l",
        "ls_s",
        "score",
        "level",
        "control_measures",
        "control_owner",
        "assessed_on",
        "is_active",
    )


class RiskPointEdit(RegisterEditView):
    model = RiskPoint
    form_class = forms.RiskPointForm
    title_add, title_change = "新建风险点", "修改风险点"

    def save(self, form):
        return services.save_risk_point(form)


class LicenceList(RegisterListView):
    model = Licence
    permission = "registry.view_register"
    filterset_class = filters.LicenceFilter
    queryset = Licence.objects.select_related("enterprise")
    ordering = ("valid_until", "id")
    title = "证照"
    export_name = "证照台账"
    add_url = "registry:licence_add"
    add_permission = "registry.change_register"
    columns = [
        Column("证照类型", "kind", link=True),
        Column("证号", "number"),
        Column("单位", _enterprise_link, export=False),
        Column("单位", "enterprise.name", display=False),
        Column("持证人", "holder"),
        Column("有效期至", _due("valid_until"), export=False),
        Column("有效期至", "valid_until", display=False),
    ]


class LicenceDetail(RegisterDetailView):
    model = Licence
    queryset = Licence.objects.select_related("enterprise")
    edit_url = "registry:licence_edit"
    list_url, list_title = "registry:licence_list", "证照"
    fields = ("kind", "number", "holder", "scope_text", "issued_by", "issued_on", "valid_until")


class LicenceEdit(RegisterEditView):
    model = Licence
    form_class = forms.LicenceForm
    title_add, title_change = "新建证照", "修改证照"


class ChemicalList(RegisterListView):
    model = HazardousChemical
    permission = "registry.view_register"
    filterset_class = filters.HazardousChemicalFilter
    queryset = HazardousChemical.objects.select_related("enterprise")
    ordering = ("enterprise_id", "name", "id")
    title = "危险化学品"
    export_name = "危险化学品台账"
    add_url = "registry:chemical_add"
    add_permission = "registry.change_register"
    columns = [
        Column("化学品", "name", link=True),
        Column("CAS号", "cas_no"),
        Column("单位", _enterprise_link, export=False),
        Column("单位", "enterprise.name", display=False),
        Column("涉及方式", "activity"),
        Column("最大储量（吨）", "max_quantity_t"),
        Column("剧毒", "highly_toxic"),
        Column("储存场所", "storage_place", display=False),
    ]


class ChemicalDetail(RegisterDetailView):
    model = HazardousChemical
    queryset = HazardousChemical.objects.select_related("enterprise")
    edit_url = "registry:chemical_edit"
    list_url, list_title = "registry:chemical_list", "危险化学品"
    fields = (
        "name",
        "cas_no",
        "activity",
        "max_quantity_t",
        "annual_quantity_t",
        "storage_place",
        "highly_toxic",
    )


class ChemicalEdit(RegisterEditView):
    model = HazardousChemical
    form_class = forms.HazardousChemicalForm
    title_add, title_change = "新建危险化学品", "修改危险化学品"


class MajorHazardList(RegisterListView):
    model = MajorHazardSource
    permission = "registry.view_register"
    filterset_class = filters.MajorHazardSourceFilter
    queryset = MajorHazardSource.objects.select_related("enterprise")
    ordering = ("enterprise_id", "id")
    title = "重大危险源"
    export_name = "重大危险源台账"
    add_url = "registry:majorhazard_add"
    add_permission = "registry.change_register"
    columns = [
        Column("名称", "name", link=True),
        Column("单位", _enterprise_link, export=False),
        Column("单位", "enterprise.name", display=False),
        Column("备案编号", "record_no"),
        Column("R值", "r_value"),
        Column("级别", "level"),
        Column("下次评估", _due("next_assessment_on"), export=False),
        Column("下次评估", "next_assessment_on", display=False),
    ]


class MajorHazardDetail(RegisterDetailView):
    model = MajorHazardSource
    queryset = MajorHazardSource.objects.select_related("enterprise")
    edit_url = "registry:majorhazard_edit"
    list_url, list_title = "registry:majorhazard_list", "重大危险源"
    template_name = "registry/majorhazard_detail.html"
    fields = (
        "name",
        "record_no",
        "people_within_500m",
        "r_value",
        "level",
        "assessed_on",
        "filed_on",
        "next_assessment_on",
        "description",
    )

    def extra_context(self, obj):
        context = super().extra_context(obj)
        substances = list(obj.substances.all())
        context.update(
            substances=[
                (s, s.beta(), (s.quantity_t / s.threshold_t).quantize(rules.Decimal("0.001")))
                for s in substances
            ],
            alpha=rules.alpha_for_population(obj.people_within_500m),
            substance_form=forms.MajorHazardSubstanceForm(user=self.request.user),
        )
        return context


class MajorHazardEdit(RegisterEditView):
    model = MajorHazardSource
    form_class = forms.MajorHazardSourceForm
    title_add, title_change = "新建重大危险源", "修改重大危险源"

    def save(self, form):
        source = form.save()
        services.recompute_major_hazard(source)
        return source


class MajorHazardSubstanceAdd(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = MajorHazardSource
    permission = "registry.change_register"

    def post(self, request, pk):
        source = self.get_object()
        form = forms.MajorHazardSubstanceForm(request.POST, user=request.user)
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[k].label if k in form.fields else ''}{'：' if k in form.fields else ''}{m}"
                for k, ms in form.errors.items()
                for m in ms
            )
            messages.error(request, f"未添加：{errors}")
            return redirect(source)
        with transaction.atomic():
            substance = form.save(commit=False)
            substance.source = source
            substance.save()
            services.recompute_major_hazard(source)
            ensure_in_scope(request.user, source)
        messages.success(request, f"已添加物质，R值 {source.r_value}。")
        return redirect(source)


class ProjectList(RegisterListView):
    model = ConstructionProject
    permission = "registry.view_register"
    filterset_class = filters.ConstructionProjectFilter
    queryset = ConstructionProject.objects.select_related("enterprise")
    ordering = ("-id",)
    title = "建筑施工项目"
    export_name = "建筑施工项目台账"
    add_url = "registry:project_add"
    add_permission = "registry.change_register"
    columns = [
        Column("项目", "name", link=True),
        Column("施工单位", _enterprise_link, export=False),
        Column("施工单位", "enterprise.name", display=False),
        Column("建设单位", "builder"),
        Column("施工许可证号", "permit_no", display=False),
        Column("开工日期", "started_on"),
        Column("计划竣工", _due("planned_completion_on"), export=False),
        Column("计划竣工", "planned_completion_on", display=False),
        Column("实际竣工", "completed_on"),
    ]


class ProjectDetail(RegisterDetailView):
    model = ConstructionProject
    queryset = ConstructionProject.objects.select_related("enterprise")
    edit_url = "registry:project_edit"
    list_url, list_title = "registry:project_list", "建筑施工项目"
    fields = (
        "name",
        "builder",
        "supervisor",
        "permit_no",
        "site_address",
        "project_manager",
        "project_manager_phone",
        "started_on",
        "planned_completion_on",
        "completed_on",
        "has_deep_excavation",
    )


class ProjectEdit(RegisterEditView):
    model = ConstructionProject
    form_class = forms.ConstructionProjectForm
    title_add, title_change = "新建施工项目", "修改施工项目"


class EquipmentList(RegisterListView):
    model = SpecialEquipment
    permission = "registry.view_register"
    filterset_class = filters.SpecialEquipmentFilter
    queryset = SpecialEquipment.objects.select_related("enterprise")
    ordering = ("next_inspection_on", "id")
    title = "特种设备"
    export_name = "特种设备台账"
    add_url = "registry:equipment_add"
    add_permission = "registry.change_register"
    columns = [
        Column("类别", "kind", link=True),
        Column("使用登记证编号", "registration_no"),
        Column("使用单位", _enterprise_link, export=False),
        Column("使用单位", "enterprise.name", display=False),
        Column("安装位置", "location"),
        Column("下次检验", _due("next_inspection_on"), export=False),
        Column("下次检验", "next_inspection_on", display=False),
    ]


class EquipmentDetail(RegisterDetailView):
    model = SpecialEquipment
    queryset = SpecialEquipment.objects.select_related("enterprise")
    edit_url = "registry:equipment_edit"
    list_url, list_title = "registry:equipment_list", "特种设备"
    fields = (
        "kind",
        "registration_no",
        "device_code",
        "location",
        "maintenance_unit",
        "installed_on",
        "last_inspection_on",
        "next_inspection_on",
    )


class EquipmentEdit(RegisterEditView):
    model = SpecialEquipment
    form_class = forms.SpecialEquipmentForm
    title_add, title_change = "新建特种设备", "修改特种设备"


class CheckpointList(ObjectListView):
    model = ForestCheckpoint
    permission = "registry.view_register"
    filterset_class = filters.ForestCheckpointFilter
    queryset = ForestCheckpoint.objects.select_related("territory", "enterprise")
    ordering = ("territory_path", "name", "id")
    title = "森林防火卡点"
    export_name = "森林防火卡点台账"
    add_url = "registry:checkpoint_add"
    add_permission = "registry.change_register"
    columns = [
        Column("卡点", "name", link=True),
        Column("所属区划", "territory.name"),
        Column("管护单位", "enterprise.name"),
        Column("护林员", "rangers"),
        Column("卡点电话", "phone"),
        Column("在岗", "is_active"),
    ]


class CheckpointDetail(RegisterDetailView):
    model = ForestCheckpoint
    queryset = ForestCheckpoint.objects.select_related("territory", "enterprise")
    edit_url = "registry:checkpoint_edit"
    list_url, list_title = "registry:checkpoint_list", "森林防火卡点"
    fields = (
        "name",
        "territory",
        "rangers",
        "phone",
        "longitude",
        "latitude",
        "season_start",
        "season_end",
        "is_active",
    )


class CheckpointEdit(RegisterEditView):
    model = ForestCheckpoint
    form_class = forms.ForestCheckpointForm
    title_add, title_change = "新建森林防火卡点", "修改森林防火卡点"

    def save(self, form):
        from anjian.core.models import Sector

        checkpoint = form.save()
        # The checkpoint belongs to the 森林防火 sector (its department sees it; core scope by sector).
        sector = Sector.objects.filter(code="forestFire").first()
        if sector is not None:
            checkpoint.sectors.add(sector)
        return checkpoint


# --- credit: serious-dishonesty list and 关闭取缔 -----------------------------------------------------------


class BlacklistList(ObjectListView):
    model = BlacklistEntry
    permission = "registry.view_blacklistentry"
    filterset_class = filters.BlacklistFilter
    queryset = BlacklistEntry.objects.select_related("enterprise", "decided_by")
    ordering = ("-start_date", "-id")
    title = "严重失信主体名单"
    export_name = "严重失信主体名单"
    add_url = "registry:blacklist_add"
    add_permission = "registry.change_blacklistentry"
    columns = [
        Column(
            "单位",
            lambda b: format_html('<a href="{}">{}</a>', b.get_absolute_url(), b.enterprise.name),
            export=False,
        ),
        Column("单位", "enterprise.name", display=False),
        Column("统一社会信用代码", "enterprise.credit_code"),
        Column("列入事由", "ground"),
        Column("列入决定书", "decision_no"),
        Column("列入日期", "start_date"),
        Column("管理期限截止", "end_date"),
        Column("提前移出", "removed_on"),
        Column("状态", lambda b: b.get_status_display()),
    ]


class BlacklistDetail(RegisterDetailView):
    model = BlacklistEntry
    queryset = BlacklistEntry.objects.select_related("enterprise", "decided_by")
    permission = "registry.view_blacklistentry"
    change_permission = ""
    template_name = "registry/blacklist_detail.html"
    list_url, list_title = "registry:blacklist_list", "严重失信主体名单"
    fields = (
        "ground",
        "ground_detail",
        "penalty_decision_no",
        "decision_no",
        "decided_by",
        "start_date",
        "end_date",
        "removed_on",
        "removal_reason",
    )

    def extra_context(self, obj):
        context = super().extra_context(obj)
        today = timezone.localdate()
        can = has_perm(self.request.user, "registry.change_blacklistentry")
        context.update(
            today=today,
            can_remove=can
            and obj.removed_on is None
            and rules.can_apply_for_early_removal(obj.start_date, today),
            can_restore=can and obj.removed_on is not None,
            removal_form=forms.EarlyRemovalForm(initial={"removed_on": today}),
            restore_form=forms.RestoreForm(),
            persons=obj.persons.all(),
            can_list_person=can and obj.status == "listed",
            person_form=forms.BlacklistPersonForm(user=self.request.user),
        )
        return context


class BlacklistAdd(ObjectEditView):
    model = BlacklistEntry
    form_class = forms.BlacklistEntryForm
    add_permission = change_permission = "registry.change_blacklistentry"
    title_add = "列入严重失信主体名单"

    def get_instance(self):
        if "pk" in self.kwargs:
            raise Http404("名单记录列入后不能修改；如有错误请提前移出并重新列入。")
        return self.new_instance()

    def get_form(self, instance, data=None, files=None):
        initial = {}
        if self.request.GET.get("enterprise", "").isdigit():
            initial["enterprise"] = self.request.GET["enterprise"]
        return self.form_class(
            data=data, files=files, instance=instance, user=self.request.user, initial=initial
        )

    def save(self, form):
        return services.list_enterprise(form, self.request.user)


class BlacklistPersonAdd(PermissionRequiredMixin, ScopedObjectMixin, View):
    """列入人员 with the unit (主要负责人、其他责任人员)."""

    model = BlacklistEntry
    permission = "registry.change_blacklistentry"

    def post(self, request, pk):
        entry = self.get_object()
        form = forms.BlacklistPersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.list_person(entry, request.user, form.instance)
            except (PermissionDenied, ValidationError) as exc:
                messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, f"已列入：{form.instance}")
        else:
            messages.error(
                request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items() if f in form.fields)
                or "请填写姓名和身份。",
            )
        return redirect(entry)


class BlacklistAction(PermissionRequiredMixin, ScopedObjectMixin, View):
    model = BlacklistEntry
    permission = "registry.change_blacklistentry"

    def post(self, request, pk, action):
        entry = self.get_object()
        form = (forms.EarlyRemovalForm if action == "remove" else forms.RestoreForm)(request.POST)
        if action not in ("remove", "restore"):
            raise Http404
        if not form.is_valid():
            messages.error(request, "请完整填写日期和理由。")
            return redirect(entry)
        try:
            if action == "remove":
                services.remove_early(
                    entry, request.user, form.cleaned_data["removed_on"], form.cleaned_data["reason"]
                )
                messages.success(request, "已提前移出（信用修复）。")
            else:
                services.restore_listing(entry, request.user, form.cleaned_data["reason"])
                messages.success(request, "已撤销提前移出，恢复列入。")
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        return redirect(entry)


class ClosureList(ObjectListView):
    model = ClosureRecord
    permission = "registry.view_closurerecord"
    filterset_class = filters.ClosureFilter
    queryset = ClosureRecord.objects.select_related("territory")
    ordering = ("-decided_on", "-id")
    title = "关闭取缔"
    export_name = "关闭取缔台账"
    add_url = "registry:closure_add"
    add_permission = "registry.change_closurerecord"
    columns = [
        Column("单位（场所）", "name", link=True),
        Column("所属区划", "territory.name"),
        Column("决定文书号", "decision_no"),
        Column("决定机关", "decided_by"),
        Column("决定日期", "decided_on"),
        Column("执行日期", "executed_on"),
        Column("复查核实", "verified_on"),
    ]


class ClosureDetail(RegisterDetailView):
    model = ClosureRecord
    queryset = ClosureRecord.objects.select_related("territory", "enterprise")
    permission = "registry.view_closurerecord"
    change_permission = "registry.change_closurerecord"
    edit_url = "registry:closure_edit"
    list_url, list_title = "registry:closure_list", "关闭取缔"
    fields = (
        "name",
        "territory",
        "address",
        "reason",
        "decision_no",
        "decided_by",
        "decided_on",
        "executed_on",
        "verified_on",
        "verification_note",
    )


class ClosureEdit(ObjectEditView):
    model = ClosureRecord
    form_class = forms.ClosureRecordForm
    add_permission = change_permission = "registry.change_closurerecord"
    title_add, title_change = "登记关闭取缔", "修改关闭取缔"

    def save(self, form):
        if form.instance.pk:
            return form.save()
        return services.record_closure(form, self.request.user)
