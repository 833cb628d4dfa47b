from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Cursor (keyset) pagination for every list endpoint: no COUNT(*), no OFFSET scans."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 500
