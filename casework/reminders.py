"""Deadline reminders for every case machine: one notice per clock and phase, never
twice.

Each case with a running clock stores `next_reminder_on`, the day the clock next has
something to say. The sweep claims one due case at a time with a guarded UPDATE of
that column (healthchecks' sendalerts): two beats or many workers never claim the same
step, and the notices are written in the claim's transaction under a unique key, so a
killed worker leaves either both or neither. Each machine's index on
(`next_reminder_on`, id) is partial (NULL means nothing left to say), so a claim reads
one index entry however many closed cases there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from agencies.clocks import ReminderStep, reminder_step
from notifications.services import notify


@dataclass(frozen=True)
class Sweep:
    """The reminder sweep of one kind of clock.

    `prefix` names the clock's columns (`<prefix>_due_on`, `_due_soon_on`,
    `_long_overdue_on`); `running` selects the cases whose clock runs. A step's notice
    is the sweep's to send (`notify`, by `send_reminder`): each machine says only its
    `template`, the step's `key` (a `str.format` pattern over `case` and `stage` that
    names the case, due date and stage), what the notice reads (`context`) and who
    hears about it (`recipients`).
    """

    model: type[models.Model]
    prefix: str
    running: models.Q
    template: str
    key: str
    context: Callable[[Any], dict[str, Any]]
    recipients: Callable[[Any, str], list[Any]]
    select_related: tuple[str, ...] = ()

    def notify(self, case: Any, stage: str) -> int:
        """The step's notice to each of its recipients; returns the notices written."""
        return send_reminder(
            case,
            stage,
            self.context(case),
            key=self.key.format(case=case, stage=stage),
            template=self.template,
            to=self.recipients(case, stage),
        )

    def step_for(self, case: Any, today: date) -> ReminderStep | None:
        return reminder_step(
            today,
            due_soon_on=getattr(case, f"{self.prefix}_due_soon_on"),
            due_on=getattr(case, f"{self.prefix}_due_on"),
            long_overdue_on=getattr(case, f"{self.prefix}_long_overdue_on"),
        )

    def remind_one(self, *, today: date | None = None) -> bool:
        """Claim the next case whose reminder date has come; False when none is left."""
        today = today or timezone.localdate()
        manager = self.model._default_manager
        candidate = (
            manager.filter(self.running, next_reminder_on__lte=today)
            .order_by("next_reminder_on", "pk")
            .values_list("pk", "next_reminder_on")
            .first()
        )
        if candidate is None:
            return False
        pk, claimed_on = candidate
        with transaction.atomic():
            case = manager.select_related(*self.select_related).get(pk=pk)
            step = self.step_for(case, today)
            next_on = step.next_on if step else None
            soon = getattr(case, f"{self.prefix}_due_soon_on")
            if step is None and soon and soon > today:
                next_on = soon  # not due yet (a clock moved under us)
            # The guarded update is the claim: whoever moves the date first sends.
            won = manager.filter(pk=pk, next_reminder_on=claimed_on).update(
                next_reminder_on=next_on
            )
            if won and step is not None:
                self.notify(case, step.stage)
        return True

    def remind_due(self, *, today: date | None = None, limit: int = 10_000) -> int:
        """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
        handled = 0
        while handled < limit and self.remind_one(today=today):
            handled += 1
        return handled


def unique_people(people: Iterable[Any]) -> list[Any]:
    """Each person once, in the order first named (a lead who is also a handler)."""
    unique: dict[int, Any] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def send_reminder(
    case: Any,
    stage: str,
    context: dict[str, Any],
    *,
    key: str,
    template: str,
    to: Iterable[Any],
) -> int:
    """One step's notice to each person `to`, linking to the case's page; the template
    reads `stage` besides `context`. `key` names the step (case, due date, stage); the
    outbox adds the person, so a step is never sent twice. Returns the notices written."""
    return notify_people(
        case,
        to,
        key=key,
        kind=f"reminder.{stage}",
        template=template,
        context={**context, "stage": stage},
    )


# Not only the sweep's: any notice about a case to the officials on it (an agency's
# answer, to the council's staff) goes this way.
def notify_people(
    case: Any,
    people: Iterable[Any],
    *,
    key: str,
    kind: str,
    template: str,
    context: dict[str, Any],
) -> int:
    """One notice to each of `people`, linking to the case's page. `key` names the
    event; the outbox adds the person, so each hears of it once. Returns the notices
    written."""
    # Site-relative: the bell opens it on whatever host serves the portal; e-mails put
    # SITE_URL in front when they are rendered (notifications.rendering.absolute_url).
    url = case.get_absolute_url()
    sent = 0
    for user in people:
        sent += len(
            notify(key=key, kind=kind, template=template, context=context, user=user, url=url)
        )
    return sent
