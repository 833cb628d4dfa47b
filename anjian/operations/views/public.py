"""The public tip pages (no login): submit a tip, check its progress with the receipt code, the QR code.

Abuse protection: CSRF (Django middleware), a honeypot field, per-IP rate limits on the shared cache
(anjian.operations.throttle), photo validation by content, and no secret in any URL — the receipt code travels
only in POST bodies and is never logged. Responses carrying a receipt code are not cached.
"""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from anjian.core.middleware import client_ip

from .. import services, throttle
from ..forms import PublicTipForm, ReceiptForm
from ..models import TipChannel, TipStatus

# What the reporter is told about each status (never the internal notes).
PUBLIC_STATUS = {
    TipStatus.RECEIVED: "已受理，正在分办",
    TipStatus.ASSIGNED: "已交承办单位核查",
    TipStatus.VERIFIED: "经核查属实，正在依法处理",
    TipStatus.UNFOUNDED: "经核查不属实",
    TipStatus.CLOSED: "已办结",
    TipStatus.REJECTED: "不予受理",
}


def _ip(request) -> str:
    return client_ip(request) or "unknown"


@never_cache
@csrf_protect
def tip_submit(request):
    if request.method == "POST":
        form = PublicTipForm(request.POST, request.FILES)
        if not throttle.hit(throttle.TIP_SUBMIT, _ip(request)):
            return render(request, "operations/public/limited.html", {"what": "提交举报"}, status=429)
        if form.is_bot:
            # Look like success to the bot; nothing is stored.
            return render(request, "operations/public/thanks.html", {"code": None}, status=200)
        if form.is_valid():
            tip, code = services.submit_tip(
                data=form.tip_data(),
                photos=form.cleaned_data["photos"],
                channel=TipChannel.WEB,
                ip=client_ip(request),
            )
            return render(request, "operations/public/thanks.html", {"code": code, "tip": tip})
        return render(request, "operations/public/tip_form.html", {"form": form}, status=400)
    return render(request, "operations/public/tip_form.html", {"form": PublicTipForm()})


@never_cache
@csrf_protect
def tip_status(request):
    form = ReceiptForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        ip = _ip(request)
        if throttle.exhausted(throttle.RECEIPT_FAIL, ip) or not throttle.hit(throttle.RECEIPT_LOOKUP, ip):
            return render(request, "operations/public/limited.html", {"what": "查询"}, status=429)
        if form.data.get("website"):
            form.add_error("code", "回执码不正确。")
            status = 400
        elif form.is_valid():
            tip = services.find_by_receipt(form.cleaned_data["code"])
            if tip is None:
                throttle.hit(throttle.RECEIPT_FAIL, ip)
                form.add_error("code", "回执码不正确，请核对后重新输入。")
                status = 404
            else:
                context.update(
                    tip=tip,
                    public_status=PUBLIC_STATUS[tip.status],
                    form=ReceiptForm(),
                )
        else:
            status = 400
    response = render(request, "operations/public/tip_status.html", context, status=status)
    add_never_cache_headers(response)
    return response


def tip_qr(request):
    """A PNG QR code pointing at the public tip page (for posters and stickers)."""
    import segno

    url = request.build_absolute_uri(reverse("operations_public:tip_submit"))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
