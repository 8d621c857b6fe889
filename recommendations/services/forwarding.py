"""Forwarding an item to the agencies that answer it, each on its own answer clock,
and the item's combined outcome of its forwardings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import Clock, policy_in_force, start_clock
from agencies.models import Agency
from agencies.workdays import DueDate, long_overdue_after, subtract_working_days
from casework import timekeeping
from casework.actors import Actor
from casework.events import said

from ..models import CATEGORY_RANK, RECOMMENDATION_MACHINE, Forwarding, Recommendation
from .recording import account, not_in_future

ANSWER_CLOCK = "voter.answer"
# Agencies that forward rather than answer.
COUNCIL_KINDS = frozenset({Agency.Kind.PEOPLES_COUNCIL, Agency.Kind.COUNCIL_STANDING})


# --- forwarding ---------------------------------------------------------------------------


def council_set_clock(start: date, due_on: date) -> Clock:
    """A clock whose due date the council chose (when sending an answer back); "due
    soon" starts as many working days before it as the answer policy in force says."""
    due = DueDate(start=start, days=(due_on - start).days, working=False, due=due_on)
    due_soon_days = policy_in_force(ANSWER_CLOCK, start).due_soon_days
    return Clock(
        ANSWER_CLOCK, due, subtract_working_days(due_on, due_soon_days), long_overdue_after(due)
    )


def answer_clock_fields(clock: Clock, *, set_by_council: bool = False) -> dict[str, Any]:
    # A new answer clock starts its reminders afresh (recommendations.reminders).
    fields = {**clock.as_fields("answer"), "next_reminder_on": clock.due_soon_on}
    if set_by_council:
        fields["answer_rule"]["set_by_council"] = True
    return fields


def _check_agencies(
    recommendation: Recommendation, agencies: list[Agency], dispatch_number: str
) -> None:
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    if not dispatch_number:
        raise ValidationError({"dispatch_number": _("Enter the dispatch number.")})
    province_id = recommendation.session.council.province_id
    for agency in agencies:
        if agency.kind in COUNCIL_KINDS or not agency.is_active:
            message = _("%(agency)s does not answer recommendations.")
            raise ValidationError({"agencies": message % {"agency": agency.name}})
        if agency.province_id != province_id:
            message = _("%(agency)s is not in the council's province.")
            raise ValidationError({"agencies": message % {"agency": agency.name}})
    already = set(
        Forwarding.objects.filter(recommendation=recommendation, agency__in=agencies).values_list(
            "agency__name", flat=True
        )
    )
    if already:
        raise ValidationError(
            {
                "agencies": _("Already forwarded to %(agencies)s.")
                % {"agencies": ", ".join(sorted(already))}
            }
        )


@transaction.atomic
def recommendation_forward(
    *,
    actor: Actor,
    recommendation: Recommendation,
    agencies: Iterable[Agency],
    dispatch_number: str,
    dispatched_on: date | None = None,
) -> list[Forwarding]:
    """consolidated → forwarded (chuyển): to one or more agencies, each on its own answer
    clock (`voter.answer`) from the dispatch date; writes one `forward` event.

    A forwarded item may be forwarded to further agencies the same way.
    """
    RECOMMENDATION_MACHINE.check(recommendation, "forward", actor)
    agencies = list(dict.fromkeys(agencies))
    dispatched_on = dispatched_on or timekeeping.today()
    dispatch_number = dispatch_number.strip()
    _check_agencies(recommendation, agencies, dispatch_number)
    not_in_future(dispatched_on, "dispatched_on")
    if dispatched_on < recommendation.first_raised_on:
        raise ValidationError(
            {"dispatched_on": _("The dispatch cannot be dated before the voter meeting.")}
        )
    clock = start_clock(ANSWER_CLOCK, dispatched_on)
    RECOMMENDATION_MACHINE.apply(
        recommendation,
        move="forward",
        actor=actor,
        public=True,
        said=said(
            gettext_noop(
                "Forwarded to %(agencies)s (dispatch %(number)s of %(date)s); answer due %(due)s."
            ),
            agencies=", ".join(a.name for a in agencies),
            number=dispatch_number,
            date=dispatched_on,
            due=clock.due_on,
        ),
        checked=True,
    )
    forwardings = [
        Forwarding.objects.create(
            recommendation=recommendation,
            agency=agency,
            dispatch_number=dispatch_number,
            dispatched_on=dispatched_on,
            created_by=account(actor),
            **answer_clock_fields(clock),
        )
        for agency in agencies
    ]
    refresh_outcome(recommendation)
    return forwardings


@transaction.atomic
def recommendations_forward(
    *,
    actor: Actor,
    recommendations: Sequence[Recommendation],
    agencies: Iterable[Agency],
    dispatch_number: str,
    dispatched_on: date | None = None,
) -> int:
    """Forward many items under one dispatch: each its own move and event; all or none."""
    if not recommendations:
        raise ValidationError({"recommendations": _("Choose at least one recommendation.")})
    agencies = list(agencies)
    for recommendation in recommendations:
        recommendation_forward(
            actor=actor,
            recommendation=recommendation,
            agencies=agencies,
            dispatch_number=dispatch_number,
            dispatched_on=dispatched_on,
        )
    return len(recommendations)


def refresh_outcome(recommendation: Recommendation) -> None:
    """Combine the forwardings' answers and results onto the recommendation.

    It is answered when every agency has answered (on time if all did), and its result
    is the least advanced of the accepted results once every agency has one. The row's
    `updated_at` stays: this is a figure kept in step, not a change of the item.
    """
    # Lock first, so that two agencies answering at once both end up counted.
    list(Recommendation.objects.select_for_update().filter(pk=recommendation.pk).values_list("pk"))
    rows = list(
        Forwarding.objects.filter(recommendation_id=recommendation.pk).values_list(
            "dispatched_on", "answered_on", "answered_on_time", "result", "result_on"
        )
    )
    answered = bool(rows) and all(r[1] for r in rows)
    resulted = bool(rows) and all(r[3] for r in rows)
    values: dict[str, Any] = {
        "forwarded_on": min((r[0] for r in rows), default=None),
        "answered_on": max((r[1] for r in rows if r[1]), default=None) if answered else None,
        "answered_on_time": all(r[2] for r in rows) if answered else None,
        "result": min((r[3] for r in rows), key=CATEGORY_RANK.__getitem__) if resulted else "",
        "result_on": max((r[4] for r in rows if r[4]), default=None) if resulted else None,
    }
    Recommendation.objects.filter(pk=recommendation.pk).update(**values)
    for name, value in values.items():
        setattr(recommendation, name, value)
