"""Fixtures of the verdict tests: the petitions' agencies and people, and resolved cases
made through the real services on fixed days."""

from __future__ import annotations

from petitions import services
from petitions.models import Petition
from tests.factories import submit_petition
from tests.petitions.conftest import (  # noqa: F401  (fixtures re-exported)
    agency,
    at,
    handler,
    lead,
    monitor,
    other_agency,
    other_handler,
    other_lead,
    parent_agency,
    province,
)

OUTCOME = {
    "complaint": "correct",
    "denunciation": "untrue",
    "recommendation": "adopted",
    "reflection": "adopted",
}


def go(petition: Petition, move: str, day: tuple[int, ...], **kwargs: object) -> object:
    """Make a move on `day` through the petitions' service, on a fresh row."""
    with at(*day):
        return getattr(services, f"petition_{move}")(
            petition=Petition.objects.get(pk=petition.pk), **kwargs
        )


def resolve(petition: Petition, by: object, day: tuple[int, ...]) -> Petition:
    """Resolve `petition` on `day` as the lead `by`."""
    go(
        petition,
        "resolve",
        day,
        actor=by,
        outcome=OUTCOME[petition.kind],
        decision_number="12/QĐ",
        result_summary="Đã khắc phục.",
    )
    return Petition.objects.get(pk=petition.pk)


def resolved_case(
    to: object,
    by: object,
    *,
    kind: str = "reflection",
    received: tuple[int, int, int] = (2026, 3, 2),
    accepted: tuple[int, int, int] = (2026, 3, 4),
    resolved: tuple[int, int, int] = (2026, 3, 20),
    **fields: object,
) -> Petition:
    """A petition to the agency `to`, accepted and resolved by its lead `by`."""
    with at(*received):
        petition = submit_petition(agency=to, kind=kind, **fields).petition
    go(petition, "accept", accepted, actor=by)
    return resolve(petition, by, resolved)
