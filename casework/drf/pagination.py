"""Pagination and ordering every list endpoint shares."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    """50 rows a page (settings.PAGE_SIZE); `page_size` up to 200 — a province's communes."""

    page_size_query_param = "page_size"
    max_page_size = 200


class StableOrderingFilter(filters.OrderingFilter):
    """The requested ordering, then the id: pages never repeat or skip a row on ties."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if ordering and not any(term.lstrip("-") in {"id", "pk"} for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering
