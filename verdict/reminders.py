"""The one reminder a citizen gets to give their opinion on a resolved case.

A citizen who left an e-mail and has not answered is asked again once,
`VERDICT_REMINDER_DAYS` after the resolution — never more. Resolved cases are enrolled
(one `AskReminder` row each, unique per petition, so a case reopened and resolved
again is not asked twice), then the core's sweep (`casework.reminders.Sweep`) claims
the due rows a batch at a time, moving their `next_reminder_on`: two beats or two
workers never send the same reminder, and the outbox key is unique besides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from agencies.clocks import ReminderStep
from casework.reminders import Sweep
from notifications.services import NoticeRequest, notify_many
from petitions.models import Petition, Status
from petitions.selectors import petitioner_email

from .links import answer_link
from .models import AskReminder, CitizenAnswer

ASK = "ask"
ENROL_BATCH = 500


@dataclass(frozen=True)
class AskSweep(Sweep):
    """The core's sweep with one step (ask), sent to the citizen's address instead of
    to officials."""

    def step_for(self, case: Any, today: date) -> ReminderStep | None:
        petition = case.petition
        if petition.status != Status.RESOLVED or case.remind_on > today:
            return None
        answered = CitizenAnswer.objects.filter(
            petition_id=petition.pk, resolved_on=petition.resolved_on
        ).exists()
        return None if answered else ReminderStep(ASK, None)

    def notify(self, case: Any, stage: str) -> int:
        sent = notify_many(self.notices(case, stage))
        self.notified([case])
        return len(sent)

    def notices(self, case: Any, stage: str) -> list[NoticeRequest]:
        return [
            NoticeRequest(
                key=self.key.format(case=case, stage=stage),
                kind="verdict.ask",
                template=self.template,
                context=self.context(case),
                email=petitioner_email(case.petition),
                channels=("email",),
            )
        ]

    def notified(self, cases: Sequence[Any]) -> None:
        # Asked, whether or not an e-mail went: the citizen is never asked again.
        AskReminder.objects.filter(pk__in=[case.pk for case in cases]).update(sent=True)


def _context(reminder: AskReminder) -> dict[str, Any]:
    petition = reminder.petition
    # Reference, subject and the agency's result: nothing about the petitioner.
    return {
        "reference": petition.reference,
        "subject": petition.subject,
        "agency": petition.handling_agency.name,
        "outcome": petition.get_outcome_display() if petition.outcome else "",
        "resolved_on": petition.resolved_on,
        "answer_url": settings.SITE_URL + answer_link(petition),
        "track_url": settings.SITE_URL + reverse("petitions:track"),
    }


SWEEP = AskSweep(
    model=AskReminder,
    prefix="ask",
    running=Q(petition__status=Status.RESOLVED),
    template="verdict/citizen_ask",
    key="verdict:{case.petition_id}:{stage}",
    context=_context,
    recipients=lambda case, stage: [],
    select_related=("petition", "petition__handling_agency"),
)


def enrol() -> int:
    """An AskReminder for every resolved petition with an e-mail that has none yet, for
    the day VERDICT_REMINDER_DAYS after its resolution."""
    days = settings.VERDICT_REMINDER_DAYS
    enrolled = 0
    while True:
        rows = list(
            Petition.objects.filter(
                status=Status.RESOLVED,
                has_email=True,
                resolved_on__isnull=False,
                verdict_reminder__isnull=True,
            )
            .order_by("pk")
            .values_list("pk", "resolved_on")[:ENROL_BATCH]
        )
        if not rows:
            return enrolled
        created = AskReminder.objects.bulk_create(
            [
                AskReminder(petition_id=pk, remind_on=on, next_reminder_on=on)
                for pk, resolved_on in rows
                if resolved_on is not None
                for on in (resolved_on + timedelta(days=days),)
            ],
            ignore_conflicts=True,
        )
        enrolled += len(created)
        if len(rows) < ENROL_BATCH:
            return enrolled


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Enrol the newly resolved cases, then send every reminder whose day has come."""
    enrol()
    return SWEEP.remind_due(today=today, limit=limit)
