"""市级核查 pages: the city draws samples and records verdicts; counties and towns read the verdicts on their
hazards. Thin: every rule is in anjian/hazards/verification.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from anjian.core.exports import xlsx_response
from anjian.core.forms import ChipRadios, StyledForm
from anjian.core.models import Territory, TerritoryKind
from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import PermissionRequiredMixin

from . import verification
from .forms import PhotosField
from .models import SampleMethod, Verdict, VerificationItem, VerificationPhoto
from .workflow import TransitionRefused

# An <input type="date"> only shows an ISO date (the initial period must be readable by the browser).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VERDICT_COLOURS = {Verdict.PENDING: "secondary", Verdict.HOLDS: "success", Verdict.FAILS: "danger"}
ITEMS_SHOWN = 200


class DrawForm(StyledForm):
    period_start = forms.DateField(label="销号时间自", widget=DATE)
    period_end = forms.DateField(label="销号时间至", widget=DATE)
    county = forms.ModelChoiceField(
        label="限定县（区）", queryset=Territory.objects.none(), required=False, empty_label="全市"
    )
    method = forms.ChoiceField(label="抽取方式", choices=SampleMethod.choices, initial=SampleMethod.PERCENT)
    size_value = forms.IntegerField(label="比例（%）或数量", min_value=1, initial=10)
    seed = forms.IntegerField(
        label="随机种子",
        required=False,
        min_value=0,
        help_text="留空则随机生成；填写相同种子可重复同一次抽取。",
    )
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        if city is not None:
            self.fields["county"].queryset = Territory.objects.filter(
                path__startswith=city.path, kind=TerritoryKind.COUNTY, retired_on__isnull=True
            ).order_by("sort_order", "code")


class VerdictForm(StyledForm):
    verdict = forms.ChoiceField(
        label="核查结论",
        choices=[(Verdict.HOLDS, Verdict.HOLDS.label), (Verdict.FAILS, Verdict.FAILS.label)],
        widget=ChipRadios,
    )
    opinion = forms.CharField(
        label="核查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="不属实时必填。"
    )
    photos = PhotosField(label="核查照片（可选）")
    reopen = forms.BooleanField(label="核查不属实，重新打开该隐患（退回整改）", required=False)


class VerificationListView(PermissionRequiredMixin, View):
    """The city's samples (with the draw form) and, for every user, the verdicts on hazards in their scope."""

    permission = "hazards.view_verification"

    def get(self, request):
        return self.render(self.draw_form())

    def post(self, request):
        if not has_perm(request.user, "hazards.change_verification"):
            raise PermissionDenied("您的角色不能抽取核查样本。")
        form = self.draw_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            sample = verification.draw_sample(
                actor=request.user,
                period_start=data["period_start"],
                period_end=data["period_end"],
                method=data["method"],
                value=data["size_value"],
                seed=data.get("seed"),
                county=data.get("county"),
                note=data.get("note", ""),
            )
        except TransitionRefused as exc:
            form.add_error(None, exc.reason)
            return self.render(form, status=400)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render(form, status=400)
        messages.success(request, f"已抽取核查样本 {sample.number}，共 {sample.items.count()} 项。")
        return redirect(sample.get_absolute_url())

    def draw_form(self, data=None):
        if verification.refusal_to_draw(self.request.user):
            return None
        today = timezone.localdate()
        initial = {"period_start": today.replace(day=1), "period_end": today}
        return DrawForm(data, city=self.request.user.territory, initial=initial)

    def render(self, form, status=200):
        user = self.request.user
        items = verification.items_for(user).exclude(verdict=Verdict.PENDING).order_by("-checked_at", "-id")
        context = {
            "title": "市级核查",
            "form": form,
            "samples": verification.samples_with_progress(user),
            "verdicts": list(items[:ITEMS_SHOWN]),
            "colours": VERDICT_COLOURS,
        }
        return render(self.request, "hazards/verification_list.html", context, status=status)


class SampleDetailView(PermissionRequiredMixin, View):
    """One sample: the sampled closures, progress, and the Excel export (?export=xlsx)."""

    permission = "hazards.view_verification"

    def get(self, request, pk):
        sample = get_object_or_404(verification.samples_for(request.user), pk=pk)
        items = (
            sample.items.select_related(
                "hazard", "hazard__enterprise", "territory", "closed_by", "checked_by"
            )
            .prefetch_related("photos")
            .order_by("id")
        )
        if request.GET.get("export") == "xlsx":
            return self.export(sample, items)
        verdict = request.GET.get("verdict")
        if verdict in Verdict.values:
            items = items.filter(verdict=verdict)
        return render(
            request,
            "hazards/verification_sample.html",
            {
                "title": f"市级核查 {sample.number}",
                "sample": sample,
                "progress": verification.progress(sample),
                "items": items,
                "verdict": verdict,
                "verdicts": Verdict.choices,
                "colours": VERDICT_COLOURS,
                "can_check": has_perm(request.user, "hazards.change_verification"),
                "history": _history(sample),
            },
        )

    @staticmethod
    def export(sample, items):
        headers = [
            "序号",
            "隐患编号",
            "单位",
            "所属区划",
            "隐患描述",
            "级别",
            "销号时间",
            "销号人",
            "核查结论",
            "核查意见",
            "核查人",
            "核查时间",
            "重新打开",
        ]

        def when(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

        rows = (
            [
                index,
                i.hazard.number,
                i.hazard.enterprise.name,
                i.territory.name,
                i.hazard.description,
                i.hazard.get_grade_display(),
                when(i.closed_at),
                i.closed_by.get_full_name() if i.closed_by else "",
                i.get_verdict_display(),
                i.opinion,
                i.checked_by.get_full_name() if i.checked_by else "",
                when(i.checked_at),
                when(i.reopened_at),
            ]
            for index, i in enumerate(items.iterator(chunk_size=500), start=1)
        )
        title = (
            f"{sample.territory.name}市级核查 {sample.number}（{sample.period_start}至{sample.period_end}销号，"
            f"随机种子 {sample.seed}）"
        )
        return xlsx_response(f"市级核查-{sample.number}", "核查清单", headers, rows, title=title)


def _history(obj):
    from anjian.core.audit import history_for

    return list(history_for(obj, limit=20))


class VerdictView(PermissionRequiredMixin, View):
    """GET: the 核查 form of one sampled closure; POST: record the verdict (and reopen if asked)."""

    permission = "hazards.change_verification"

    def get_item(self):
        items = restrict(
            VerificationItem.objects.select_related("sample", "hazard__enterprise"), self.request.user
        )
        return get_object_or_404(items, pk=self.kwargs["pk"])

    def get(self, request, pk):
        item = self.get_item()
        return self.render(item, VerdictForm(), verification.refusal_to_check(item, request.user))

    def post(self, request, pk):
        item = self.get_item()
        form = VerdictForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(item, form, None, status=400)
        data = form.cleaned_data
        try:
            verification.record_verdict(
                item,
                actor=request.user,
                holds=data["verdict"] == Verdict.HOLDS,
                opinion=data.get("opinion", ""),
                photos=data.get("photos") or (),
                reopen=data.get("reopen", False),
            )
        except TransitionRefused as exc:
            return self.render(item, form, exc.reason, status=400)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render(item, form, None, status=400)
        messages.success(request, f"已记录 {item.hazard.number} 的核查结论。")
        return redirect(item.sample.get_absolute_url())

    def render(self, item, form, reason, status=200):
        context = {"title": "市级核查", "item": item, "form": form, "reason": reason}
        return render(self.request, "hazards/verification_check.html", context, status=status)


class ReopenView(PermissionRequiredMixin, View):
    """POST: reopen a closure already found 不属实 (when it was not reopened with the verdict)."""

    permission = "hazards.change_verification"

    def post(self, request, pk):
        items = restrict(VerificationItem.objects.select_related("sample", "hazard"), request.user)
        item = get_object_or_404(items, pk=pk)
        try:
            verification.reopen_closure(item, actor=request.user)
        except TransitionRefused as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, f"隐患 {item.hazard.number} 已重新打开。")
        return redirect(item.sample.get_absolute_url())


class VerificationPhotoView(PermissionRequiredMixin, View):
    permission = "hazards.view_verification"

    def get(self, request, pk):
        photo = get_object_or_404(restrict(VerificationPhoto.objects.all(), request.user), pk=pk)
        return FileResponse(photo.file.open("rb"), filename=photo.original_name or None)
