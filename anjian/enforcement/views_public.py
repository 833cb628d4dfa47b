"""The public list of penalty decisions (行政处罚信息公示, LAW-15). Only published entries, only their redacted
snapshot (PenaltyPublication fields) — never the case itself. A withdrawn entry is gone (404)."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anjian.core.pagination import keyset_page

from .models import PenaltyPublication, PublicationStatus

PAGE_SIZE = 20
ORDERING = ("-published_on", "-id")
PUBLIC_FIELDS = (
    "id",
    "document_number",
    "party",
    "credit_code",
    "violation",
    "basis",
    "penalty",
    "authority",
    "decided_on",
    "published_on",
)


def _published():
    return PenaltyPublication.objects.filter(status=PublicationStatus.PUBLISHED).only(*PUBLIC_FIELDS)


@require_GET
def penalty_list(request):
    queryset = _published()
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        queryset = queryset.filter(
            Q(party__icontains=q) | Q(document_number__icontains=q) | Q(credit_code__icontains=q)
        )
    year = (request.GET.get("year") or "").strip()
    error = ""
    if year:
        if year.isdigit() and 2000 <= int(year) <= 2100:
            queryset = queryset.filter(decided_on__year=int(year))
        else:
            error = "年份应为四位数字，例如 2026。"
            queryset = queryset.none()
    try:
        page = keyset_page(queryset, ORDERING, request.GET.get("cursor"), PAGE_SIZE)
    except ValueError:
        raise Http404("页码无效。") from None
    params = request.GET.copy()
    params.pop("cursor", None)
    if page.next_cursor:
        params["cursor"] = page.next_cursor
    return render(
        request,
        "enforcement/public/penalty_list.html",
        {"page": page, "q": q, "year": year, "error": error, "next_query": params.urlencode()},
    )


@require_GET
def penalty_detail(request, pk):
    entry = _published().filter(pk=pk).first()
    if entry is None:
        raise Http404("该公示信息不存在或已撤下。")
    return render(request, "enforcement/public/penalty_detail.html", {"entry": entry})
