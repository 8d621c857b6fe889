"""Every write to the reception register: one function per change, each through the one
door (`models.MACHINE`: the moves' table and guards, the actor's role, the guarded
update and exactly one event with the system's sentence as data).

A visit that takes a written petition, or minutes a verbal one, opens the petition
through the petitions intake service (channel "in person", at the visit's agency) and
starts the answer clock (Luật Tiếp công dân art. 28: 10 working days, policy
`reception.answer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import NoPolicy, start_clock
from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can
from casework import timekeeping
from casework.actors import Actor, user_of
from casework.errors import NotPermitted
from casework.events import Said, record, said
from casework.search import search_key
from casework.uploads import CheckedFile
from petitions.identity import Identity
from petitions.models import Channel, Kind
from petitions.services import petition_submit

from .identity import Visitor, id_digest, seal, unseal
from .models import (
    ANSWER_POLICY,
    MACHINE,
    MAX_REPRESENTATIVES,
    REFUSAL_BASIS,
    SEALED,
    AnswerForm,
    Classification,
    Outcome,
    ReceiverKind,
    RefusalReason,
    Status,
    Visit,
    VisitEvent,
    VisitIdentityReveal,
    VisitSequence,
)
from .selectors import may_reveal

# The petition kind a classification opens by default (the desk may choose another for
# several contents or an ineligible visit).
KIND_OF: dict[str, str] = {
    Classification.COMPLAINT: Kind.COMPLAINT,
    Classification.DENUNCIATION: Kind.DENUNCIATION,
    Classification.RECOMMENDATION: Kind.RECOMMENDATION,
}


@dataclass
class VisitDetails:
    """What the desk writes in the register for one visit."""

    agency: Agency
    visited_on: date
    place: str
    receiver_kind: str
    receiver_name: str
    visitor: Visitor
    field: str
    classification: str
    subject: str
    content: str
    leader_in_person: bool = False
    is_delegation: bool = False
    people_count: int = 1
    commune: AdministrativeUnit | None = None
    booking_code: str = ""


def _account(actor: Actor) -> User:
    user = user_of(actor)
    if user is None or not user.is_authenticated:
        raise NotPermitted()
    return cast(User, user)


def _next_reference(year: int) -> str:
    VisitSequence.objects.get_or_create(year=year)
    # The row lock serialises concurrent registrations; a number is never reused.
    seq = VisitSequence.objects.select_for_update().get(year=year)
    seq.last = F("last") + 1
    seq.save(update_fields=["last"])
    seq.refresh_from_db(fields=["last"])
    return f"TCD-{year}-{seq.last:06d}"


def _search_text(visit: Visit, visitor: Visitor) -> str:
    words = [visit.reference, visit.subject, visit.content[:2000], visit.booking_code]
    # A sealed visitor's name never reaches the search column ("who came about it?").
    if not visit.is_sealed:
        words.append(visitor.name)
    if visit.commune is not None:
        words.append(visit.commune.name)
    return search_key(" ".join(words))


def _check_details(details: VisitDetails) -> None:
    errors: dict[str, str] = {}
    today = timekeeping.today()
    if details.visited_on > today:
        errors["visited_on"] = _("The date of the visit cannot be in the future.")
    try:
        timekeeping.check_plausible(visited_on=details.visited_on)
    except ValidationError as exc:
        errors.update({name: msgs[0] for name, msgs in exc.message_dict.items()})
    if not details.visitor.name.strip():
        errors["name"] = _("Write the citizen's full name.")
    if details.is_delegation:
        if details.people_count < 5:
            errors["people_count"] = _("A delegation has at least five people.")
        if len(details.visitor.representatives) > MAX_REPRESENTATIVES:
            errors["representatives"] = _("A delegation names at most five representatives.")
    elif details.people_count != 1:
        errors["people_count"] = _("One citizen: tick “delegation” for a group.")
    if details.receiver_kind == ReceiverKind.OFFICIAL and details.leader_in_person:
        errors["leader_in_person"] = _("Only a head of the agency receives in person.")
    if not details.agency.is_active:
        errors["agency"] = _("This agency no longer receives citizens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_register(*, actor: Actor, details: VisitDetails) -> Visit:
    """— → registered: one row of the register; recognises a returning citizen later."""
    if not can(actor, details.agency.pk, Action.RECEPTION):
        raise NotPermitted()
    _check_details(details)
    visitor = details.visitor
    visit = Visit(
        reference=_next_reference(details.visited_on.year),
        agency=details.agency,
        visited_on=details.visited_on,
        place=details.place.strip(),
        receiver_kind=details.receiver_kind,
        receiver_name=details.receiver_name.strip(),
        leader_in_person=details.leader_in_person,
        is_delegation=details.is_delegation,
        people_count=details.people_count,
        representatives_count=len(visitor.representatives),
        identity=seal(visitor),
        identity_digest=id_digest(visitor.id_number),
        has_email=bool(visitor.email),
        commune=details.commune,
        field=details.field,
        classification=details.classification,
        subject=details.subject.strip(),
        content=details.content.strip(),
        booking_code=details.booking_code.strip().upper(),
        status=Status.REGISTERED,
    )
    visit.display_name = "" if visit.is_sealed else visitor.name.strip()[:200]
    visit.search_text = _search_text(visit, visitor)
    visit.save()
    record(
        VisitEvent,
        action="register",
        actor=actor,
        agency_id=visit.agency_id,
        to_status=Status.REGISTERED,
        said=_registered_said(visit),
        visit=visit,
    )
    return visit


def _registered_said(visit: Visit) -> Said:
    if visit.is_delegation:
        return said(
            gettext_noop("Delegation of %(people)d people received; %(reps)d representative(s)."),
            people=visit.people_count,
            reps=visit.representatives_count,
        )
    return said(gettext_noop("Citizen received at the reception desk."))


# --- the outcome at the desk ---------------------------------------------------------------


def _answer_clock(visit: Visit) -> dict[str, Any]:
    try:
        clock = start_clock(ANSWER_POLICY, visit.visited_on)
    except NoPolicy as exc:
        raise ValidationError(
            _("No answer deadline applies on the date of this visit; check the date.")
        ) from exc
    return {**clock.as_fields("answer"), "next_reminder_on": clock.due_soon_on}


def _take(
    *,
    visit: Visit,
    actor: Actor,
    name: str,
    outcome: str,
    kind: str,
    documents: str,
    note: str,
    files: list[CheckedFile] | None,
    message: str,
) -> VisitEvent:
    MACHINE.check(visit, name, actor)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose the kind of petition.")})
    visitor = unseal(visit.identity)
    submitted = petition_submit(
        actor=actor,
        kind=kind,
        subject=visit.subject,
        content=visit.content,
        field=visit.field,
        handling_agency=visit.agency,
        identity=Identity(
            name=visitor.name,
            phone=visitor.phone,
            email=visitor.email,
            address=visitor.address,
            id_number=visitor.id_number,
            co_signers=[r.name for r in visitor.representatives if r.name],
        ),
        channel=Channel.IN_PERSON,
        commune=visit.commune,
        co_signers_count=max(visit.people_count - 1, 0),
        received_on=visit.visited_on,
        files=files,
        visit_reference=visit.reference,
    )
    petition = submitted.petition
    event = MACHINE.apply(
        visit,
        move=name,
        actor=actor,
        said=said(message, ref=petition.reference),
        note=note.strip(),
        checked=True,
        changes={
            "outcome": outcome,
            "petition": petition,
            "documents": documents.strip(),
            **_answer_clock(visit),
        },
    )
    return cast(VisitEvent, event)


@transaction.atomic
def visit_take_petition(
    *,
    visit: Visit,
    actor: Actor,
    kind: str = "",
    documents: str = "",
    note: str = "",
    files: list[CheckedFile] | None = None,
) -> VisitEvent:
    """registered → awaiting: the written petition opens a petition; the answer clock starts."""
    return _take(
        visit=visit,
        actor=actor,
        name="take_petition",
        outcome=Outcome.PETITION,
        kind=kind or KIND_OF.get(visit.classification, ""),
        documents=documents,
        note=note,
        files=files,
        message=gettext_noop("Written petition received; it was recorded as %(ref)s."),
    )


@transaction.atomic
def visit_take_minutes(
    *, visit: Visit, actor: Actor, kind: str = "", documents: str = "", note: str = ""
) -> VisitEvent:
    """registered → awaiting: the verbal petition minuted opens a petition; the clock starts."""
    return _take(
        visit=visit,
        actor=actor,
        name="take_minutes",
        outcome=Outcome.MINUTES,
        kind=kind or KIND_OF.get(visit.classification, ""),
        documents=documents,
        note=note,
        files=None,
        message=gettext_noop(
            "Verbal petition recorded as written minutes; it was recorded as %(ref)s."
        ),
    )


@transaction.atomic
def visit_guide(*, visit: Visit, actor: Actor, guided_to: str, note: str = "") -> VisitEvent:
    """registered → guided: the citizen is told which body is competent."""
    spec = MACHINE.check(visit, "guide", actor)
    if not guided_to.strip():
        raise ValidationError({"guided_to": _("Say which body the citizen should go to.")})
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit,
            move=spec.name,
            actor=actor,
            said=said(gettext_noop("Guided to %(body)s."), body=guided_to.strip()),
            note=note.strip(),
            checked=True,
            changes={"outcome": Outcome.GUIDED, "guided_to": guided_to.strip()[:300]},
        ),
    )


@transaction.atomic
def visit_explain(*, visit: Visit, actor: Actor, note: str) -> VisitEvent:
    """registered → explained: the matter was explained to the citizen and closed."""
    spec = MACHINE.check(visit, "explain", actor)
    if not note.strip():
        raise ValidationError({"note": _("Write what was explained to the citizen.")})
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit,
            move=spec.name,
            actor=actor,
            said=said(gettext_noop("Explained to the citizen; the visit is closed.")),
            note=note.strip(),
            checked=True,
            changes={"outcome": Outcome.EXPLAINED},
        ),
    )


@transaction.atomic
def visit_refuse(*, visit: Visit, actor: Actor, reason: str, note: str = "") -> VisitEvent:
    """registered → refused, with a reason of Luật Tiếp công dân art. 9."""
    spec = MACHINE.check(visit, "refuse", actor)
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": _("Choose a legal reason from the list.")})
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit,
            move=spec.name,
            actor=actor,
            said=said(
                gettext_noop("Refused: %(reason)s (%(basis)s)."),
                reason=RefusalReason(reason).label,
                basis=REFUSAL_BASIS[reason],
            ),
            note=note.strip(),
            checked=True,
            changes={"outcome": Outcome.REFUSED, "refusal_reason": reason},
        ),
    )


@transaction.atomic
def visit_answer(*, visit: Visit, actor: Actor, answer_form: str, answer_text: str) -> VisitEvent:
    """awaiting → answered: the answer of art. 28 (accepted, needs verification, not
    accepted, or transferred), given directly or in writing; the clock stops."""
    spec = MACHINE.check(visit, "answer", actor)
    errors = {}
    if answer_form not in AnswerForm.values:
        errors["answer_form"] = _("Say how the answer was given.")
    if not answer_text.strip():
        errors["answer_text"] = _("Write the answer given to the citizen.")
    if errors:
        raise ValidationError(errors)
    today = timekeeping.today()
    on_time = visit.answer_due_on is None or today <= visit.answer_due_on
    message = (
        gettext_noop("Answer given to the citizen within the deadline (%(due)s).")
        if on_time
        else gettext_noop("Answer given to the citizen after the deadline (%(due)s).")
    )
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit,
            move=spec.name,
            actor=actor,
            said=said(message, due=visit.answer_due_on),
            note=answer_text.strip(),
            checked=True,
            changes={
                "answered_on": today,
                "answer_form": answer_form,
                "answer_text": answer_text.strip(),
                "next_reminder_on": None,
            },
        ),
    )


@transaction.atomic
def visit_same_matter(*, visit: Visit, actor: Actor, earlier: Visit) -> VisitEvent:
    """registered → registered: a returning citizen on the same matter; the visit counts
    as a visit (lượt), not a new matter (vụ việc), and follows the earlier petition."""
    spec = MACHINE.check(visit, "same_matter", actor)
    if (
        earlier.pk == visit.pk
        or earlier.agency_id != visit.agency_id
        or not visit.identity_digest
        or earlier.identity_digest != visit.identity_digest
        or earlier.visited_on > visit.visited_on
    ):
        raise ValidationError(
            {"earlier": _("Choose an earlier visit of the same citizen (same ID number).")}
        )
    first = earlier.matter or earlier
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit,
            move=spec.name,
            actor=actor,
            said=said(
                gettext_noop("Returning citizen: the same matter as visit %(ref)s."),
                ref=first.reference,
            ),
            checked=True,
            changes={"matter": first, "petition_id": earlier.petition_id or first.petition_id},
        ),
    )


@transaction.atomic
def visit_add_note(*, visit: Visit, actor: Actor, note: str) -> VisitEvent:
    """An internal note on the visit's timeline; the status stays."""
    spec = MACHINE.check(visit, "note", actor)
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    return cast(
        VisitEvent,
        MACHINE.apply(
            visit, move=spec.name, actor=actor, note=note.strip(), public=False, checked=True
        ),
    )


@transaction.atomic
def visit_reveal_identity(*, visit: Visit, actor: Actor, reason: str) -> Visitor:
    """The sealed visitor's identity for the visit's own officers, with an audit row."""
    if not may_reveal(actor, visit):
        raise NotPermitted()
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you need to see the identity.")})
    VisitIdentityReveal.objects.create(visit=visit, user=_account(actor), reason=reason.strip())
    MACHINE.note(
        visit,
        action="reveal",
        actor=actor,
        said=said(gettext_noop("The sealed identity was viewed.")),
        note=reason.strip(),
    )
    return unseal(visit.identity)


__all__ = [
    "SEALED",
    "VisitDetails",
    "visit_add_note",
    "visit_answer",
    "visit_explain",
    "visit_guide",
    "visit_refuse",
    "visit_register",
    "visit_reveal_identity",
    "visit_same_matter",
    "visit_take_minutes",
    "visit_take_petition",
]
