"""Staff pages for tips: list, hotline intake, detail with the triage/verify/close/reward actions, QR poster."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from anjian.core.permissions import has_perm
from anjian.core.scope import restrict
from anjian.core.views.generic import ObjectDetailView, ObjectListView, PermissionRequiredMixin

from .. import services
from ..filters import TipFilter
from ..forms import AssignTipForm, HotlineTipForm, RejectTipForm, RewardForm, VerifyTipForm
from ..models import Tip
from ..tables import TIP_COLUMNS


class TipList(ObjectListView):
    model = Tip
    queryset = Tip.objects.select_related("territory", "assigned_org")
    permission = "operations.view_tip"
    filterset_class = TipFilter
    ordering = ("-submitted_at", "-id")
    title = "举报受理"
    export_name = "举报台账"
    add_url = "operations:tip_add"
    add_permission = "operations.add_tip"
    columns = TIP_COLUMNS
    template_name = "operations/tip_list.html"


class TipDetail(ObjectDetailView):
    model = Tip
    queryset = Tip.objects.select_related("territory", "assigned_org", "enterprise", "sector", "duplicate_of")
    permission = "operations.view_tip"
    template_name = "operations/tip_detail.html"

    def extra_context(self, obj):
        user = self.request.user
        actions = services.allowed_tip_actions(user, obj)
        return {
            "actions": actions,
            "assign_form": AssignTipForm(user=user, tip=obj) if "assign" in actions else None,
            "reject_form": RejectTipForm() if "reject" in actions else None,
            "verify_form": VerifyTipForm() if "verify" in actions else None,
            "reward_form": RewardForm()
            if has_perm(user, "operations.reward_tip")
            and obj.status in ("verified", "closed")
            and not hasattr_reward(obj)
            else None,
            "photos": obj.photos.all(),
            "links": obj.links.all(),
        }


def hasattr_reward(tip) -> bool:
    from ..models import TipReward

    return TipReward.objects.filter(tip=tip).exists()


class TipAdd(PermissionRequiredMixin, View):
    """12345 hotline transfers, letters and visits, entered by staff."""

    permission = "operations.add_tip"

    def get(self, request):
        return self.render(HotlineTipForm(user=request.user))

    def post(self, request):
        form = HotlineTipForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        tip, code = services.submit_tip(
            data=form.tip_data(),
            photos=form.cleaned_data["photos"],
            channel=form.cleaned_data["received_channel"],
            user=request.user,
        )
        messages.success(request, f"已登记举报 {tip.number}。请告知举报人回执码：{code}（仅显示一次）")
        return redirect(tip.get_absolute_url())

    def render(self, form, status=200):
        return render(
            self.request, "core/object_form.html", {"form": form, "title": "登记热线转办举报"}, status=status
        )


ACTION_FORMS = {"assign": AssignTipForm, "reject": RejectTipForm, "verify": VerifyTipForm}


class TipAction(PermissionRequiredMixin, View):
    """POST /tips/<pk>/<action>/: one service call; refusals come back as a message on the detail page."""

    permission = "operations.view_tip"

    def post(self, request, pk, action):
        tip = restrict(Tip.objects.all(), request.user).filter(pk=pk).first()
        if tip is None:
            raise Http404("记录不存在或不在您的数据范围内。")
        try:
            if action == "assign":
                form = AssignTipForm(request.POST, user=request.user)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                d = form.cleaned_data
                services.assign_tip(
                    request.user,
                    tip,
                    organisation=d["organisation"],
                    due_date=d["due_date"],
                    sector=d["sector"],
                    urgent=d["urgent"],
                    note=d["note"],
                )
            elif action == "reject":
                form = RejectTipForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                services.reject_tip(request.user, tip, reason=form.cleaned_data["reason"])
            elif action == "verify":
                form = VerifyTipForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                services.verify_tip(request.user, tip, **form.cleaned_data)
            elif action == "close":
                services.close_tip(request.user, tip, public_reply=request.POST.get("public_reply", ""))
            elif action == "reward":
                form = RewardForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                d = form.cleaned_data
                services.record_reward(
                    request.user,
                    tip,
                    fine_amount=d["fine_amount"],
                    accident_grade=d["accident_grade"],
                    verified_deaths=d["verified_deaths"] or 0,
                    note=d["note"],
                )
            else:
                raise Http404("未知操作。")
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(tip.get_absolute_url())
        messages.success(request, "已办理。")
        return redirect(tip.get_absolute_url())


def _errors(form) -> list[str]:
    return [
        f"{form.fields[k].label if k in form.fields else ''}：{e}"
        for k, errs in form.errors.items()
        for e in errs
    ]


class TipPoster(PermissionRequiredMixin, View):
    """A printable page with the QR code of the public tip page."""

    permission = "operations.view_tip"

    def get(self, request):
        return render(request, "operations/tip_poster.html", {"title": "举报二维码"})
