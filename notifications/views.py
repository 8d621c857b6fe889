"""The staff notification centre: the list behind the bell, opening and marking read."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Notice
from .selectors import language_of, notices_for


class SignedInRequest(HttpRequest):
    """Every page here is behind `login_required`: the user is an account (for mypy)."""

    user: User


PAGE_SIZE = 25


@login_required
@require_GET
def notice_list(request: SignedInRequest) -> HttpResponse:
    """The user's in-app notices, newest first, unread ones highlighted."""
    page = Paginator(notices_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "notice_language": language_of(user=request.user),
            "notice_languages": settings.LANGUAGES,
        },
    )


def _safe_target(request: HttpRequest, url: str) -> str | None:
    # Links are written by our own code, but a redirect never leaves the portal.
    parts = urlsplit(url)
    if parts.netloc and parts.netloc in {request.get_host(), urlsplit(settings.SITE_URL).netloc}:
        # A notice written when links were absolute: its path on the host in use, so
        # it opens whatever host and port serve the portal now.
        url = parts._replace(scheme="", netloc="").geturl() or "/"
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


@login_required
@require_GET
def notice_open(request: SignedInRequest, notice_id: int) -> HttpResponse:
    """Opening a notice marks it read and follows its link (or returns to the list)."""
    try:
        notice = services.notice_mark_read(user=request.user, notice_id=notice_id)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc
    target = _safe_target(request, notice.url)
    if target is None:
        messages.info(request, notice.subject)
        return redirect("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def notices_read_all(request: SignedInRequest) -> HttpResponse:
    count = services.notices_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_POST
def notice_language(request: SignedInRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the languages offered."))
    else:
        services.preference_set_language(user=request.user, language=language)
        messages.success(request, _("Your notices will be written in the language you chose."))
    return redirect("notifications:list")
