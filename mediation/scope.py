"""Who may see and do what in mediation — the one place that answers it.

`mediation_scope(user)` builds on agencies.scope (memoised per request like it):

- a team member (leader or mediator, term of service covering today) sees their
  team's cases; the case's own mediator records its sessions and outcomes; the
  leader assigns and replaces mediators and may do what a mediator does;
- a commune official (Role.LEAD or Role.HANDLER of the commune's People's Committee)
  oversees the commune's teams: sees their cases and conducts land mediation; a lead
  may also assign;
- a monitor sees the province's aggregates only, never a case.

Parties' contacts (`may_see_contacts`) are for the case's mediator, its team leader
and, for land mediation, the commune's officials; everyone else reads the mask.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, acting_agency_ids
from casework import timekeeping

from .models import Kind, MediationCase, MemberRole, TeamMember

_CACHE_ATTR = "_civic_mediation_scope"


@dataclass(frozen=True)
class MediationScope:
    led_teams: frozenset[int]
    member_teams: frozenset[int]
    # The user's own TeamMember rows now serving (a case's mediator is one of them).
    member_ids: frozenset[int]
    communes: frozenset[int]  # communes whose People's Committee the user works in
    lead_communes: frozenset[int]  # … and leads
    # The agencies whose province's aggregates the user monitors (read as a subquery
    # of the figures, so a page pays no query for it).
    monitored: frozenset[int]

    @property
    def sees_cases(self) -> bool:
        return bool(self.member_teams or self.communes)

    @property
    def sees_figures(self) -> bool:
        return self.sees_cases or bool(self.monitored)

    def cases_q(self) -> Q:
        """The cases this user may open and read (a filter on MediationCase)."""
        return Q(team_id__in=self.member_teams) | Q(commune_id__in=self.communes)

    def figures_q(self) -> Q:
        """The cases counted in this user's figures: their own, or the province's."""
        if not self.monitored:
            return self.cases_q()
        provinces = Agency.objects.filter(pk__in=self.monitored).values("province_id")
        return self.cases_q() | Q(commune__parent_id__in=provinces)

    def sees(self, case: MediationCase) -> bool:
        return case.team_id in self.member_teams or case.commune_id in self.communes

    def can(self, case: MediationCase, action: Action) -> bool:
        """Whether the user may make a move needing `action` on `case`."""
        if action == Action.VIEW:
            return self.sees(case)
        leads = case.team_id in self.led_teams or case.commune_id in self.lead_communes
        if action == Action.LEAD:
            return leads
        if action == Action.HANDLE:
            if leads or (case.mediator_id is not None and case.mediator_id in self.member_ids):
                return True
            return case.kind == Kind.LAND and case.commune_id in self.communes
        return False

    def may_see_contacts(self, case: MediationCase) -> bool:
        if case.mediator_id is not None and case.mediator_id in self.member_ids:
            return True
        if case.team_id is not None and case.team_id in self.led_teams:
            return True
        return case.kind == Kind.LAND and case.commune_id in self.communes

    def may_open_in(self, *, team_id: int | None, commune_id: int | None, kind: str) -> bool:
        if kind == Kind.LAND:
            return commune_id in self.communes
        return team_id in self.member_teams or (commune_id in self.communes and team_id is not None)


def _communes(user: object) -> tuple[frozenset[int], frozenset[int]]:
    """The communes whose People's Committee the user works in, and those they lead,
    in one query (a lead also handles)."""
    handles = acting_agency_ids(user, Action.HANDLE)
    if not handles:
        return frozenset(), frozenset()
    leads = acting_agency_ids(user, Action.LEAD)
    rows = Agency.objects.filter(
        pk__in=handles,
        kind=Agency.Kind.PEOPLES_COMMITTEE,
        unit__level=AdministrativeUnit.Level.COMMUNE,
    ).values_list("pk", "unit_id")
    pairs = list(rows)
    return (
        frozenset(unit for _pk, unit in pairs),
        frozenset(unit for pk, unit in pairs if pk in leads),
    )


def _build(user: object) -> MediationScope:
    empty: frozenset[int] = frozenset()
    pk = getattr(user, "pk", None)
    if pk is None or not getattr(user, "is_authenticated", False):
        return MediationScope(empty, empty, empty, empty, empty, empty)
    if not getattr(user, "is_active", False):
        return MediationScope(empty, empty, empty, empty, empty, empty)
    rows = list(
        TeamMember.objects.serving_on(timekeeping.today())
        .filter(user_id=pk, team__is_active=True)
        .values_list("pk", "team_id", "role")
    )
    communes, lead_communes = _communes(user)
    return MediationScope(
        led_teams=frozenset(team for _pk, team, role in rows if role == MemberRole.LEADER),
        member_teams=frozenset(team for _pk, team, _role in rows),
        member_ids=frozenset(member for member, _team, _role in rows),
        communes=communes,
        lead_communes=lead_communes,
        monitored=acting_agency_ids(user, Action.MONITOR),
    )


def mediation_scope(user: object) -> MediationScope:
    """The user's mediation scope, computed at most once per user object (per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _build(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_mediation_scope(user: object) -> None:
    """Drop the memoised scope (after memberships change in the same request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
