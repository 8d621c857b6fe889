"""Vietnamese first: pages ignore the browser's preferred language.

A citizen whose phone is set to English still gets the Vietnamese portal until they
pick English with the language switch (a cookie). API clients keep content
negotiation through Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
