"""The moves that open a mediation and put a mediator on it: `open_case` (which other
apps call to hand a dispute over, keeping the link), assignment and replacement."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import NoPolicy, start_clock
from agencies.models import AdministrativeUnit, Agency, Field
from agencies.scope import Action, can
from casework import timekeeping
from casework.actors import CITIZEN, SYSTEM, Actor
from casework.errors import NotPermitted
from casework.events import Said, record, said
from casework.search import search_key

from ..machine import MACHINE
from ..models import (
    LAND_POLICY,
    REFERENCE_PREFIX,
    START_POLICY,
    CaseSequence,
    Clock,
    Ground,
    Kind,
    MediationCase,
    MediationEvent,
    Party,
    Status,
    Team,
    TeamMember,
)
from ..parties import PartyData, seal
from ..scope import mediation_scope
from .door import apply_move, clock_fields, tell_assigned

if TYPE_CHECKING:
    from petitions.models import Petition


def _next_reference(kind: str, year: int) -> str:
    prefix = REFERENCE_PREFIX[Kind(kind)]
    CaseSequence.objects.get_or_create(prefix=prefix, year=year)
    # The row lock serialises concurrent openings; a number is never reused.
    seq = CaseSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last = F("last") + 1
    seq.save(update_fields=["last"])
    seq.refresh_from_db(fields=["last"])
    return f"{prefix}-{year}-{seq.last:06d}"


def commune_committee(commune: AdministrativeUnit) -> Agency | None:
    """The commune's People's Committee: it oversees the teams and mediates land."""
    return (
        Agency.objects.filter(unit=commune, kind=Agency.Kind.PEOPLES_COMMITTEE, is_active=True)
        .order_by("pk")
        .first()
    )


def _check_parties(parties: Sequence[PartyData]) -> list[PartyData]:
    named = [p for p in parties if p.name.strip()]
    if len(named) < 2:
        raise ValidationError({"parties": _("A dispute has at least two parties: name both.")})
    return named


def _where(
    kind: str, team: Team | None, commune: AdministrativeUnit | None
) -> tuple[AdministrativeUnit, Agency]:
    if kind == Kind.GRASSROOTS:
        if team is None or not team.is_active:
            raise ValidationError({"team": _("Choose the mediation team of the village.")})
        commune = team.commune
    elif commune is None:
        raise ValidationError({"commune": _("Choose the commune that mediates the land dispute.")})
    agency = commune_committee(commune)
    if agency is None:
        raise ValidationError(
            {"commune": _("This commune has no People's Committee in the directory.")}
        )
    return commune, agency


def _opening_said(
    ground: str, source_petition: Petition | None, source_reference: str, previous: Any
) -> Said:
    if source_petition is not None:
        return said(
            gettext_noop("Handed over to mediation from petition %(ref)s."),
            ref=source_petition.reference,
        )
    if previous is not None:
        return said(
            gettext_noop("Opened on the referral of mediation %(ref)s."), ref=previous.reference
        )
    if source_reference:
        return said(gettext_noop("Handed over to mediation from %(ref)s."), ref=source_reference)
    return said(gettext_noop("Mediation requested: %(ground)s."), ground=Ground(ground).label)


@transaction.atomic
def open_case(
    *,
    actor: Actor,
    kind: str,
    ground: str,
    field: str,
    subject: str,
    summary: str,
    parties: Sequence[PartyData],
    team: Team | None = None,
    commune: AdministrativeUnit | None = None,
    requested_on: date | None = None,
    source_petition: Petition | None = None,
    source_reference: str = "",
    previous: MediationCase | None = None,
    note: str = "",
) -> MediationCase:
    """— → requested: a dispute comes to mediation (Điều 16); a land mediation's 30-day
    clock starts. Other apps hand a dispute over with `source_petition` or
    `source_reference` (a reception visit) and the portal (SYSTEM) as the actor."""
    if kind not in Kind.values or ground not in Ground.values or field not in Field.values:
        raise ValidationError(_("Choose the kind, the ground and the field from the lists."))
    if actor is CITIZEN:
        raise NotPermitted()
    where, agency = _where(kind, team, commune)
    if actor is not SYSTEM and not mediation_scope(actor).may_open_in(
        team_id=team.pk if team is not None and kind == Kind.GRASSROOTS else None,
        commune_id=where.pk,
        kind=kind,
    ):
        raise NotPermitted()
    named = _check_parties(parties)
    if not subject.strip() or not summary.strip():
        raise ValidationError({"summary": _("Say what the dispute is about.")})
    today = requested_on or timekeeping.today()
    timekeeping.check_plausible(requested_on=today)
    if today > timekeeping.today():
        raise ValidationError({"requested_on": _("The date requested cannot be in the future.")})
    clock = None
    if kind == Kind.LAND:
        try:
            clock = start_clock(LAND_POLICY, today)
        except NoPolicy as exc:
            raise ValidationError(
                {"requested_on": _("No deadline rule applies on this date.")}
            ) from exc
    case = MediationCase.objects.create(
        reference=_next_reference(kind, today.year),
        kind=kind,
        ground=ground,
        team=team if kind == Kind.GRASSROOTS else None,
        commune=where,
        agency=agency,
        field=field,
        subject=subject.strip()[:200],
        summary=summary.strip(),
        status=Status.REQUESTED,
        requested_on=today,
        source_petition=source_petition,
        source_reference=source_reference.strip()[:120],
        previous=previous,
        # The parties' names are searched; their contacts never are.
        search_text=search_key(" ".join([subject, *(p.name for p in named)])),
        **clock_fields(clock, Clock.LAND),
    )
    Party.objects.bulk_create(
        Party(case=case, position=i, name=p.name.strip()[:150], contact=seal(p.contact))
        for i, p in enumerate(named, start=1)
    )
    record(
        MediationEvent,
        action="open",
        actor=actor,
        agency_id=agency.pk,
        to_status=Status.REQUESTED,
        said=_opening_said(ground, source_petition, source_reference, previous),
        note=note.strip(),
        public=False,
        case=case,
    )
    return case


def _serving_mediator(case: MediationCase, mediator: TeamMember | None) -> TeamMember:
    today = timekeeping.today()
    if mediator is None or mediator.team_id != case.team_id or not mediator.serves_on(today):
        raise ValidationError(
            {"mediator": _("Choose a mediator of this team whose term covers today.")}
        )
    return mediator


def _start_clock_fields(day: date) -> dict[str, Any]:
    try:
        clock = start_clock(START_POLICY, day)
    except NoPolicy as exc:
        # The row is data an administrator may have removed: say so, change nothing.
        raise ValidationError(_("No deadline rule applies on this date.")) from exc
    return {"start_due_on": clock.due_on, **clock_fields(clock, Clock.START)}


@transaction.atomic
def case_assign(
    *,
    case: MediationCase,
    actor: Actor,
    mediator: TeamMember | None = None,
    officer: Any = None,
    chosen_by_parties: bool = False,
    note: str = "",
) -> MediationEvent:
    """requested → assigned: the parties' choice or the leader's (Điều 18); a grassroots
    mediation must start within 3 days (Điều 20(2)), a clock from today."""
    spec = MACHINE.check(case, "assign", actor)
    today = timekeeping.today()
    if case.kind == Kind.GRASSROOTS:
        member = _serving_mediator(case, mediator)
        changes: dict[str, Any] = {"mediator": member, **_start_clock_fields(today)}
        name = member.full_name
    else:
        if officer is None or not can(officer, case.agency_id, Action.HANDLE):
            raise ValidationError(
                {"officer": _("Choose an official of the commune's People's Committee.")}
            )
        member = None
        changes = {"officer": officer}
        name = officer.get_full_name() or officer.get_username()
    changes.update(assigned_on=today, chosen_by_parties=chosen_by_parties)
    event = apply_move(
        case,
        spec,
        actor=actor,
        note=note,
        said=(
            said(
                gettext_noop("Assigned to %(name)s; the mediation is to start by %(due)s."),
                name=name,
                due=changes["start_due_on"],
            )
            if "start_due_on" in changes
            else said(gettext_noop("Assigned to %(name)s."), name=name)
        ),
        changes=changes,
    )
    tell_assigned(case, member, officer)
    return event


@transaction.atomic
def case_replace_mediator(
    *, case: MediationCase, actor: Actor, mediator: TeamMember | None, reason: str
) -> MediationEvent:
    """Same status: a conflicted mediator is replaced (Điều 18); before the first
    session the 3-day start counts again from today."""
    spec = MACHINE.check(case, "replace", actor)
    member = _serving_mediator(case, mediator)
    if member.pk == case.mediator_id:
        raise ValidationError({"mediator": _("Choose another mediator than the current one.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mediator is replaced.")})
    changes: dict[str, Any] = {"mediator": member}
    if case.status == Status.ASSIGNED:
        changes.update(assigned_on=timekeeping.today(), **_start_clock_fields(timekeeping.today()))
    old = case.mediator.full_name if case.mediator else "—"
    event = apply_move(
        case,
        spec,
        actor=actor,
        note=reason,
        said=said(
            gettext_noop("Mediator replaced: %(old)s by %(new)s."), old=old, new=member.full_name
        ),
        changes=changes,
    )
    tell_assigned(case, member, None)
    return event
