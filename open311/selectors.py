"""Reads of the Open311 app: jurisdictions, a partner by its key, and the requests
filed here with the state of the case that now carries each one.

A transferred petition goes on as a new case at the receiving agency (petitions'
design), so a request's status, notes and agency are those of the last case of its
chain. The chains of a whole page are followed one level per query, so the count of
queries depends on how often cases were transferred, never on how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from agencies.models import AdministrativeUnit
from petitions.models import OPEN_STATUSES, Petition, PetitionEvent, Status

from .keys import key_digest
from .models import Jurisdiction, Partner, PartnerRequest

# Statuses after which the case goes on as another row (a transfer's new case, an
# appeal's second round); the chain is followed from them.
CONTINUED = frozenset({Status.TRANSFERRED, Status.APPEALED})
# A chain is never this long; the bound guards bad data.
MAX_CHAIN = 20


def active_jurisdictions() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(is_active=True).select_related("province")[:2])


def jurisdiction_by_id(jurisdiction_id: str) -> Jurisdiction | None:
    return (
        Jurisdiction.objects.filter(jurisdiction_id=jurisdiction_id.strip(), is_active=True)
        .select_related("province")
        .first()
    )


def partner_for_key(key: str) -> Partner | None:
    """The partner holding `key`, usable or not (the caller says which refusal)."""
    if not key.strip():
        return None
    return (
        Partner.objects.filter(key_digest=key_digest(key))
        .select_related("jurisdiction__province")
        .first()
    )


def commune_in(province: AdministrativeUnit, code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(
        parent=province, level=AdministrativeUnit.Level.COMMUNE, code=code
    ).first()


def _latest_public_note(petition_ref: str) -> dict[str, Subquery]:
    # The latest step the citizen may read (the tracking page's timeline), per case: the
    # system's sentence (rendered in the reader's language) and the official's words.
    latest = (
        PetitionEvent.objects.filter(petition_id=OuterRef(petition_ref), is_public=True)
        .exclude(note="", said_msgid="")
        .order_by("-created_at", "-id")
    )
    return {
        "public_note": Subquery(latest.values("note")[:1]),
        "public_said_msgid": Subquery(latest.values("said_msgid")[:1]),
        "public_said_args": Subquery(latest.values("said_args")[:1]),
    }


@dataclass
class RequestQuery:
    """GET requests' filters; `ids` overrides the others (the specification)."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: set[str] = field(default_factory=set)


def _status_filter(statuses: set[str]) -> Q:
    # Decided on the first case where it can be: an open one is open, an ended one
    # that did not go on is closed. A transferred case is kept for the chain to
    # decide (filter_by_status), so no request is ever missed.
    maybe_open = Q(petition__status__in=OPEN_STATUSES) | Q(petition__status__in=CONTINUED)
    if statuses == {"open"}:
        return maybe_open
    if statuses == {"closed"}:
        return ~Q(petition__status__in=OPEN_STATUSES)
    return Q()


def requests_of(jurisdiction: Jurisdiction) -> QuerySet[PartnerRequest]:
    return (
        PartnerRequest.objects.filter(jurisdiction=jurisdiction)
        .select_related("petition__handling_agency")
        .annotate(**_latest_public_note("petition_id"))
    )


def request_rows(
    jurisdiction: Jurisdiction, query: RequestQuery, *, offset: int, limit: int
) -> list[PartnerRequest]:
    """One page of the jurisdiction's requests, newest first; `limit` rows at most."""
    rows = requests_of(jurisdiction)
    if query.ids:
        rows = rows.filter(petition__reference__in=[ref.upper() for ref in query.ids])
    else:
        if query.start is not None:
            rows = rows.filter(created_at__gte=query.start)
        if query.end is not None:
            rows = rows.filter(created_at__lte=query.end)
        if query.service_codes:
            rows = rows.filter(service_code__in=query.service_codes)
        rows = rows.filter(_status_filter(query.statuses))
    return list(rows.order_by("-created_at", "-id")[offset : offset + limit])


def request_by_reference(jurisdiction: Jurisdiction, reference: str) -> PartnerRequest | None:
    return requests_of(jurisdiction).filter(petition__reference=reference.upper()).first()


def current_cases(links: list[PartnerRequest]) -> dict[int, Petition]:
    """The case that now carries each request (keyed by the first case's id), with
    its latest public step as `public_note` / `public_said_*`."""
    for link in links:
        # requests_of annotated the first case's note on the link row.
        # An attribute the model does not declare: set through the instance's dict.
        for name in ("public_note", "public_said_msgid", "public_said_args"):
            vars(link.petition)[name] = getattr(link, name, None)
    current = {link.petition_id: link.petition for link in links}
    # case id -> the first case of its chain, for the cases that went on elsewhere
    frontier = {p.pk: root for root, p in current.items() if p.status in CONTINUED}
    for _step in range(MAX_CHAIN):
        if not frontier:
            break
        following = (
            Petition.objects.filter(
                Q(transferred_from_id__in=frontier) | Q(previous_id__in=frontier)
            )
            .select_related("handling_agency")
            .annotate(**_latest_public_note("pk"))
            .order_by("id")
        )
        taken: set[int] = set()
        next_frontier: dict[int, int] = {}
        for case in following:
            parent = (
                case.transferred_from_id
                if case.transferred_from_id in frontier
                else case.previous_id
            )
            root = frontier.get(parent or 0)
            # The first following case, as petitions.selectors.petition_chain reads it.
            if root is None or root in taken:
                continue
            taken.add(root)
            current[root] = case
            if case.status in CONTINUED:
                next_frontier[case.pk] = root
        frontier = next_frontier
    return current


def georeport_status(case: Petition) -> str:
    """open while the case is received, accepted or suspended; closed once it ended."""
    return "open" if case.status in OPEN_STATUSES else "closed"


def filter_by_status(
    links: list[PartnerRequest], current: dict[int, Petition], statuses: set[str]
) -> list[PartnerRequest]:
    if not statuses or statuses == {"open", "closed"}:
        return links
    return [link for link in links if georeport_status(current[link.petition_id]) in statuses]
