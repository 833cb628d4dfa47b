"""Hazard pages: thin — lists and details through core's generic views, every action through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from anjian.core.documents import document_response
from anjian.core.exports import ExportTable, xlsx_response
from anjian.core.forms import add_errors
from anjian.core.models import Territory
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict, scope_for
from anjian.core.tables import Column
from anjian.core.views.generic import ObjectDetailView, ObjectListView, PermissionRequiredMixin
from anjian.operations.services import tips_linked_to

from . import documents, ledger, services, verification, workflow
from .criteria import records
from .filters import HazardFilter
from .forms import ACTION_FORMS, HazardRegisterForm
from .models import Grade, Hazard, HazardPhoto, HazardReview, Status
from .workflow import TransitionRefused

STATUS_COLOURS = {
    Status.REGISTERED: "secondary",
    Status.PLAN_SET: "info",
    Status.RECTIFYING: "primary",
    Status.REPORTED: "warning",
    Status.ACCEPTED: "success",
    Status.CLOSED: "dark",
    Status.VOIDED: "light",
}

# The ledger's usual columns (issue item 9); 序号 is the row number.
EXPORT_HEADERS = [
    "序号",
    "隐患编号",
    "单位",
    "隐患描述",
    "级别",
    "发现时间",
    "排查人",
    "整改措施",
    "整改责任人",
    "整改期限",
    "整改情况",
    "复查人",
    "复查时间",
    "销号时间",
    "状态",
    "是否逾期",
    "挂牌督办",
]


def rectification_state(status, note, void_reason, overdue) -> str:
    if status == Status.CLOSED:
        return note or "已整改销号"
    if status in (Status.REPORTED, Status.ACCEPTED):
        return note or "已整改"
    if status == Status.VOIDED:
        return f"已作废：{void_reason}"
    return "逾期未整改" if overdue else "整改中"


# What the ledger export reads, in the order export_table unpacks it.
EXPORT_FIELDS = (
    "number", "enterprise__name", "description", "grade", "found_on", "inspector_names", "found_by__name",
    "found_by__username", "measures", "responsible_person", "deadline", "status", "rectification_note",
    "void_reason", "is_overdue", "reviewed_by__name", "reviewed_by__username", "reviewed_at", "closed_at",
    "supervision_level",
)  # fmt: skip


# The list's own columns only: a hazard row has some sixty fields, and building fifty full model instances (with
# their audit snapshots) per page was a good part of the page's Python time. The export loads every field.
LIST_FIELDS = (
    "id", "number", "enterprise", "description", "grade", "status", "deadline", "is_overdue", "supervision_level",
    "enterprise__id", "enterprise__name",
)  # fmt: skip


class HazardListView(ObjectListView):
    model = Hazard
    queryset = Hazard.objects.select_related("enterprise").only(*LIST_FIELDS)
    filterset_class = HazardFilter
    permission = "hazards.view_hazard"
    export_permission = "hazards.export_hazard"
    title = "隐患台账"
    template_name = "hazards/hazard_list.html"
    export_name = "隐患台账"
    add_url = "hazards:hazard_add"
    add_permission = "hazards.add_hazard"
    import_url = "/core/import/hazards/"
    import_permission = "hazards.import_hazard"
    ordering = ("-id",)
    columns = [
        Column("隐患编号", "number", link=True),
        Column("单位", "enterprise.name"),
        Column("隐患描述", lambda h: h.description[:40]),
        Column("级别", "grade", badge=lambda h: "danger" if h.grade == Grade.MAJOR else "secondary"),
        Column("状态", "status", badge=lambda h: STATUS_COLOURS.get(h.status)),
        Column("整改期限", "deadline", badge=lambda h: "danger" if h.is_overdue else None),
        Column("督办", lambda h: h.get_supervision_level_display() if h.supervision_level else ""),
    ]

    def export_table(self, queryset):
        # Plain values, not model instances: a hazard row has some sixty fields and building a million instances
        # (with their audit snapshots) was half of a big export's time. Same cells as the row helpers give.
        grades, statuses = dict(Grade.choices), dict(Status.choices)
        levels = dict(Hazard._meta.get_field("supervision_level").choices)
        local = timezone.get_current_timezone()

        def day(value):
            if value is None:
                return ""
            if hasattr(value, "hour"):
                value = value.astimezone(local)
            return value.strftime("%Y-%m-%d")

        values = queryset.order_by(*self.ordering).values_list(*EXPORT_FIELDS)

        def rows():
            for index, v in enumerate(values.iterator(chunk_size=2000), start=1):
                (number, unit, description, grade, found_on, inspectors, finder, finder_login, measures,
                 responsible, deadline, status, note, void_reason, overdue, reviewer, reviewer_login, reviewed_at,
                 closed_at, level) = v  # fmt: skip
                yield [
                    index,
                    number,
                    unit,
                    description,
                    grades.get(grade, grade),
                    day(found_on),
                    inspectors or finder or finder_login or "",
                    measures,
                    responsible,
                    day(deadline),
                    rectification_state(status, note, void_reason, overdue),
                    reviewer or reviewer_login or "",
                    day(reviewed_at),
                    day(closed_at),
                    statuses.get(status, status),
                    "是" if overdue else "",
                    levels.get(level, level) if level else "",
                ]

        return ExportTable("隐患台账", EXPORT_HEADERS, rows(), title="隐患排查治理台账")


class HazardDetailView(ObjectDetailView):
    model = Hazard
    queryset = Hazard.objects.select_related(
        "enterprise",
        "sector",
        "found_by",
        "confirmed_by",
        "reported_by",
        "reviewed_by",
        "closed_by",
        "supervising_org",
        "major_criterion",
        "resumption_approved_by",
    )
    permission = "hazards.view_hazard"
    template_name = "hazards/hazard_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        actions = workflow.available_actions(obj, user) if has_perm(user, "hazards.change_hazard") else []
        return {
            "actions": [(t, ACTION_FORMS[t.action](prefix=t.action)) for t in actions],
            "photos": list(obj.photos.all()),
            "reviews": list(obj.reviews.select_related("reviewer")),
            "extensions": list(obj.extension_requests.select_related("requested_by", "decided_by")),
            "supervisions": list(obj.supervisions.select_related("supervising_org", "listed_by")),
            "verifications": verification.latest_for_hazard(obj, user),
            "source_tips": tips_linked_to(obj, user),
            "is_government": user.role != "enterprise",
            # 待补充判定依据: the clauses the description reads like, for the department to pick one.
            "basis_suggestions": records.pending_basis_suggestions(obj) if obj.major_basis_pending else [],
            "can_cite_basis": records.may_cite_basis(user, obj),
        }


class HazardRegisterView(PermissionRequiredMixin, View):
    permission = "hazards.add_hazard"

    def get(self, request):
        initial = {}
        if request.GET.get("enterprise"):
            initial["enterprise"] = request.GET["enterprise"]
        return self.render(HazardRegisterForm(user=request.user, initial=initial))

    def post(self, request):
        form = HazardRegisterForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            hazard = services.register_hazard(
                actor=request.user,
                enterprise=data["enterprise"],
                description=data["description"],
                grade=data["grade"],
                sector=data.get("sector"),
                location=data.get("location", ""),
                category=data.get("category", ""),
                nature=data.get("nature", ""),
                source=data["source"],
                deadline=data.get("deadline"),
                found_on=data.get("found_on"),
                major_criterion=data.get("major_criterion"),
                rectified_on_spot=data.get("rectified_on_spot", False),
                stop_order=data.get("stop_order") or "none",
                photos=data.get("photos") or (),
            )
        except TransitionRefused as exc:
            form.add_error(None, exc.reason)
            return self.render(form, status=400)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.render(form, status=400)
        # The suggestion list shown while the form was filled in gets the new hazard's id.
        records.link_to_hazard(request.user, request.POST.get("clause_suggestion"), hazard)
        messages.success(request, f"已登记隐患 {hazard.number}。")
        return redirect(hazard.get_absolute_url())

    def render(self, form, status=200):
        return render(
            self.request, "hazards/hazard_form.html", {"form": form, "title": "登记隐患"}, status=status
        )


class HazardActionView(PermissionRequiredMixin, View):
    """GET: the action's form (an htmx fragment or a page); POST: run the service and show its reason if refused."""

    permission = "hazards.change_hazard"

    def get_hazard(self):
        return get_object_or_404(
            restrict(Hazard.objects.select_related("enterprise"), self.request.user), pk=self.kwargs["pk"]
        )

    def get_transition(self):
        transition = workflow.BY_ACTION.get(self.kwargs["action"])
        if transition is None:
            raise Http404("未知的操作。")
        return transition

    def get(self, request, pk, action):
        hazard, transition = self.get_hazard(), self.get_transition()
        form = ACTION_FORMS[action](prefix=action)
        reason = workflow.refusal(hazard, request.user, action, check_data=False)
        return self.render(hazard, transition, form, reason)

    def post(self, request, pk, action):
        hazard, transition = self.get_hazard(), self.get_transition()
        form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
        if not form.is_valid():
            return self.render(hazard, transition, form, None, status=400)
        try:
            services.perform(hazard, request.user, action, form.cleaned_data)
        except TransitionRefused as exc:
            return self.render(hazard, transition, form, exc.reason, status=400)
        except ValidationError as exc:
            return self.render(hazard, transition, form, "；".join(exc.messages), status=400)
        messages.success(request, f"{transition.label}：已完成。")
        url = hazard.get_absolute_url()
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def render(self, hazard, transition, form, reason, status=200):
        template = "hazards/action_form.html"
        if self.request.htmx:
            template += "#action"
        context = {"object": hazard, "transition": transition, "form": form, "reason": reason}
        if self.request.htmx and status == 400:
            # htmx 2 does not swap 4xx answers; the refused form (with its reason) must replace the old one.
            status = 200
        return render(self.request, template, context, status=status)


class PhotoView(PermissionRequiredMixin, View):
    permission = "hazards.view_hazard"

    def get(self, request, pk):
        photo = get_object_or_404(restrict(HazardPhoto.objects.all(), request.user), pk=pk)
        return FileResponse(photo.file.open("rb"), filename=photo.original_name or None)


class RectificationOrderView(PermissionRequiredMixin, View):
    permission = "hazards.view_hazard"

    def get(self, request, pk, fmt):
        if fmt not in ("pdf", "docx"):
            raise Http404("只能生成 PDF 或 Word 文书。")
        hazard = get_object_or_404(
            restrict(Hazard.objects.select_related("enterprise", "found_by__organisation"), request.user),
            pk=pk,
        )
        if hazard.status == Status.VOIDED:
            raise Http404("已作废的隐患不出具指令书。")
        if not hazard.order_number and request.user.role == "enterprise":
            raise PermissionDenied("指令书尚未出具。")
        return document_response(
            documents.rectification_order(hazard), fmt, f"责令限期整改指令书-{hazard.number}"
        )


class ReviewOpinionView(PermissionRequiredMixin, View):
    permission = "hazards.view_hazard"

    def get(self, request, pk, fmt):
        if fmt not in ("pdf", "docx"):
            raise Http404("只能生成 PDF 或 Word 文书。")
        hazards = restrict(Hazard.objects.all(), request.user)
        review = get_object_or_404(
            HazardReview.objects.select_related("hazard__enterprise", "reviewer__organisation").filter(
                hazard__in=hazards
            ),
            pk=pk,
        )
        return document_response(
            documents.review_opinion(review), fmt, f"整改复查意见书-{review.hazard.number}"
        )


class LedgerView(PermissionRequiredMixin, View):
    """Rates per unit / sub-territory / sector / department, same filters as the list (status filter aside)."""

    permission = "hazards.view_ledger"

    def get(self, request):
        by = request.GET.get("by", "town")
        if by not in ledger.LEDGER_KINDS:
            by = "town"
        queryset = restrict(Hazard.objects.all(), request.user)
        filterset = HazardFilter(request.GET or None, queryset=queryset, request=request)
        filters = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
        if filters:
            queryset = filterset.qs
        root = filters.get("territory")
        root = root or request.user.territory or Territory.objects.filter(parent=None).first()
        if by != "enterprise":
            # By town, sector or department: summed from the summary counts when the filters allow it, so the
            # page does not scan the hazards (ledger.summary_selection says when the rows are needed).
            selection = ledger.summary_selection(request.user, filters, root)
            queryset = queryset if selection is None else selection
        if by == "enterprise":
            rows = ledger.by_enterprise(queryset)
        elif by == "sector":
            rows = ledger.by_sector(queryset)
        elif by == "department":
            rows = ledger.by_department(queryset, root)
        else:
            rows = ledger.by_subterritory(queryset, root)
        # Units, sectors and sub-territories partition the hazards, so their rows add up to the total without a
        # second scan; departments overlap (a sector may have two), so their total is counted on its own.
        total = ledger.totals(queryset) if by == "department" else ledger.sum_rows(rows)
        if request.GET.get("export") == "xlsx":
            headers = [
                "序号",
                ledger.LEDGER_KINDS[by].removeprefix("按"),
                "隐患总数",
                "已整改",
                "整改率(%)",
                "已销号",
                "销号率(%)",
                "未销号",
                "逾期",
                "重大隐患",
                "重大已销号",
                "挂牌督办",
            ]
            data = [
                [
                    i,
                    r.label,
                    r.total,
                    r.rectified,
                    r.rectification_rate,
                    r.closed,
                    r.closure_rate,
                    r.open,
                    r.overdue,
                    r.major,
                    r.major_closed,
                    r.listed,
                ]
                for i, r in enumerate([*rows, total], start=1)
            ]
            data[-1][0] = ""
            return xlsx_response(
                "隐患治理统计", "统计", headers, data, title=f"隐患治理统计（{ledger.LEDGER_KINDS[by]}）"
            )
        context = {
            "title": "隐患治理统计",
            "filterset": filterset,
            "rows": rows,
            "total": total,
            "by": by,
            "kinds": ledger.LEDGER_KINDS,
            "by_label": ledger.LEDGER_KINDS[by].removeprefix("按"),
            "root": root,
            "scope_sectors": scope_for(request.user).sector_ids,
            "export_url": f"{request.path}?{request.GET.urlencode()}&export=xlsx",
        }
        template = (
            "hazards/ledger.html#results"
            if request.htmx and request.htmx.target == "results"
            else "hazards/ledger.html"
        )
        return render(request, template, context)


def list_url(**params):
    from urllib.parse import urlencode

    return f"{reverse('hazards:hazard_list')}?{urlencode(params)}"
