"""Site-wide pages that belong to no single case app: the home page, the staff login
and /healthz (database, broker and the last heartbeat of beat and a worker)."""

from __future__ import annotations

from celery import current_app
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from casework.throttle import allow

# Written every minute by tasks.heartbeat (beat schedules it, a worker runs it).
HEARTBEAT_KEY = "civic:celery-heartbeat"
# Wrong passwords per client address and username in an hour before login pauses.
LOGIN_ATTEMPTS_PER_HOUR = 10


class ThrottledLoginView(LoginView):
    """Django's login, with guessing slowed down per client and username."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150].lower()
        if not allow(request, "login", LOGIN_ATTEMPTS_PER_HOUR, extra=username):
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None, _("Too many failed attempts. Please wait an hour or ask an administrator.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


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
