"""What a session remembers of the second step, so the gate costs no query per request.

`SESSION_KEY` holds {"user": pk, "state": "verified"} once the code was typed (or the
recovery code, or the enrolment confirmed), or {"user": pk, "state": "free", "at": t}
for a user who needs no code, re-read every TWO_FACTOR_RECHECK_SECONDS (a handler made
a lead meanwhile is asked from then on). Every password login starts afresh; a reset
of the devices ends the user's sessions (`end_sessions`).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from .policy import asks_for_code

SESSION_KEY = "twofactor"
VERIFIED = "verified"
FREE = "free"


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session passed the second step with `device` (django-otp's own key too)."""
    request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    request.session[SESSION_KEY] = {"user": device.user_id, "state": VERIFIED}


def _state(request: HttpRequest) -> dict[str, Any]:
    """The session's record, if it is of the user signed in now (else empty)."""
    info = request.session.get(SESSION_KEY)
    if isinstance(info, dict) and str(info.get("user")) == str(
        request.session.get(AUTH_SESSION_KEY)
    ):
        return info
    return {}


def is_verified(request: HttpRequest) -> bool:
    return _state(request).get("state") == VERIFIED


def passes(request: HttpRequest) -> bool:
    """Whether the signed-in session may go on: verified, or its user needs no code."""
    info = _state(request)
    if info.get("state") == VERIFIED:
        return True
    if info.get("state") == FREE and time.time() - float(info.get("at", 0)) < float(
        settings.TWO_FACTOR_RECHECK_SECONDS
    ):
        return True
    user = request.user
    if asks_for_code(user):
        request.session.pop(SESSION_KEY, None)
        return False
    request.session[SESSION_KEY] = {"user": user.pk, "state": FREE, "at": time.time()}
    return True


def _forget_on_login(
    sender: object, request: HttpRequest, user: AbstractBaseUser, **_: Any
) -> None:
    # The password alone proves nothing about the second factor: each login asks again.
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)


def connect_signals() -> None:
    user_logged_in.connect(_forget_on_login, dispatch_uid="twofactor-forget-on-login")


def end_sessions(user_id: int) -> int:
    """Log the user out everywhere (database sessions); how many sessions ended."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    from importlib import import_module

    from django.contrib.sessions.backends.base import SessionBase

    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(row.get_decoded().get(AUTH_SESSION_KEY)) == str(user_id):
            store(session_key=row.session_key).delete()
            ended += 1
    return ended
