"""Who may see and act on which agencies' cases — the one place that answers it.

Every queryset for pages, API, exports and dashboards starts from
`visible_agency_ids()` or `acting_agency_ids()`; permission checks on one case call
`can()`. The answer is computed once per request (memoised on the user object).
Any actor may be asked about: the citizen, the system and anonymous visitors act in
no agency, so their scope is empty.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import User
from django.http import HttpRequest

from .models import Agency, Membership, Role


class Action(StrEnum):
    VIEW = "view"  # read the agency's cases
    HANDLE = "handle"  # record, transfer, guide, file, add notes
    LEAD = "lead"  # accept, reject, extend, suspend, resolve, assign
    REVEAL = "reveal"  # see a denouncer's identity (with an audit row)
    COUNCIL = "council"  # voter meetings, consolidation, forwarding, assessment
    MONITOR = "monitor"  # dashboards and exports of the whole province
    ADMIN = "admin"  # reference data, users, calendars, policies
    RECEPTION = "reception"  # reception schedule, bookings, the register of visits


# What each role may do within its own agency.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.HANDLER: frozenset({Action.VIEW, Action.HANDLE}),
    Role.LEAD: frozenset({Action.VIEW, Action.HANDLE, Action.LEAD, Action.REVEAL}),
    Role.COUNCIL_STAFF: frozenset({Action.VIEW, Action.COUNCIL}),
    Role.MONITOR: frozenset({Action.VIEW, Action.MONITOR}),
    # Reference data, users, calendars and policies — not cases (DOMAIN: roles).
    Role.ADMIN: frozenset({Action.ADMIN}),
    # Cán bộ tiếp công dân: the desk, not the case files (a visit's petition goes to
    # the agency's handlers through the petitions service).
    Role.RECEPTION_OFFICER: frozenset({Action.RECEPTION}),
}
# Roles whose view reaches every agency of their province, not only their own.
PROVINCE_WIDE_ROLES = frozenset({Role.MONITOR})


class StaffRequest(HttpRequest):
    """A request behind `login_required`: its user is a signed-in account (for mypy)."""

    user: User


_CACHE_ATTR = "_civic_scope_cache"


class Scope:
    """The agencies a user may see, and what they may do in each of their own."""

    def __init__(self, actions: dict[int, frozenset[Action]], visible: frozenset[int]) -> None:
        self.actions = actions
        self.visible = visible

    def agencies_for(self, action: Action) -> frozenset[int]:
        if action == Action.VIEW:
            return self.visible
        return frozenset(a for a, acts in self.actions.items() if action in acts)

    def can(self, agency_id: int | None, action: Action) -> bool:
        if agency_id is None:
            return False
        if action == Action.VIEW:
            return agency_id in self.visible
        return action in self.actions.get(agency_id, frozenset())

    @property
    def is_staff(self) -> bool:
        return bool(self.actions)


def _build(user: object) -> Scope:
    pk = getattr(user, "pk", None)
    if pk is None or not getattr(user, "is_authenticated", False):
        return Scope({}, frozenset())
    if not getattr(user, "is_active", False):
        return Scope({}, frozenset())
    actions: dict[int, set[Action]] = {}
    provinces: set[int] = set()
    for agency_id, province_id, role in Membership.objects.filter(
        user_id=pk, agency__is_active=True
    ).values_list("agency_id", "agency__province_id", "role"):
        actions.setdefault(agency_id, set()).update(ROLE_ACTIONS.get(role, frozenset()))
        if role in PROVINCE_WIDE_ROLES:
            provinces.add(province_id)
    visible = {agency for agency, acts in actions.items() if Action.VIEW in acts}
    if provinces:
        visible.update(
            Agency.objects.filter(province_id__in=provinces).values_list("pk", flat=True)
        )
    return Scope({a: frozenset(acts) for a, acts in actions.items()}, frozenset(visible))


def scope_for(user: object) -> Scope:
    """The user's scope, computed at most once per user object (i.e. per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _build(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scope(user: object) -> None:
    """Drop the memoised scope (after memberships change in the same request/test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def visible_agency_ids(user: object) -> frozenset[int]:
    return scope_for(user).visible


def acting_agency_ids(user: object, action: Action) -> frozenset[int]:
    return scope_for(user).agencies_for(action)


def can(user: object, agency_id: int | None, action: Action) -> bool:
    return scope_for(user).can(agency_id, action)
