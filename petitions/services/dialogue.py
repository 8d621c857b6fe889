"""Verification and dialogue on a first-round complaint (Law on Complaints arts. 29–30):
the lead assigns a verification with a due date, the verifier reports whether the facts
differ from the complainant's request, and when they do the lead schedules a dialogue
and records its minutes. Each is a move of the petition's machine (one event on the
timeline, said as data); `Petition.dialogue_stage` follows them so that the resolve
move's guard knows, without a query, whether the law still asks for the dialogue."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.scope import Action, can
from casework import timekeeping
from casework.actors import Actor
from casework.events import said
from notifications.services import notify

from ..models import (
    ABSENCE_RULE,
    MACHINE,
    Dialogue,
    DialogueStage,
    Petition,
    PetitionEvent,
    Verification,
)
from ..selectors import petitioner_email
from .door import account_of, apply_move

ATTENDED, POSTPONED, ABSENT = "attended", "postponed", "absent"
ATTENDANCE = (ATTENDED, POSTPONED, ABSENT)


def _required(**values: str) -> None:
    missing = {name: _("This field is required.") for name, value in values.items() if not value}
    if missing:
        raise ValidationError(missing)


@transaction.atomic
def verification_assign(
    *, petition: Petition, actor: Actor, verifier: User, due_on: date, scope: str = ""
) -> PetitionEvent:
    """accepted → accepted (xác minh): the lead assigns the verification, due on a date."""
    spec = MACHINE.check(petition, "verify", actor)
    today = timekeeping.today()
    if not can(verifier, petition.handling_agency_id, Action.HANDLE):
        raise ValidationError({"verifier": _("Choose an official of the resolving agency.")})
    if due_on < today:
        raise ValidationError({"due_on": _("The report cannot be due in the past.")})
    timekeeping.check_plausible(due_on=due_on)
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Verification assigned to %(verifier)s; report due by %(due)s."),
            verifier=verifier.get_full_name() or verifier.username,
            due=due_on,
        ),
        note=scope.strip(),
        public=False,
        changes={"dialogue_stage": DialogueStage.VERIFYING},
    )
    Verification.objects.create(
        petition=petition,
        verifier=verifier,
        due_on=due_on,
        scope=scope.strip(),
        assigned_by=account_of(actor),
        assigned_on=today,
    )
    return event


@transaction.atomic
def verification_report(
    *, petition: Petition, actor: Actor, report: str, differs: bool
) -> PetitionEvent:
    """accepted → accepted: the verification report; whether the result differs from the
    request decides whether a dialogue is required."""
    spec = MACHINE.check(petition, "verify_report", actor)
    _required(report=report.strip())
    stage = DialogueStage.DIFFERS if differs else DialogueStage.MATCHES
    message = (
        gettext_noop(
            "Verification reported: the result differs from the complainant's request; "
            "a dialogue is required."
        )
        if differs
        else gettext_noop(
            "Verification reported: the result agrees with the complainant's request."
        )
    )
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(message),
        note=report.strip(),
        public=False,
        changes={"dialogue_stage": stage},
    )
    Verification.objects.filter(petition=petition, reported_on__isnull=True).update(
        report=report.strip(),
        differs_from_request=differs,
        reported_on=timekeeping.today(),
        reported_by=account_of(actor),
    )
    return event


@transaction.atomic
def dialogue_schedule(
    *,
    petition: Petition,
    actor: Actor,
    starts_at: datetime,
    place: str,
    participants: str,
    note: str = "",
) -> PetitionEvent:
    """accepted → accepted (đối thoại): time, place and participants; the complainant is
    told by e-mail when they gave one."""
    spec = MACHINE.check(petition, "dialogue", actor)
    _required(place=place.strip(), participants=participants.strip())
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if timezone.localdate(starts_at) < timekeeping.today():
        raise ValidationError({"starts_at": _("A dialogue cannot be scheduled in the past.")})
    timekeeping.check_plausible(starts_at=timezone.localdate(starts_at))
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Dialogue with the complainant scheduled on %(when)s at %(place)s."),
            when=starts_at,
            place=place.strip(),
        ),
        note=note.strip(),
        changes={"dialogue_stage": DialogueStage.SCHEDULED},
    )
    dialogue = Dialogue.objects.create(
        petition=petition,
        starts_at=starts_at,
        place=place.strip(),
        participants=participants.strip(),
        scheduled_by=account_of(actor),
    )
    timekeeping.tell(lambda: _invite(petition, dialogue))
    return event


def _invite(petition: Petition, dialogue: Dialogue) -> None:
    """The complainant's invitation, in the change's transaction (the outbox's unique key
    makes a retry send nothing twice)."""
    if not petition.has_email:
        return
    notify(
        key=f"petition:{petition.pk}:dialogue:{dialogue.pk}:citizen",
        kind="petition.dialogue",
        template="petitions/dialogue_invitation",
        context={
            "reference": petition.reference,
            "subject": petition.subject,
            "agency": petition.handling_agency.name,
            "when": formats.date_format(
                timezone.localtime(dialogue.starts_at), "SHORT_DATETIME_FORMAT"
            ),
            "place": dialogue.place,
        },
        email=petitioner_email(petition),
        channels=("email",),
    )


@transaction.atomic
def dialogue_record(
    *,
    petition: Petition,
    actor: Actor,
    attendance: str,
    complainant_said: str = "",
    respondent_said: str = "",
    agreed: str = "",
    absence_reason: str = "",
) -> PetitionEvent:
    """accepted → accepted: the dialogue's minutes — what each side said and what was
    agreed — or the complainant's absence (with a valid reason: postponed)."""
    spec = MACHINE.check(petition, "dialogue_minutes", actor)
    if attendance not in ATTENDANCE:
        raise ValidationError({"attendance": _("Say whether the complainant attended.")})
    dialogue = (
        Dialogue.objects.select_for_update()
        .filter(petition=petition, status=Dialogue.Status.SCHEDULED)
        .order_by("-starts_at", "-id")
        .first()
    )
    if dialogue is None:
        raise ValidationError(_("No dialogue is scheduled."))
    if attendance == ATTENDED:
        _required(
            complainant_said=complainant_said.strip(),
            respondent_said=respondent_said.strip(),
            agreed=agreed.strip(),
        )
        status, stage = Dialogue.Status.HELD, DialogueStage.HELD
        message = gettext_noop("Dialogue held; the minutes were recorded.")
    elif attendance == POSTPONED:
        _required(absence_reason=absence_reason.strip())
        # A valid reason: the dialogue is owed again.
        status, stage = Dialogue.Status.POSTPONED, DialogueStage.DIFFERS
        message = gettext_noop(
            "The complainant could not attend for a valid reason; the dialogue must be "
            "scheduled again."
        )
    else:
        status, stage = Dialogue.Status.ABSENT, DialogueStage.ABSENT
        dialogue.status = status
        message = (
            gettext_noop(
                "The complainant did not attend the dialogue without a valid reason; "
                "the resolution goes on (%(basis)s)."
            )
            if dialogue.absence_lets_resolution_go_on
            else gettext_noop(
                "The complainant did not attend the dialogue without a valid reason; "
                "it must be scheduled again (%(basis)s applies only from 01/07/2026)."
            )
        )
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(message, basis=ABSENCE_RULE.legal_basis),
        note=agreed.strip() or absence_reason.strip(),
        changes={"dialogue_stage": stage},
    )
    Dialogue.objects.filter(pk=dialogue.pk).update(
        status=status,
        complainant_said=complainant_said.strip(),
        respondent_said=respondent_said.strip(),
        agreed=agreed.strip(),
        absence_reason=absence_reason.strip(),
        recorded_on=timekeeping.today(),
        recorded_by=account_of(actor),
    )
    return event
