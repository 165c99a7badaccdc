from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pagination: page 1,000 costs what page 1 costs."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 500


class NewestFirstPagination(KeysetPagination):
    ordering = "-id"
