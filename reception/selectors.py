"""Reads of the register: who sees which visits, the register list, one visit with its
timeline, the returning citizen's earlier visits, and what a reader may see of a
visitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from agencies.clocks import phase_filter
from agencies.scope import Action, acting_agency_ids, can, visible_agency_ids
from casework.actors import Actor
from casework.pages import CaseListFilters
from casework.search import narrowed, search_filter

from .identity import Visitor, unseal
from .models import Status, Visit, VisitEvent, VisitQuerySet


def register_agency_ids(user: Actor) -> frozenset[int]:
    """The agencies whose register `user` reads: where they keep the desk (reception
    officers), and the agencies they may see (leads, handlers; monitors: the province)."""
    return visible_agency_ids(user) | acting_agency_ids(user, Action.RECEPTION)


def visible_visits(user: Actor) -> VisitQuerySet:
    return Visit.objects.filter(agency_id__in=register_agency_ids(user))


@dataclass
class RegisterFilters(CaseListFilters):
    classification: str = ""
    outcome: str = ""
    commune: int | None = None
    phase: str = ""
    start: date | None = None
    end: date | None = None
    delegations: bool = False


def register(user: Actor, filters: RegisterFilters, *, today: date) -> QuerySet[Visit]:
    """The register as the list page and the export read it, newest first."""
    qs = narrowed(
        visible_visits(user).for_register(),
        status=filters.status,
        classification=filters.classification,
        outcome=filters.outcome,
        field=filters.field,
        commune_id=filters.commune,
        agency_id=filters.agency,
    )
    if filters.start:
        qs = qs.filter(visited_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(visited_on__lte=filters.end)
    if filters.delegations:
        qs = qs.filter(is_delegation=True)
    if filters.phase:
        qs = qs.filter(Q(status=Status.AWAITING) & phase_filter("answer", filters.phase, today))
    if filters.q:
        qs = qs.filter(search_filter(filters.q))
    return qs.order_by("-visited_on", "-id")


def visit_for_staff(user: Actor, pk: int) -> Visit:
    """One visit with its timeline, or 404 outside the reader's register."""
    events = VisitEvent.objects.select_related("actor", "agency")
    visit = (
        visible_visits(user)
        .select_related("agency", "commune", "petition", "petition__handling_agency", "matter")
        .prefetch_related(Prefetch("events", queryset=events))
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def may_act(user: Actor, visit: Visit) -> bool:
    return can(user, visit.agency_id, Action.RECEPTION)


def may_reveal(user: Actor, visit: Visit) -> bool:
    """Who may see a sealed visitor (a denunciation's): the visit's own reception
    officers and the leads of its agency, through the logged reveal."""
    return can(user, visit.agency_id, Action.RECEPTION) or can(user, visit.agency_id, Action.REVEAL)


def visitor_for(user: Actor, visit: Visit) -> Visitor | None:
    """The visitor as this reader may see them without a reveal: anyone who reads the
    register sees a complainant or a petitioner; a sealed one nobody (a reveal does)."""
    if visit.is_sealed:
        return None
    if visit.agency_id in register_agency_ids(user):
        return unseal(visit.identity)
    return None


def earlier_visits(visit: Visit, *, limit: int = 10) -> list[Visit]:
    """The same citizen's earlier visits to the same agency (same ID digest): a
    returning citizen, recognised at the desk."""
    if not visit.identity_digest:
        return []
    return list(
        Visit.objects.filter(
            identity_digest=visit.identity_digest,
            agency_id=visit.agency_id,
            visited_on__lte=visit.visited_on,
        )
        .exclude(pk=visit.pk)
        .select_related("petition", "matter")
        .order_by("-visited_on", "-id")[:limit]
    )
