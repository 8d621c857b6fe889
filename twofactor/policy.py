"""Who must use a second factor, and who may reset whose — answered from agencies.scope.

The rule follows what a role may do, not its name: anyone who may reveal a denouncer's
identity (leads), read a whole province (monitors) or manage users and reference data
(administrators) must; so must superusers and anyone who may enter Django's admin.
Handlers and council staff may opt in; once they have a device, they are asked too.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Agency, Membership
from agencies.scope import Action, acting_agency_ids, scope_for

# What makes a second factor compulsory.
GUARDED_ACTIONS = (Action.REVEAL, Action.MONITOR, Action.ADMIN)

AnyUser = AbstractBaseUser | AnonymousUser


def required_for(user: AnyUser) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    scope = scope_for(user)
    return any(scope.agencies_for(action) for action in GUARDED_ACTIONS)


def confirmed_device(user: AnyUser) -> TOTPDevice | None:
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-id").first()


def asks_for_code(user: AnyUser) -> bool:
    """Whether this user's login has a second step: required, or opted in."""
    return required_for(user) or confirmed_device(user) is not None


def _admin_provinces(actor: User) -> set[int]:
    agencies = acting_agency_ids(actor, Action.ADMIN)
    return set(Agency.objects.filter(pk__in=agencies).values_list("province_id", flat=True))


def may_reset(actor: AnyUser, target: User) -> bool:
    """Whether `actor` may reset `target`'s devices (a lost phone): a superuser anyone's;
    an administrator those of anyone working only in their province(s); a lead those of
    anyone working only in agencies they lead. Never one's own (ask a colleague), and
    a superuser's only by a superuser."""
    if not isinstance(actor, User) or not actor.is_authenticated or actor.pk == target.pk:
        return False
    if target.is_superuser:
        return actor.is_superuser
    if actor.is_superuser:
        return True
    memberships = list(
        Membership.objects.filter(user_id=target.pk).values_list("agency_id", "agency__province_id")
    )
    if not memberships or target.is_staff:
        return False
    provinces = _admin_provinces(actor)
    if provinces and all(province in provinces for _agency, province in memberships):
        return True
    led = acting_agency_ids(actor, Action.LEAD)
    return all(agency in led for agency, _province in memberships)


def may_reset_anyone(actor: AnyUser) -> bool:
    """Whether the colleagues' page is worth showing to `actor`."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return False
    return (
        actor.is_superuser
        or bool(acting_agency_ids(actor, Action.ADMIN))
        or bool(acting_agency_ids(actor, Action.LEAD))
    )


def resettable_users(actor: User) -> list[int] | None:
    """Ids of the users `actor` may see on the colleagues' page (None: everyone, for a
    superuser). The page still asks `may_reset` for each reset."""
    if actor.is_superuser:
        return None
    provinces = _admin_provinces(actor)
    led = acting_agency_ids(actor, Action.LEAD)
    ids = set(
        Membership.objects.filter(agency__province_id__in=provinces).values_list(
            "user_id", flat=True
        )
    ) | set(Membership.objects.filter(agency_id__in=led).values_list("user_id", flat=True))
    ids.discard(actor.pk)
    return sorted(ids)
