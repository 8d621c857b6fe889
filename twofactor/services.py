"""Every write of two-factor authentication: enrolment, checking a code, new recovery
codes, and a reset by a lead or administrator (with its audit row)."""

from __future__ import annotations

import unicodedata
from base64 import b32encode
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import throttle
from casework.cache import reachable as cache_reachable

from . import session
from .models import TwoFactorEvent

RECOVERY_CODES = 10
PENDING_NAME = "pending"


def clean_code(raw: str) -> str:
    """What the user typed, as devices compare it: full-width digits and letters folded
    (NFKC), blanks and hyphens dropped, lower case (recovery codes are shown so)."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(ch for ch in text if ch.isalnum()).lower()[:32]


def is_totp_shaped(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


# --- the attempt limit: wrong codes per user per hour ---------------------------------


def _limit_name(user: User) -> str:
    return f"two-factor:{user.pk}"


def used_up(user: User) -> bool:
    """Whether the user's wrong codes have spent the hour's allowance. While the cache
    that counts them is unreachable the limit closes, not opens: no code is tried."""
    if not cache_reachable():
        return True
    return throttle.used_up(_limit_name(user), settings.TWO_FACTOR_FAILURE_LIMIT)


def count_failure(user: User) -> None:
    throttle.allow_hourly(_limit_name(user), settings.TWO_FACTOR_FAILURE_LIMIT)


# --- enrolment -------------------------------------------------------------------------


def pending_device(user: User) -> TOTPDevice:
    """The device being set up: one per user, kept across reloads so the QR code the
    phone scanned stays the one the server checks."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=PENDING_NAME)
    return device


def give_device(user: User, *, key: bytes, name: str) -> TOTPDevice:
    """A confirmed authenticator with a known key (the demo's published one)."""
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True, key=key.hex())


def base32_key(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


def grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def qr_svg(device: TOTPDevice) -> bytes:
    """The otpauth:// link as an SVG QR code (shown as a data: image; no script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8
    )
    out = BytesIO()
    image.save(out)
    return out.getvalue()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass
class Enrolled:
    device: TOTPDevice
    codes: list[str]


def confirm_enrolment(user: User, device: TOTPDevice, code: str) -> Enrolled | None:
    """The pending device confirmed by a first code: it replaces any earlier one, and
    ten recovery codes are made. None when the code is wrong."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user).first()
        if locked is None or locked.confirmed or not is_totp_shaped(code):
            return None
        if not locked.verify_token(code):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        locked.confirmed = True
        locked.name = "authenticator"
        locked.save(update_fields=["confirmed", "name"])
        codes = new_recovery_codes(user)
        TwoFactorEvent.objects.create(user=user, kind=TwoFactorEvent.Kind.ENROLLED)
    return Enrolled(locked, codes)


# --- the second step at login ----------------------------------------------------------


@dataclass
class Checked:
    device: TOTPDevice | StaticDevice | None
    recovery: bool = False
    wait: bool = False  # the device is cooling down after wrong codes


def check_code(user: User, code: str) -> Checked:
    """Whether `code` opens the user's authenticator (6 digits) or is one of their
    recovery codes, each of which works once."""
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if is_totp_shaped(code) else StaticDevice
    )
    with transaction.atomic():
        device = (
            model.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-id")
            .first()
        )
        if device is None or not code:
            return Checked(None)
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            return Checked(None, wait=True)
        if not device.verify_token(code):
            return Checked(None)
        recovery = isinstance(device, StaticDevice)
        if recovery:
            TwoFactorEvent.objects.create(user=user, kind=TwoFactorEvent.Kind.RECOVERY_USED)
    return Checked(device, recovery=recovery)


def make_new_codes(user: User) -> list[str]:
    with transaction.atomic():
        codes = new_recovery_codes(user)
        TwoFactorEvent.objects.create(user=user, kind=TwoFactorEvent.Kind.NEW_CODES)
    return codes


# --- reset by a colleague --------------------------------------------------------------


def reset(target: User, *, actor: User | None, reason: str) -> int:
    """Remove the user's authenticator and recovery codes and log them out everywhere:
    their next login enrols again. The audit row names who did it and why. Returns how
    many sessions ended."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        TwoFactorEvent.objects.create(
            user=target, kind=TwoFactorEvent.Kind.RESET, actor=actor, reason=reason
        )
    return session.end_sessions(target.pk)
