"""The second step of the staff login, enrolment, recovery codes, and resetting a
colleague's devices. Thin: the writes are in services, the rules in policy."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Membership
from agencies.scope import StaffRequest
from casework import throttle
from casework.drf.fields import MAX_ID
from casework.pages import page_of, query_without_page

from . import policy, services, session
from .forms import CodeForm, EnrolForm, ResetForm
from .models import TwoFactorEvent

CODES_KEY = "twofactor_new_codes"
NEXT_KEY = "twofactor_next"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, target: str) -> str:
    return reverse(name) + "?" + urlencode({"next": target})


def _refused(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context["form"]
    form.add_error(
        None,
        _("Too many wrong codes. Please wait an hour or ask your lead or an administrator."),
    )
    return throttle.too_many(render(request, template, context))


def _verified(request: HttpRequest, device: Any) -> None:
    request.session.cycle_key()  # a new session id for the stronger login
    session.mark_verified(request, device)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the 6-digit code, or a recovery code."""
    user = request.user
    target = _next(request)
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect_to_login(target)
    if session.is_verified(request):
        return HttpResponseRedirect(target)
    if policy.confirmed_device(user) is None:
        if policy.required_for(user):
            return HttpResponseRedirect(_with_next("twofactor:enrol", target))
        return HttpResponseRedirect(target)
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": target}
    if request.method == "POST":
        if services.used_up(user):
            return _refused(request, "twofactor/verify.html", context)
        if form.is_valid():
            checked = services.check_code(user, services.clean_code(form.cleaned_data["code"]))
            if checked.device is not None:
                _verified(request, checked.device)
                if checked.recovery:
                    messages.warning(
                        request,
                        _(
                            "You logged in with a recovery code; %(left)d left. Each works "
                            "once: make new ones on the Account security page."
                        )
                        % {"left": services.recovery_codes_left(user)},
                    )
                return HttpResponseRedirect(target)
            services.count_failure(user)
            form.add_error(
                "code",
                _("Wait a few seconds, then type the code the app shows now.")
                if checked.wait
                else _("This code is not right (or was already used). Try the newest one."),
            )
    return render(request, "twofactor/verify.html", context)


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code and the key in text, confirmed by a code."""
    user = request.user
    target = _next(request)
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect_to_login(reverse("twofactor:enrol"))
    # Replacing a device takes a session that passed the old one (else a stolen
    # password could enrol the thief's phone).
    if policy.confirmed_device(user) is not None and not session.is_verified(request):
        return HttpResponseRedirect(_with_next("twofactor:verify", target))
    device = services.pending_device(user)
    form = EnrolForm(request.POST or None)
    key = services.base32_key(device)
    context = {
        "form": form,
        "next": target,
        "qr": "data:image/svg+xml;base64," + base64.b64encode(services.qr_svg(device)).decode(),
        "key": services.grouped(key),
        "issuer": settings.OTP_TOTP_ISSUER,
        "required": policy.required_for(user),
    }
    if request.method == "POST":
        if services.used_up(user):
            return _refused(request, "twofactor/enrol.html", context)
        if form.is_valid():
            done = services.confirm_enrolment(
                user, device, services.clean_code(form.cleaned_data["code"])
            )
            if done is not None:
                _verified(request, done.device)
                request.session[CODES_KEY] = done.codes
                request.session[NEXT_KEY] = target
                return HttpResponseRedirect(reverse("twofactor:recovery_codes"))
            services.count_failure(user)
            form.add_error(
                "code",
                _(
                    "This code is not right. Check that the phone's time is set "
                    "automatically, then type the newest code."
                ),
            )
    return render(request, "twofactor/enrol.html", context)


@never_cache
@login_required
def recovery_codes(request: StaffRequest) -> HttpResponse:
    """The new recovery codes, shown once."""
    codes = request.session.pop(CODES_KEY, None)
    target = request.session.pop(NEXT_KEY, None) or reverse("twofactor:security")
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. You can make new ones here."))
        return HttpResponseRedirect(reverse("twofactor:security"))
    return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": target})


@never_cache
@login_required
def security(request: StaffRequest) -> HttpResponse:
    """The user's own two-factor state: the app, recovery codes left, recent events."""
    user = request.user
    device = policy.confirmed_device(user)
    return render(
        request,
        "twofactor/security.html",
        {
            "device": device,
            "required": policy.required_for(user),
            "codes_left": services.recovery_codes_left(user) if device else 0,
            "events": TwoFactorEvent.objects.filter(user=user).select_related("actor")[:10],
            "may_reset": policy.may_reset_anyone(user),
        },
    )


@require_POST
@login_required
def new_codes(request: StaffRequest) -> HttpResponse:
    user = request.user
    if policy.confirmed_device(user) is None or not session.is_verified(request):
        messages.error(request, _("Set up an authenticator app first."))
        return HttpResponseRedirect(reverse("twofactor:security"))
    request.session[CODES_KEY] = services.make_new_codes(user)
    request.session[NEXT_KEY] = reverse("twofactor:security")
    return HttpResponseRedirect(reverse("twofactor:recovery_codes"))


@never_cache
@login_required
def colleagues(request: StaffRequest) -> HttpResponse:
    """The users whose devices the lead or administrator may reset."""
    actor = request.user
    if not policy.may_reset_anyone(actor):
        raise Http404
    ids = policy.resettable_users(actor)
    users = User.objects.filter(is_active=True).exclude(pk=actor.pk)
    if ids is not None:
        users = users.filter(pk__in=ids)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    users = (
        users.annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
        )
        .order_by("username")
    )
    return render(
        request,
        "twofactor/colleagues.html",
        {"page": page_of(request, users, 25), "q": query, "query": query_without_page(request.GET)},
    )


@never_cache
@login_required
def reset(request: StaffRequest, pk: int) -> HttpResponse:
    """Reset a colleague's authenticator (a lost phone): they enrol again at next login."""
    if pk > MAX_ID:
        raise Http404
    target = get_object_or_404(User, pk=pk, is_active=True)
    if not policy.may_reset(request.user, target):
        raise Http404
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset(target, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _(
                "Two-factor authentication of %(user)s was reset; they set up an app again "
                "at their next login."
            )
            % {"user": target.get_full_name() or target.username},
        )
        return HttpResponseRedirect(reverse("twofactor:colleagues"))
    return render(
        request,
        "twofactor/reset.html",
        {"form": form, "target": target, "enrolled": policy.confirmed_device(target) is not None},
    )
