"""Pages of the 重大事故隐患判定标准 catalogue: browse and search (every reader), maintain (the office), and the
clause suggestion fragment of the hazard registration page. Changes go through criteria/catalogue.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.audit import history_for
from anjian.core.forms import StyledForm
from anjian.core.models import Sector
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import PermissionRequiredMixin

from .criteria import catalogue, records
from .criteria.suggest import suggest
from .data import similarity
from .models import (
    OPEN_STATUSES,
    ClauseSuggestion,
    Confidence,
    Grade,
    Hazard,
    HazardStandard,
    MajorHazardCriterion,
    StandardStatus,
)

VIEW = "hazards.view_majorhazardcriterion"
CHANGE = "hazards.change_majorhazardcriterion"
PAGE_SIZE = 50


class FilterForm(StyledForm):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    standard = forms.ModelChoiceField(
        label="判定标准", queryset=HazardStandard.objects.all(), required=False, to_field_name="code"
    )
    sector = forms.ModelChoiceField(
        label="行业领域", queryset=Sector.objects.filter(is_active=True), required=False, to_field_name="code"
    )
    confidence = forms.ChoiceField(
        label="核对情况", choices=[("", "全部"), *Confidence.choices], required=False
    )
    retired = forms.BooleanField(label="含历史版本", required=False)


class CriteriaListView(PermissionRequiredMixin, View):
    """GET /hazards/criteria/ — the standards and their clauses, filtered; htmx requests get the results only."""

    permission = VIEW

    def get(self, request):
        form = FilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        rows = catalogue.search(
            MajorHazardCriterion.objects.select_related("standard_ref", "sector"),
            q=data.get("q", ""),
            standard=data.get("standard"),
            sector=data.get("sector"),
            confidence=data.get("confidence", ""),
            include_retired=data.get("retired", False),
        ).order_by("standard_ref__sort_order", "sort_order", "version", "pk")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        standards = (
            HazardStandard.objects.prefetch_related("sectors")
            .select_related("superseded_by")
            .annotate(n=Count("clauses", filter=Q(clauses__is_active=True)))
        )
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "title": "重大事故隐患判定标准",
            "form": form,
            "page": page,
            "standards": standards,
            "query": query.urlencode(),
            "can_change": has_perm(request.user, CHANGE),
        }
        template = "hazards/criteria_results.html" if request.htmx else "hazards/criteria_list.html"
        return render(request, template, context)


class CriterionDetailView(PermissionRequiredMixin, View):
    """GET /hazards/criteria/<pk>/ — one clause version, its other versions and their history."""

    permission = VIEW

    def get(self, request, pk):
        clause = get_object_or_404(
            MajorHazardCriterion.objects.select_related("standard_ref", "sector"), pk=pk
        )
        versions = list(catalogue.versions(clause))
        history = sorted(
            (entry for v in versions for entry in history_for(v, limit=50)),
            key=lambda e: e.timestamp,
            reverse=True,
        )
        return render(
            request,
            "hazards/criteria_detail.html",
            {
                "title": f"{clause.code or '条款'} {clause.clause}",
                "clause": clause,
                "versions": versions,
                "history": history,
                "can_change": has_perm(request.user, CHANGE) and clause.is_active,
            },
        )


class ClauseForm(StyledForm):
    clause = forms.CharField(label="条款", max_length=80)
    text = forms.CharField(label="条款内容", widget=forms.Textarea(attrs={"rows": 4}))
    confidence = forms.ChoiceField(label="核对情况", choices=Confidence.choices)
    is_summary = forms.BooleanField(label="概要（非原文）", required=False)
    reason = forms.CharField(label="修订说明", max_length=200, required=False, help_text="如：按官方文本核对")


class CriterionEditView(PermissionRequiredMixin, View):
    """GET/POST /hazards/criteria/<pk>/edit/ — revise a clause: a new version; hazards keep the old one."""

    permission = CHANGE

    def _clause(self, pk):
        return get_object_or_404(MajorHazardCriterion, pk=pk, is_active=True)

    def get(self, request, pk):
        clause = self._clause(pk)
        form = ClauseForm(
            initial={f: getattr(clause, f) for f in ("clause", "text", "confidence", "is_summary")}
        )
        return self._render(request, clause, form)

    def post(self, request, pk):
        clause = self._clause(pk)
        form = ClauseForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                new = catalogue.revise_clause(clause, request.user, reason=reason, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if new.pk == clause.pk:
                    messages.info(request, "条款未作修改。")
                else:
                    messages.success(request, f"已发布第{new.version}版；已按旧版本判定的隐患仍引用旧版本。")
                return redirect("hazards:criterion_detail", new.pk)
        return self._render(request, clause, form)

    def _render(self, request, clause, form):
        title = f"修订条款 {clause.code} {clause.clause}"
        return render(request, "hazards/criteria_form.html", {"title": title, "form": form, "clause": clause})


class StandardForm(StyledForm):
    code = forms.CharField(label="标准代码", max_length=40, help_text="如 HC-2026-1；一经使用不得更改")
    title = forms.CharField(label="标准名称", max_length=200)
    issuer = forms.CharField(label="发布机关", max_length=200, required=False)
    document_no = forms.CharField(label="文号", max_length=120, required=False)
    effective_on = forms.DateField(
        label="施行日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    confidence = forms.ChoiceField(label="核对情况", choices=Confidence.choices)
    sectors = forms.ModelMultipleChoiceField(
        label="适用行业领域", queryset=Sector.objects.filter(is_active=True), required=False
    )
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StandardAddView(PermissionRequiredMixin, View):
    """GET/POST /hazards/criteria/standards/new/"""

    permission = CHANGE

    def get(self, request):
        return render(
            request, "hazards/criteria_form.html", {"title": "新增判定标准", "form": StandardForm()}
        )

    def post(self, request):
        form = StandardForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            sectors = data.pop("sectors")
            try:
                standard = catalogue.add_standard(request.user, sectors=sectors, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已新增{standard}。")
                return redirect(f"/hazards/criteria/?standard={standard.code}")
        return render(request, "hazards/criteria_form.html", {"title": "新增判定标准", "form": form})


class AddClauseForm(ClauseForm):
    code = forms.CharField(label="条款代码", max_length=60, help_text="如 HC-2026-1-01；一经使用不得更改")
    sector = forms.ModelChoiceField(label="行业领域", queryset=Sector.objects.filter(is_active=True))
    field_order = ["code", "clause", "text", "sector", "confidence", "is_summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reason"]


class ClauseAddView(PermissionRequiredMixin, View):
    """GET/POST /hazards/criteria/standards/<pk>/clauses/new/"""

    permission = CHANGE

    def _render(self, request, standard, form):
        return render(request, "hazards/criteria_form.html", {"title": f"新增条款：{standard}", "form": form})

    def get(self, request, pk):
        standard = get_object_or_404(HazardStandard, pk=pk)
        return self._render(request, standard, AddClauseForm(initial={"sector": standard.sectors.first()}))

    def post(self, request, pk):
        standard = get_object_or_404(HazardStandard, pk=pk)
        form = AddClauseForm(request.POST)
        if form.is_valid():
            try:
                clause = catalogue.add_clause(standard, request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已新增条款 {clause.code}。")
                return redirect("hazards:criterion_detail", clause.pk)
        return self._render(request, standard, form)


class SupersedeForm(StyledForm):
    superseded_by = forms.ModelChoiceField(
        label="替代标准",
        queryset=HazardStandard.objects.filter(status=StandardStatus.CURRENT),
        required=False,
    )
    note = forms.CharField(label="现状说明", max_length=500, required=False)


class StandardSupersedeView(PermissionRequiredMixin, View):
    """GET/POST /hazards/criteria/standards/<pk>/supersede/ — mark a standard 已废止 (kept for old hazards)."""

    permission = CHANGE

    def _render(self, request, standard, form):
        return render(request, "hazards/criteria_form.html", {"title": f"标记废止：{standard}", "form": form})

    def get(self, request, pk):
        standard = get_object_or_404(HazardStandard, pk=pk)
        form = SupersedeForm()
        form.fields["superseded_by"].queryset = form.fields["superseded_by"].queryset.exclude(pk=pk)
        return self._render(request, standard, form)

    def post(self, request, pk):
        standard = get_object_or_404(HazardStandard, pk=pk)
        form = SupersedeForm(request.POST)
        if form.is_valid():
            try:
                catalogue.mark_superseded(
                    standard, request.user, form.cleaned_data["superseded_by"], form.cleaned_data["note"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{standard}已标记为已废止。")
                return redirect(f"/hazards/criteria/?standard={standard.code}")
        return self._render(request, standard, form)


# 重复登记提示: an open hazard of the same unit whose description reads nearly the same (character bigram Dice).
DUPLICATE_SIMILARITY = 0.75
DUPLICATE_CANDIDATES = 200


def _id(value: str):
    return int(value) if value.isdecimal() and len(value) <= 18 else None


def possible_duplicates(user, enterprise_id, text, criterion_id=None):
    """Open hazards of the unit, within the user's scope, citing the same clause (any version) or described in
    nearly the same words. Newest first, at most 5."""
    if enterprise_id is None:
        return []
    candidates = restrict(Hazard.objects.filter(enterprise_id=enterprise_id, status__in=OPEN_STATUSES), user)
    code = MajorHazardCriterion.objects.filter(pk=criterion_id).values_list("code", flat=True).first() or ""
    found = []
    for hazard in candidates.select_related("major_criterion").order_by("-id")[:DUPLICATE_CANDIDATES]:
        same_clause = criterion_id is not None and (
            hazard.major_criterion_id == criterion_id
            or (code and hazard.major_criterion is not None and hazard.major_criterion.code == code)
        )
        if same_clause or (text.strip() and similarity(text, hazard.description) >= DUPLICATE_SIMILARITY):
            found.append({"hazard": hazard, "same_clause": same_clause})
        if len(found) == 5:
            break
    return found


class SuggestFragmentView(PermissionRequiredMixin, View):
    """GET /hazards/criteria/suggest/?description=…&sector=<id>&enterprise=<id>&major_criterion=<id> — the
    registration page's hints (htmx): clauses the description reads like, and open hazards of the same unit that
    look like the same one (重复登记提示). Each shown suggestion list is recorded (ClauseSuggestion) so that what
    was suggested and what was taken can be measured."""

    permission = VIEW

    def get(self, request):
        text = request.GET.get("description", "")[:2000]
        sector_id = _id(request.GET.get("sector", ""))
        sector = Sector.objects.filter(pk=sector_id).first() if sector_id else None
        duplicates = possible_duplicates(
            request.user,
            _id(request.GET.get("enterprise", "")),
            text,
            _id(request.GET.get("major_criterion", "")),
        )
        suggestions = suggest(text, sector)
        log = records.record_shown(request.user, text, sector, suggestions)
        rows = {c.pk: c for c in MajorHazardCriterion.objects.filter(pk__in=[s["id"] for s in suggestions])}
        items = [{**s, "row": rows.get(s["id"])} for s in suggestions]
        return render(
            request,
            "hazards/partials/criteria_suggestions.html",
            {"items": items, "log": log, "duplicates": duplicates},
        )


class SuggestChooseView(PermissionRequiredMixin, View):
    """GET /hazards/criteria/suggest/<log>/choose/<pk>/ — the user took a suggested clause: record it, and put it
    (and the grade 重大) into the registration form by out-of-band swaps."""

    permission = VIEW

    def get(self, request, log, pk):
        from .forms import HazardRegisterForm

        log = get_object_or_404(ClauseSuggestion, pk=log, user=request.user)
        clause = get_object_or_404(MajorHazardCriterion, pk=pk, is_active=True)
        if clause.code not in log.suggested:
            return render(request, "hazards/partials/criteria_suggestions.html", {"items": [], "log": None})
        log.chosen = clause
        log.chosen_at = timezone.now()
        log.save(update_fields=["chosen", "chosen_at"])
        form = HazardRegisterForm(
            user=request.user, initial={"major_criterion": clause.pk, "grade": Grade.MAJOR}
        )
        oob = {"hx-swap-oob": "true"}
        return render(
            request,
            "hazards/partials/criteria_chosen.html",
            {
                "clause": clause,
                "log": log,
                "criterion_widget": form["major_criterion"].as_widget(attrs=oob),
                "grade_widget": form["grade"].as_widget(attrs=oob),
            },
        )


class PendingBasisView(PermissionRequiredMixin, View):
    """POST /hazards/<pk>/basis/ criterion=<id> — the department gives an imported major hazard (待补充判定依据) its
    clause in one step, from the suggestions shown on the hazard's page (criteria.records.cite_pending_basis)."""

    permission = "hazards.change_hazard"

    def post(self, request, pk):
        hazard = get_object_or_404(restrict(Hazard.objects.all(), request.user), pk=pk)
        criterion = MajorHazardCriterion.objects.filter(pk=_id(request.POST.get("criterion", ""))).first()
        if criterion is None:
            messages.error(request, "请选择判定条款。")
            return redirect(hazard.get_absolute_url())
        try:
            records.cite_pending_basis(actor=request.user, hazard=hazard, criterion=criterion)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"已补充判定依据：{criterion}。")
        return redirect(hazard.get_absolute_url())
