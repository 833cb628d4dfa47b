"""Assessment and bulletin pages (thin: the work is in services.py and bulletins.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from anjian.core.audit import history_for
from anjian.core.documents import document_response
from anjian.core.exports import xlsx_response
from anjian.core.permissions import has_perm
from anjian.core.scope import ensure_in_scope, restrict
from anjian.core.tables import Column
from anjian.core.views.generic import ObjectEditView, ObjectListView, PermissionRequiredMixin

from . import bulletins, indicators, services
from .forms import (
    BulletinCreateForm,
    BulletinEditForm,
    IndicatorForm,
    ManualScoreForm,
    SchemeForm,
    VetoRuleForm,
)
from .models import (
    AssessmentScheme,
    Bulletin,
    BulletinKind,
    Evaluation,
    Indicator,
    ItemScore,
    Part,
    VetoRule,
)
from .periods import Period

QUARTERS = [(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度"), (0, "年度")]


def visible_schemes(user):
    """Schemes in the user's territory, plus those that assess the user's own body or an ancestor territory
    of the user (a town reads the district's scheme and its scoring rules)."""
    qs = AssessmentScheme.objects.all()
    if not has_perm(user, "assessment.view_assessmentscheme"):
        return qs.none()
    in_scope = restrict(qs, user)
    q = Q(pk__in=in_scope.values("pk"))
    if user.organisation_id:
        q |= Q(bodies=user.organisation_id)
    if user.territory_id:
        q |= Q(territory_id__in=user.territory.ancestor_ids)
    return qs.filter(q).distinct()


class SchemeList(ObjectListView):
    permission = "assessment.view_assessmentscheme"
    title = "考核方案"
    ordering = ("-year", "name", "id")
    export_name = "考核方案"
    add_url = "assessment:scheme_add"
    add_permission = "assessment.change_assessmentscheme"
    columns = [
        Column("年度", "year"),
        Column("方案名称", "name", link=True),
        Column("组织考核的区划", "territory.name"),
        Column("被考核对象", "body_kind"),
        Column("状态", "status"),
    ]

    def scoped_queryset(self):
        return visible_schemes(self.request.user).select_related("territory")


class SchemeDetail(PermissionRequiredMixin, View):
    """The scheme and its scoring rules: what the assessed bodies read (评分细则公开)."""

    permission = "assessment.view_assessmentscheme"

    def get(self, request, pk):
        scheme = get_object_or_404(visible_schemes(request.user).select_related("territory"), pk=pk)
        items = list(scheme.indicators.all())
        for item in items:
            definition = indicators.REGISTRY.get(item.key) if item.key else None
            item.rule_text = item.scoring_rule or (definition.rule if definition else "")
        can_results = has_perm(request.user, "assessment.view_evaluation")
        context = {
            "object": scheme,
            "process_items": [i for i in items if i.part == Part.PROCESS],
            "result_items": [i for i in items if i.part == Part.RESULT],
            "veto_rules": list(scheme.veto_rules.all()),
            "bodies": list(scheme.bodies.all()),
            "quarters": QUARTERS if can_results else [],
            "can_change": has_perm(request.user, "assessment.change_assessmentscheme")
            and restrict(AssessmentScheme.objects.filter(pk=pk), request.user).exists(),
            "history": history_for(scheme),
        }
        return render(request, "assessment/scheme_detail.html", context)


class SchemeEdit(ObjectEditView):
    model = AssessmentScheme
    form_class = SchemeForm
    add_permission = change_permission = "assessment.change_assessmentscheme"
    title_add = "新建考核方案"
    title_change = "修改考核方案"


class _SchemeChildEdit(ObjectEditView):
    """Indicators and veto rules are edited on their own small form, inside a scheme in the user's scope."""

    add_permission = change_permission = "assessment.change_assessmentscheme"

    def scheme(self):
        return get_object_or_404(
            restrict(AssessmentScheme.objects.all(), self.request.user), pk=self.kwargs["scheme"]
        )

    def new_instance(self):
        return self.model(scheme=self.scheme())

    def scoped_queryset(self):
        return restrict(self.model.objects.filter(scheme=self.kwargs["scheme"]), self.request.user)


class IndicatorEdit(_SchemeChildEdit):
    model = Indicator
    form_class = IndicatorForm
    title_add = "新增考核指标"
    title_change = "修改考核指标"


class VetoRuleEdit(_SchemeChildEdit):
    model = VetoRule
    form_class = VetoRuleForm
    title_add = "新增一票否决事项"
    title_change = "修改一票否决事项"


# --- results --------------------------------------------------------------------------------------------------
def _results(request, scheme, quarter):
    return list(
        restrict(Evaluation.objects.filter(scheme=scheme, quarter=quarter), request.user)
        .select_related("body")
        .order_by("rank", "id")
    )


RESULT_HEADERS = ["排名", "被考核单位", "过程考核得分", "结果考核得分", "总分", "等次", "一票否决事由"]


class Results(PermissionRequiredMixin, View):
    """Ranking of one period; the office computes it from the records (POST)."""

    permission = "assessment.view_evaluation"

    def get(self, request, pk, quarter):
        scheme = get_object_or_404(visible_schemes(request.user), pk=pk)
        if quarter not in dict(QUARTERS):
            raise Http404
        rows = _results(request, scheme, quarter)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                f"{scheme.year}考核结果",
                "考核结果",
                RESULT_HEADERS,
                (
                    [
                        e.rank,
                        str(e.body),
                        e.process_score,
                        e.result_score,
                        e.total,
                        e.get_grade_display(),
                        "；".join(e.veto_reasons),
                    ]
                    for e in rows
                ),
                title=f"{scheme} {dict(QUARTERS)[quarter]}考核结果",
            )
        context = {
            "object": scheme,
            "quarter": quarter,
            "quarter_label": dict(QUARTERS)[quarter],
            "quarters": QUARTERS,
            "rows": rows,
            "can_compute": has_perm(request.user, "assessment.compute_evaluation")
            and restrict(AssessmentScheme.objects.filter(pk=pk), request.user).exists(),
        }
        return render(request, "assessment/results.html", context)

    def post(self, request, pk, quarter):
        if not has_perm(request.user, "assessment.compute_evaluation"):
            raise PermissionDenied("您的角色无权计算考核结果。")
        scheme = get_object_or_404(restrict(AssessmentScheme.objects.all(), request.user), pk=pk)
        evaluations = services.compute_period(scheme, quarter, request.user)
        messages.success(request, f"已根据业务数据计算{len(evaluations)}个单位的考核结果。")
        return redirect("assessment:results", pk=pk, quarter=quarter)


class EvaluationDetail(PermissionRequiredMixin, View):
    permission = "assessment.view_evaluation"

    def get_object(self, request, pk):
        return get_object_or_404(
            restrict(Evaluation.objects.select_related("scheme", "body"), request.user), pk=pk
        )

    def get(self, request, pk, form=None, form_item=None):
        evaluation = self.get_object(request, pk)
        items = list(evaluation.items.select_related("indicator", "scored_by"))
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                "考核得分明细",
                "得分明细",
                ["类别", "指标", "评分方式", "指标值", "分子", "分母", "分值", "得分", "评分说明"],
                (
                    [
                        i.indicator.get_part_display(),
                        i.indicator.name,
                        i.indicator.get_method_display(),
                        i.value,
                        i.numerator,
                        i.denominator,
                        i.indicator.full_points,
                        i.points,
                        i.note,
                    ]
                    for i in items
                ),
                title=str(evaluation),
            )
        can_score = has_perm(request.user, "assessment.score_itemscore")
        return render(
            request,
            "assessment/evaluation_detail.html",
            {
                "object": evaluation,
                "items": items,
                "can_score": can_score,
                "score_form": form or ManualScoreForm(),
                "form_item": form_item,
            },
        )

    def post(self, request, pk):
        if not has_perm(request.user, "assessment.score_itemscore"):
            raise PermissionDenied("您的角色无权评审打分。")
        evaluation = self.get_object(request, pk)
        sheet = get_object_or_404(ItemScore, pk=request.POST.get("item"), evaluation=evaluation)
        form = ManualScoreForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.score_manual_item(
                    sheet,
                    form.cleaned_data["points"],
                    form.cleaned_data["note"],
                    form.cleaned_data["evidence"],
                    request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "已保存评分。请重新计算该期考核结果以更新总分和排名。")
                return redirect(evaluation.get_absolute_url())
        response = self.get(request, pk, form=form, form_item=sheet.pk)
        response.status_code = 400
        return response


class EvidenceDownload(PermissionRequiredMixin, View):
    permission = "assessment.view_evaluation"

    def get(self, request, pk):
        sheet = get_object_or_404(restrict(ItemScore.objects.all(), request.user), pk=pk)
        if not sheet.evidence:
            raise Http404
        return FileResponse(
            sheet.evidence.open("rb"), as_attachment=True, filename=sheet.evidence.name.rsplit("/", 1)[-1]
        )


# --- bulletins ----------------------------------------------------------------------------------------------------
class BulletinList(ObjectListView):
    permission = "assessment.view_bulletin"
    model = Bulletin
    title = "通报"
    ordering = ("-period_end", "-id")
    export_name = "通报"
    columns = [
        Column("标题", "title", link=True),
        Column("文号", "number"),
        Column("类型", "kind"),
        Column("统计期起", "period_start"),
        Column("统计期止", "period_end"),
        Column("状态", "status", badge=lambda b: "success" if b.is_issued else "secondary"),
        Column("印发日期", "issued_on"),
    ]

    def extra_context(self):
        return {
            "create_url": "assessment:bulletin_add"
            if has_perm(self.request.user, "assessment.change_bulletin")
            else ""
        }

    template_name = "assessment/bulletin_list.html"


class BulletinCreate(PermissionRequiredMixin, View):
    permission = "assessment.change_bulletin"

    def get(self, request):
        from .periods import current_quarter

        year, quarter = current_quarter()
        form = BulletinCreateForm(
            user=request.user,
            initial={
                "kind": BulletinKind.QUARTERLY,
                "year": year,
                "quarter": quarter,
                "territory": request.user.territory_id,
            },
        )
        return render(request, "core/object_form.html", {"form": form, "title": "生成通报草稿"})

    def post(self, request):
        form = BulletinCreateForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(
                request, "core/object_form.html", {"form": form, "title": "生成通报草稿"}, status=400
            )
        d = form.cleaned_data
        if d["kind"] == BulletinKind.AD_HOC:
            period = Period(
                d["period_start"],
                d["period_end"],
                f"{d['period_start']:%Y年%m月%d日}至{d['period_end']:%Y年%m月%d日}",
            )
        else:
            period = Period.quarter(d["year"], d["quarter"])
        with transaction.atomic():
            bulletin = bulletins.create_draft(
                d["territory"],
                period,
                request.user,
                kind=d["kind"],
                scheme=d["scheme"],
                quarter=d["quarter"] if d["kind"] == BulletinKind.QUARTERLY else None,
            )
            ensure_in_scope(request.user, bulletin)
        messages.success(request, "已根据业务数据生成通报草稿，请核对修改后印发。")
        return redirect(bulletin.get_absolute_url())


class BulletinDetail(PermissionRequiredMixin, View):
    permission = "assessment.view_bulletin"

    def get(self, request, pk):
        bulletin = get_object_or_404(restrict(Bulletin.objects.all(), request.user), pk=pk)
        can_change = has_perm(request.user, "assessment.change_bulletin") and not bulletin.is_issued
        return render(
            request,
            "assessment/bulletin_detail.html",
            {
                "object": bulletin,
                "data": bulletin.data,
                "can_change": can_change,
                "can_issue": has_perm(request.user, "assessment.issue_bulletin") and not bulletin.is_issued,
                "history": history_for(bulletin),
            },
        )


class BulletinEdit(ObjectEditView):
    model = Bulletin
    form_class = BulletinEditForm
    change_permission = "assessment.change_bulletin"
    title_change = "修改通报草稿"

    def get_object(self):
        bulletin = super().get_object()
        if bulletin.is_issued:
            raise PermissionDenied("已印发的通报不能修改。")
        return bulletin


class BulletinAction(PermissionRequiredMixin, View):
    """POST: refresh the draft's data, or issue it."""

    permission = "assessment.change_bulletin"

    def post(self, request, pk, action):
        bulletin = get_object_or_404(restrict(Bulletin.objects.all(), request.user), pk=pk)
        try:
            if action == "refresh":
                bulletins.refresh_draft(bulletin, request.user, reset_texts=request.POST.get("reset") == "1")
                messages.success(request, "已重新提取统计数据。")
            elif action == "issue":
                if not has_perm(request.user, "assessment.issue_bulletin"):
                    raise PermissionDenied("您的角色无权印发通报。")
                bulletin = bulletins.issue_bulletin(bulletin, request.user)
                messages.success(request, f"通报已印发，文号 {bulletin.number}。")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect("assessment:bulletin_detail", pk=pk)


class BulletinDownload(PermissionRequiredMixin, View):
    """Issued: the stored files (frozen). Draft: rendered now, marked as a draft."""

    permission = "assessment.view_bulletin"

    def get(self, request, pk, fmt):
        bulletin = get_object_or_404(restrict(Bulletin.objects.all(), request.user), pk=pk)
        if fmt not in ("docx", "pdf"):
            raise Http404
        if bulletin.is_issued:
            stored = getattr(bulletin, fmt)
            return FileResponse(
                stored.open("rb"), as_attachment=True, filename=f"{bulletin.number or bulletin.title}.{fmt}"
            )
        document = bulletins.to_document(bulletin)
        document.title = f"{document.title}（草稿）"
        return document_response(document, fmt, f"{bulletin.title}（草稿）")
