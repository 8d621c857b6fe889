"""Site-wide pages that belong to no single case app: the home page, the staff login
and /healthz (database, broker and the last heartbeat of beat and a worker)."""

from __future__ import annotations

from datetime import date
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from agencies.clocks import period_text, policy_in_force_or_none

# Written every minute by tasks.heartbeat (beat schedules it, a worker runs it).
HEARTBEAT_KEY = "civic:celery-heartbeat"


class ThrottledLoginView(LoginView):
    """Django's login; guessing is slowed down by django-axes (settings AXES_*), which
    counts failures per client address and normalised username on this page and on
    /admin/login/ alike, and answers with `lockout_response` once they are used up."""

    redirect_authenticated_user = True


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): the login form with
    the reason, 429, and when to come back."""
    form = AuthenticationForm(request)  # unbound: validating would count a failure
    form.cleaned_data = {}
    form.add_error(
        None, _("Too many failed attempts. Please wait an hour or ask an administrator.")
    )
    response = render(request, "registration/login.html", {"form": form}, status=429)
    cool_off = settings.AXES_COOLOFF_TIME
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def _guarantees(today: date) -> list[str]:
    """What the law guarantees, with the periods of the deadline policies in force
    today (Admin → Deadline policies): a changed law changes the page with the rows."""
    lines: list[str] = []
    complaint = policy_in_force_or_none("complaint1.acceptance", today)
    denunciation = policy_in_force_or_none("denunciation.initial", today)
    other = policy_in_force_or_none("petition.handling", today)
    if complaint and denunciation and other:
        lines.append(
            _(
                "A complaint is handled within %(complaint)s of receipt, a denunciation "
                "within %(denunciation)s, a recommendation or reflection within %(other)s: "
                "accepted, transferred to the competent agency, or answered with guidance."
            )
            % {
                "complaint": period_text(complaint.days, working=complaint.working_days),
                "denunciation": period_text(denunciation.days, working=denunciation.working_days),
                "other": period_text(other.days, working=other.working_days),
            }
        )
    resolution = policy_in_force_or_none("complaint1.resolution", today)
    if resolution:
        period = period_text(resolution.days, working=resolution.working_days)
        longer = resolution.complex_days or resolution.remote_days
        if longer and resolution.complex_days == resolution.remote_days:
            if resolution.complex_remote_days and resolution.complex_remote_days != longer:
                text = _(
                    "A first-round complaint is resolved within %(period)s of acceptance "
                    "(%(longer)d in complex cases or remote areas, %(both)d in both)."
                )
            else:
                text = _(
                    "A first-round complaint is resolved within %(period)s of acceptance "
                    "(%(longer)d in complex cases or remote areas)."
                )
        else:
            text = _("A first-round complaint is resolved within %(period)s of acceptance.")
        lines.append(
            text
            % {"period": period, "longer": longer or 0, "both": resolution.complex_remote_days or 0}
        )
    return lines


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"guarantees": _guarantees(timezone.localdate())})


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return False, exc.__class__.__name__
    return True, connection.vendor


def _broker_ok() -> tuple[bool, str]:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # any transport error means "down"
        return False, exc.__class__.__name__
    return True, str(transport)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability; 503 when either is down."""
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    ok = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "database": {"ok": db_ok, "detail": db_detail},
            "broker": {"ok": broker_ok, "detail": broker_detail},
            "last_beat": cache.get(HEARTBEAT_KEY),
        },
        status=200 if ok else 503,
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the API answers in JSON, as its schema says; pages with the Vietnamese page
    (templates/404.html, with the tracking form)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
