"""Who makes a move: an official (a user), the citizen on the tracking page, or the
system (beat). The citizen and the system are marker objects, never strings, so a
typo cannot impersonate either and mypy sees every kind of actor."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser


class Citizen:
    """The petitioner, acting without an account (tracking code in the session)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "CITIZEN"

    def __reduce__(self) -> str:
        return "CITIZEN"


class System:
    """The portal itself: beat closing a resolved case, a transfer's new case."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self) -> str:
        return "SYSTEM"


CITIZEN = Citizen()
SYSTEM = System()

# A request's user may be anonymous; scope answers "may not" for it.
User: TypeAlias = AbstractBaseUser | AnonymousUser
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | Citizen | System


def user_of(actor: Actor) -> AbstractBaseUser | None:
    """The account behind a move (what an event's `actor` column stores), if any."""
    return actor if isinstance(actor, AbstractBaseUser) else None
