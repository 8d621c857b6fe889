"""After the mediation: the settlement's follow-up (Điều 25–26), the referral to the
competent authority (a petition opened through the petitions service, or the commune's
land mediation), court recognition, and notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency, Field
from casework import timekeeping
from casework.actors import SYSTEM, Actor
from casework.events import said
from petitions.identity import Identity
from petitions.models import Channel
from petitions.models import Kind as PetitionKind
from petitions.services import petition_submit

from ..machine import MACHINE
from ..models import Ground, Kind, MediationCase, MediationEvent, Performance
from ..parties import PartyData, unseal
from .door import apply_move
from .intake import open_case

# The kinds of petition a failed mediation may become (a denunciation is not a dispute).
REFERRAL_KINDS = (PetitionKind.RECOMMENDATION, PetitionKind.REFLECTION, PetitionKind.COMPLAINT)


def _follow_up(
    case: MediationCase, actor: Actor, name: str, performance: str, note: str, sentence: str
) -> MediationEvent:
    spec = MACHINE.check(case, name, actor)
    return apply_move(
        case,
        spec,
        actor=actor,
        note=note,
        said=said(sentence),
        changes={"performance": performance, "followed_up_on": timekeeping.today()},
    )


@transaction.atomic
def case_performed(*, case: MediationCase, actor: Actor, note: str = "") -> MediationEvent:
    """successful → performed: the mediator saw the settlement carried out (Điều 26)."""
    return _follow_up(
        case,
        actor,
        "performed",
        Performance.PERFORMED,
        note,
        gettext_noop("The parties performed the settlement."),
    )


@transaction.atomic
def case_not_performed(*, case: MediationCase, actor: Actor, note: str = "") -> MediationEvent:
    """successful → not performed: reported to the team leader (Điều 26); it may be
    mediated again or referred."""
    return _follow_up(
        case,
        actor,
        "not_performed",
        Performance.NOT_PERFORMED,
        note,
        gettext_noop("The settlement was not performed."),
    )


def _parties(case: MediationCase) -> list[PartyData]:
    """The parties as they were given, for the case a referral opens (re-encrypted)."""
    found = []
    for party in case.parties.all():
        contact = unseal(party.contact)
        found.append(
            PartyData(
                name=party.name,
                phone=contact.phone,
                address=contact.address,
                id_number=contact.id_number,
            )
        )
    return found


def _open_petition(case: MediationCase, agency: Agency, kind: str) -> Any:
    first = _parties(case)[0]
    others = [p.name for p in _parties(case)[1:]]
    content = _("Referred by mediation %(ref)s, which did not settle the dispute.") % {
        "ref": case.reference
    }
    # The portal files it (SYSTEM): the referring mediator is not an official of the
    # competent agency, and the petition's own handlers take it from there.
    return petition_submit(
        actor=SYSTEM,
        kind=kind,
        subject=case.subject,
        content=f"{case.summary}\n\n{content}\n{', '.join(others)}",
        field=case.field,
        handling_agency=agency,
        identity=Identity(
            name=first.name, phone=first.phone, address=first.address, id_number=first.id_number
        ),
        channel=Channel.FORWARDED,
        commune=case.commune,
    ).petition


@transaction.atomic
def case_refer(
    *,
    case: MediationCase,
    actor: Actor,
    referred_to: str = "",
    petition_agency: Agency | None = None,
    petition_kind: str = PetitionKind.RECOMMENDATION,
    open_land: bool = False,
    note: str = "",
) -> MediationEvent:
    """unsuccessful / not performed → referred to the competent authority (Điều 21, 27):
    optionally a petition opened at `petition_agency` through the petitions service, or
    the commune's compulsory land mediation, each linked to this case."""
    spec = MACHINE.check(case, "refer", actor)
    if petition_agency is not None and open_land:
        raise ValidationError(_("Open either a petition or a land mediation, not both."))
    changes: dict[str, Any] = {}
    if petition_agency is not None:
        if petition_kind not in REFERRAL_KINDS:
            raise ValidationError({"petition_kind": _("Choose the kind of petition.")})
        if not petition_agency.is_active:
            raise ValidationError(
                {"petition_agency": _("This agency no longer receives petitions.")}
            )
        petition = _open_petition(case, petition_agency, petition_kind)
        changes["referred_petition"] = petition
        target = petition_agency.name
        sentence = said(
            gettext_noop("Referred to %(agency)s: petition %(ref)s was opened."),
            agency=target,
            ref=petition.reference,
        )
    elif open_land:
        if case.kind != Kind.GRASSROOTS or case.field != Field.LAND:
            raise ValidationError(
                {
                    "open_land": _(
                        "Only a grassroots mediation of a land dispute goes to the commune's land mediation."
                    )
                }
            )
        land = open_case(
            actor=SYSTEM,
            kind=Kind.LAND,
            ground=Ground.AGENCY_REQUEST,
            field=case.field,
            subject=case.subject,
            summary=case.summary,
            parties=_parties(case),
            commune=case.commune,
            previous=case,
        )
        target = case.agency.name
        sentence = said(
            gettext_noop("Referred to the commune's land mediation %(ref)s."), ref=land.reference
        )
    elif referred_to.strip():
        target = referred_to.strip()
        sentence = said(gettext_noop("Referred to %(agency)s."), agency=target)
    else:
        raise ValidationError(
            {"referred_to": _("Say which authority the parties are referred to.")}
        )
    changes["referred_to"] = target[:300]
    return apply_move(case, spec, actor=actor, note=note, said=sentence, changes=changes)


@transaction.atomic
def case_recognise(
    *, case: MediationCase, actor: Actor, court_decision: str, recognised_on: date | None
) -> MediationEvent:
    """Same status: a court recognised the settlement made out of court (optional)."""
    spec = MACHINE.check(case, "recognise", actor)
    if not court_decision.strip() or recognised_on is None:
        raise ValidationError(
            {"court_decision": _("Give the court's decision number and its date.")}
        )
    timekeeping.check_plausible(recognised_on=recognised_on)
    if recognised_on > timekeeping.today():
        raise ValidationError({"recognised_on": _("The date cannot be in the future.")})
    return apply_move(
        case,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Recognised by the court: decision %(number)s of %(day)s."),
            number=court_decision.strip(),
            day=recognised_on,
        ),
        changes={
            "court_decision": court_decision.strip()[:120],
            "court_recognised_on": recognised_on,
        },
    )


@transaction.atomic
def case_add_note(*, case: MediationCase, actor: Actor, note: str) -> MediationEvent:
    """Same status: an internal note on the case."""
    spec = MACHINE.check(case, "note", actor)
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    return apply_move(case, spec, actor=actor, note=note)
