"""Deadline reminders for every case machine: one notice per clock and phase, never
twice.

Each case with a running clock stores `next_reminder_on`, the day the clock next has
something to say. The sweep claims the due cases a batch at a time and writes the
batch's notices in the claim's transaction, under a unique key each: a killed worker
leaves a whole batch done or none of it, and two beats or many workers never claim
the same step. On PostgreSQL a batch is claimed with `SELECT … FOR UPDATE SKIP
LOCKED` (concurrent sweeps take different rows, and the rows stay locked until the
notices are written); elsewhere (SQLite) each case of the batch is claimed with a
guarded UPDATE of that column (healthchecks' sendalerts). Each machine's index on
(`next_reminder_on`, id) is partial (NULL means nothing left to say), so a claim reads
only the due entries however many closed cases there are.

Within a batch, the recipients' directory reads are memoised (`members`, `monitors`,
`memoised`): after Tết thousands of clocks of a few dozen agencies fall due on one
morning, and each agency's handlers are read once per batch, not once per case.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import connections, models, router, transaction
from django.db.models import Case, DateField, Value, When
from django.utils import timezone

from agencies.clocks import ReminderStep, reminder_step
from agencies.models import Membership
from agencies.selectors import members_with_roles, monitors_of
from notifications.services import NoticeRequest, notify, notify_many

# Cases claimed per transaction: enough that the per-batch queries (claim, update,
# recipients, outbox) cost little per case, few enough that a batch's row locks and
# its notices in memory stay small (~1 s of work).
BATCH_SIZE = 200

T = TypeVar("T")

_batch_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar(
    "reminder_batch_memo", default=None
)


@contextmanager
def batch_memo() -> Iterator[None]:
    """Memoise `memoised()` reads for the block (a sweep's batch): the next batch
    reads afresh, so a membership changed meanwhile counts from then on."""
    token = _batch_memo.set({})
    try:
        yield
    finally:
        _batch_memo.reset(token)


def memoised(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, once per `key` within a batch (every time outside one)."""
    memo = _batch_memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def members(agency_id: int, roles: Sequence[str]) -> tuple[User, ...]:
    """`agencies.selectors.members_with_roles`, read once per agency and roles in a
    batch (a tuple: the memo is shared, callers build their own lists)."""
    return memoised(
        ("members", agency_id, tuple(sorted(roles))),
        lambda: tuple(members_with_roles(agency_id, list(roles))),
    )


def prime_members(agency_ids: Iterable[int], role_sets: Sequence[Sequence[str]]) -> None:
    """Answer `members(agency_id, roles)` for each agency and each of `role_sets` in
    one query, within a batch (outside one, nothing to do): a batch's cases name a few
    dozen agencies. The same users as members_with_roles — active, holding one of the
    roles in the agency, each once, by id (a test compares the two)."""
    memo = _batch_memo.get()
    ids = set(agency_ids)
    if memo is None or not ids:
        return
    wanted = {role for roles in role_sets for role in roles}
    holders: dict[tuple[int, str], list[User]] = {}
    for membership in (
        Membership.objects.filter(agency_id__in=ids, role__in=wanted, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        holders.setdefault((membership.agency_id, membership.role), []).append(membership.user)
    for agency_id in ids:
        for roles in role_sets:
            people = [user for role in roles for user in holders.get((agency_id, role), [])]
            unique = sorted(unique_people(people), key=lambda user: user.pk)
            memo[("members", agency_id, tuple(sorted(roles)))] = tuple(unique)


def monitors(province_id: int) -> tuple[User, ...]:
    """`agencies.selectors.monitors_of`, read once per province in a batch."""
    return memoised(("monitors", province_id), lambda: tuple(monitors_of(province_id)))


@dataclass(frozen=True)
class Sweep:
    """The reminder sweep of one kind of clock.

    `prefix` names the clock's columns (`<prefix>_due_on`, `_due_soon_on`,
    `_long_overdue_on`); `running` selects the cases whose clock runs. A step's notice
    is the sweep's to send (`notices`, written by `notify_many`): each machine says
    only its `template`, the step's `key` (a `str.format` pattern over `case` and
    `stage` that names the case, due date and stage), what the notice reads
    (`context`) and who hears about it (`recipients`).
    """

    model: type[models.Model]
    prefix: str
    running: models.Q
    template: str
    key: str
    context: Callable[[Any], dict[str, Any]]
    recipients: Callable[[Any, str], list[Any]]
    select_related: tuple[str, ...] = ()
    # Reads the directory for a whole batch before its notices are built (with
    # `prime_members`), so that a batch of many agencies' cases costs one query.
    prime: Callable[[Sequence[Any]], None] | None = None

    def notices(self, case: Any, stage: str) -> list[NoticeRequest]:
        """The step's notice to each of its recipients, for `notify_many`."""
        return reminder_requests(
            case,
            stage,
            self.context(case),
            key=self.key.format(case=case, stage=stage),
            template=self.template,
            to=self.recipients(case, stage),
        )

    def notify(self, case: Any, stage: str) -> int:
        """The step's notice to each of its recipients, written now (one case, outside
        a sweep); returns the notices written."""
        return send_reminder(
            case,
            stage,
            self.context(case),
            key=self.key.format(case=case, stage=stage),
            template=self.template,
            to=self.recipients(case, stage),
        )

    def notified(self, cases: Sequence[Any]) -> None:
        """Called in the batch's transaction once the notices of `cases` (each with a
        step) are written: for machines that record more than the claim."""

    def step_for(self, case: Any, today: date) -> ReminderStep | None:
        return reminder_step(
            today,
            due_soon_on=getattr(case, f"{self.prefix}_due_soon_on"),
            due_on=getattr(case, f"{self.prefix}_due_on"),
            long_overdue_on=getattr(case, f"{self.prefix}_long_overdue_on"),
        )

    def next_on(self, case: Any, step: ReminderStep | None, today: date) -> date | None:
        """The case's next reminder date once this step is handled."""
        soon = getattr(case, f"{self.prefix}_due_soon_on")
        if step is None and soon and soon > today:
            return soon  # not due yet (a clock moved under us)
        return step.next_on if step else None

    def due(self, today: date) -> models.QuerySet[Any]:
        """The due cases in the order they are claimed (over the machine's partial
        `next_reminder_on` index)."""
        return (
            self.model._default_manager.filter(self.running, next_reminder_on__lte=today)
            .order_by("next_reminder_on", "pk")
            .select_related(*self.select_related)
        )

    def claim_query(self, today: date, size: int) -> models.QuerySet[Any]:
        """PostgreSQL's batch claim: the first `size` due cases nobody else holds,
        locked (only the cases' own rows) until the batch commits."""
        return self.due(today).select_for_update(skip_locked=True, of=("self",))[:size]

    def remind_batch(self, *, today: date | None = None, size: int = BATCH_SIZE) -> int:
        """Claim up to `size` due cases and write their steps' notices, all in one
        transaction; returns the cases handled (0 when none is due)."""
        today = today or timezone.localdate()
        alias = router.db_for_write(self.model)
        with transaction.atomic(using=alias), batch_memo():
            if connections[alias].features.has_select_for_update_skip_locked:
                claimed = self._claim_locked(today, size)
                handled = len(claimed)
            else:
                handled, claimed = self._claim_guarded(today, size)
            stepped = [(case, step) for case, step in claimed if step is not None]
            if stepped and self.prime is not None:
                self.prime([case for case, _step in stepped])
            if stepped:
                requests = [r for case, step in stepped for r in self.notices(case, step.stage)]
                notify_many(requests)
                self.notified([case for case, _step in stepped])
        return handled

    def _claim_locked(self, today: date, size: int) -> list[tuple[Any, ReminderStep | None]]:
        """Lock a batch, then move every claimed date in one UPDATE: the locks make
        the claim, so no other sweep or transition changes these rows meanwhile."""
        cases = list(self.claim_query(today, size))
        if not cases:
            return []
        claimed = [(case, self.step_for(case, today)) for case in cases]
        by_next: dict[date | None, list[Any]] = {}
        for case, step in claimed:
            by_next.setdefault(self.next_on(case, step, today), []).append(case.pk)
        whens = [When(pk__in=pks, then=Value(on)) for on, pks in by_next.items() if on]
        moved = (
            Case(*whens, default=Value(None), output_field=DateField())
            if whens
            else Value(None, output_field=DateField())
        )
        self.model._default_manager.filter(pk__in=[case.pk for case in cases]).update(
            next_reminder_on=moved
        )
        return claimed

    def _claim_guarded(
        self, today: date, size: int
    ) -> tuple[int, list[tuple[Any, ReminderStep | None]]]:
        """Claim the batch case by case, each with a guarded UPDATE: whoever moves the
        date first sends. Returns the cases looked at (lost races included) and the
        ones won."""
        manager = self.model._default_manager
        cases = list(self.due(today)[:size])
        claimed: list[tuple[Any, ReminderStep | None]] = []
        for case in cases:
            step = self.step_for(case, today)
            won = manager.filter(pk=case.pk, next_reminder_on=case.next_reminder_on).update(
                next_reminder_on=self.next_on(case, step, today)
            )
            if won:
                claimed.append((case, step))
        return len(cases), claimed

    def remind_one(self, *, today: date | None = None) -> bool:
        """Claim the next case whose reminder date has come; False when none is left."""
        return self.remind_batch(today=today, size=1) > 0

    def remind_due(
        self, *, today: date | None = None, limit: int = 10_000, batch_size: int = BATCH_SIZE
    ) -> int:
        """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
        handled = 0
        while handled < limit:
            done = self.remind_batch(today=today, size=min(batch_size, limit - handled))
            if done == 0:
                break
            handled += done
        return handled


def unique_people(people: Iterable[Any]) -> list[Any]:
    """Each person once, in the order first named (a lead who is also a handler)."""
    unique: dict[int, Any] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def reminder_requests(
    case: Any,
    stage: str,
    context: dict[str, Any],
    *,
    key: str,
    template: str,
    to: Iterable[Any],
) -> list[NoticeRequest]:
    """One step's notice to each person `to`, as `send_reminder` writes them."""
    # Site-relative: the bell opens it on whatever host serves the portal; e-mails put
    # SITE_URL in front when they are rendered (notifications.rendering.absolute_url).
    url = case.get_absolute_url()
    context = {**context, "stage": stage}
    return [
        NoticeRequest(
            key=key,
            kind=f"reminder.{stage}",
            template=template,
            context=context,
            user=user,
            url=url,
        )
        for user in to
    ]


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
