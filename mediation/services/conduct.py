"""The mediation itself: its sessions and how it concludes (Điều 21–24, 27)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from casework import timekeeping
from casework.actors import Actor
from casework.events import said

from ..machine import MACHINE
from ..models import (
    Kind,
    MediationCase,
    MediationEvent,
    Obligation,
    Outcome,
    Party,
    Session,
    Settlement,
)
from .door import apply_move, clock_fields

PUBLIC = gettext_lazy("in public")
PRIVATE = gettext_lazy("in private")


@transaction.atomic
def case_record_session(
    *,
    case: MediationCase,
    actor: Actor,
    held_on: date,
    place: str,
    is_public: bool = False,
    notes: str = "",
) -> MediationEvent:
    """assigned → in progress (or stays in progress): one session of the register;
    the first stops the 3-day start clock."""
    spec = MACHINE.check(case, "session", actor)
    timekeeping.check_plausible(held_on=held_on)
    if held_on > timekeeping.today():
        raise ValidationError({"held_on": _("A session cannot be recorded ahead of its date.")})
    if case.assigned_on and held_on < case.assigned_on:
        raise ValidationError({"held_on": _("The session cannot be before the assignment.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the session was held.")})
    changes: dict[str, Any] = {}
    if case.first_session_on is None:
        changes["first_session_on"] = held_on
        changes["days_to_first_session"] = (held_on - (case.assigned_on or held_on)).days
        if case.kind == Kind.GRASSROOTS:
            changes.update(clock_fields(None, ""))
    Session.objects.create(
        case=case,
        held_on=held_on,
        place=place.strip()[:200],
        is_public=is_public,
        notes=notes.strip(),
        mediator=case.mediator,
    )
    return apply_move(
        case,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Session on %(day)s at %(place)s, %(how)s."),
            day=held_on,
            place=place.strip(),
            how=PUBLIC if is_public else PRIVATE,
        ),
        changes=changes,
    )


def _concluded(outcome: str) -> dict[str, Any]:
    return {"outcome": outcome, "concluded_on": timekeeping.today(), **clock_fields(None, "")}


@dataclass(frozen=True)
class ObligationData:
    """What one party must do under the settlement, and by when."""

    party: Party
    what: str
    due_on: date | None = None


SETTLEMENT_FIELDS = (
    "basis",
    "course",
    "agreement",
    "rights_and_obligations",
    "performance_method",
)


def _settle(
    case: MediationCase,
    texts: dict[str, str],
    obligations: Sequence[ObligationData],
    signed: bool,
) -> Settlement:
    missing = {
        name: _("A written settlement states this (Điều 24).")
        for name in SETTLEMENT_FIELDS
        if not (texts.get(name) or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    given = [o for o in obligations if o.what.strip()]
    if not given:
        raise ValidationError(
            {"obligations": _("Say what at least one party must do, and by when.")}
        )
    if any(o.party.case_id != case.pk for o in given):
        raise ValidationError({"obligations": _("Each obligation names a party of this case.")})
    for o in given:
        timekeeping.check_plausible(due_on=o.due_on)
    settlement = Settlement.objects.create(
        case=case,
        made_on=timekeeping.today(),
        signed=signed,
        **{name: texts[name].strip() for name in SETTLEMENT_FIELDS},
    )
    Obligation.objects.bulk_create(
        Obligation(settlement=settlement, party=o.party, what=o.what.strip(), due_on=o.due_on)
        for o in given
    )
    return settlement


@transaction.atomic
def case_succeed(
    *,
    case: MediationCase,
    actor: Actor,
    note: str = "",
    written: bool = False,
    texts: dict[str, str] | None = None,
    obligations: Sequence[ObligationData] = (),
    signed: bool = False,
) -> MediationEvent:
    """in progress → successful (hòa giải thành, Điều 24), with or without a written
    settlement stating what each party must do by when."""
    spec = MACHINE.check(case, "succeed", actor)
    if written:
        _settle(case, texts or {}, obligations, signed)
        sentence = said(gettext_noop("Successful: the parties signed a written settlement."))
    else:
        sentence = said(gettext_noop("Successful: the parties reached an agreement."))
    return apply_move(
        case, spec, actor=actor, note=note, said=sentence, changes=_concluded(Outcome.SUCCESSFUL)
    )


@transaction.atomic
def case_fail(*, case: MediationCase, actor: Actor, note: str = "") -> MediationEvent:
    """in progress → unsuccessful (hòa giải không thành, Điều 27): the parties may ask
    to continue or go to the competent authority."""
    spec = MACHINE.check(case, "fail", actor)
    return apply_move(
        case,
        spec,
        actor=actor,
        note=note,
        said=said(gettext_noop("Unsuccessful: no agreement was reached.")),
        changes=_concluded(Outcome.UNSUCCESSFUL),
    )


@transaction.atomic
def case_end(
    *, case: MediationCase, actor: Actor, party: Party | None, reason: str = ""
) -> MediationEvent:
    """assigned / in progress → ended: a party asked to end it (Điều 17, 23(2))."""
    spec = MACHINE.check(case, "end", actor)
    if party is None or party.case_id != case.pk:
        raise ValidationError({"party": _("Choose the party who asked to end it.")})
    return apply_move(
        case,
        spec,
        actor=actor,
        note=reason,
        said=said(gettext_noop("Ended at the request of %(party)s."), party=party.name),
        changes=_concluded(Outcome.ENDED),
    )


@transaction.atomic
def case_refuse(*, case: MediationCase, actor: Actor, reason: str) -> MediationEvent:
    """requested / assigned → refused: the parties do not accept mediation (Điều 17)."""
    spec = MACHINE.check(case, "refuse", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say who refused and why.")})
    return apply_move(
        case,
        spec,
        actor=actor,
        note=reason,
        said=said(gettext_noop("The parties refused mediation.")),
        changes=_concluded(Outcome.REFUSED),
    )


@transaction.atomic
def case_resume(*, case: MediationCase, actor: Actor, note: str = "") -> MediationEvent:
    """unsuccessful / not performed → in progress: mediated again at the parties' request
    (Điều 27) or after a settlement was not performed; its earlier conclusion no longer
    counts until it concludes again."""
    spec = MACHINE.check(case, "resume", actor)
    return apply_move(
        case,
        spec,
        actor=actor,
        note=note,
        said=said(gettext_noop("Mediated again at the parties' request.")),
        changes={"outcome": "", "concluded_on": None, "performance": "", "followed_up_on": None},
    )
