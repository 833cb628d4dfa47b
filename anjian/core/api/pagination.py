from django.db import connections
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from anjian.core import pagination

# A search that falls back to collecting its matches first (core.pagination.search_page) takes at most this many;
# more matches than this and a slow plan mean the search is too broad for its scope.
API_SEARCH_MATCHES = 10_000


class KeysetPagination(CursorPagination):
    """Cursor (keyset) pagination for every list endpoint: no COUNT(*), no OFFSET scans.

    A text search (`?q=`) on PostgreSQL gets the same time budgets as the list pages: when the natural plan runs
    out of time, the matches are collected through the search indexes first and the page is taken from them."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        searching = bool(request.query_params.get("q", "").strip())
        if not searching or connections[queryset.db].vendor != "postgresql":
            return super().paginate_queryset(queryset, request, view)
        ordering = tuple(self.get_ordering(request, queryset, view))
        found = pagination.first_within_budget(
            queryset.db,
            lambda: ("page", super(KeysetPagination, self).paginate_queryset(queryset, request, view)),
            lambda: ("ids", pagination.matches_first_ids(queryset, ordering, None, API_SEARCH_MATCHES + 1)),
            plan_key=pagination.search_plan_key(queryset),
            few=lambda found: len(found[1]) <= pagination.SEARCH_COUNT_LIMIT,
        )
        if found is not None and found[0] == "page":
            return found[1]
        ids = found[1] if found is not None else None
        if ids is None or len(ids) > API_SEARCH_MATCHES:
            raise ValidationError(
                {
                    "q": [
                        "这次搜索在当前范围内用时过长，没有完成。请用 territory 等条件缩小范围，或换用更长的关键词。"
                    ]
                }
            )
        return super().paginate_queryset(queryset.filter(pk__in=ids), request, view)
