"""Every write to the outbox: creating notices, delivering them, marking them read.

Delivery is claimed row by row with a guarded UPDATE (healthchecks' sendalerts), so
the on-commit task, its retries and any number of resend sweeps can race for a row
and only one of them sends it. A claim is a lease: if its worker dies, the lease runs
out and the next sweep sends the row again.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape

from sealing.crypto import encrypt, keyed_digest

from .models import Notice, NotificationPreference
from .rendering import Rendered, render_notice
from .selectors import language_of, supported_language
from .values import encode_all

logger = logging.getLogger(__name__)

# Tries per e-mail before it is marked failed; with the delays below the last one
# happens about 2 h 40 min after the first, enough to ride out an SMTP outage.
MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 30
# How long a delivery owns a row. Far above EMAIL_TIMEOUT, so a slow but live send is
# never taken over; a dead worker's row is sent again this long after it died.
CLAIM_SECONDS = 300
# Rows one sweep run handles; the task queues another run when it hits the limit.
SWEEP_LIMIT = 200
# The caller's part of the key; recipient and channel are appended to it.
CALLER_KEY_MAX_LENGTH = 200
# Publishing must not hold a citizen's request hostage to a dead broker.
BROKER_TIMEOUT_SECONDS = 2
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0, "interval_max": 0}

CHANNELS: tuple[str, ...] = (Notice.Channel.EMAIL, Notice.Channel.IN_APP)


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    # Already sent or failed, not yet due, or owned by another worker: nothing done.
    NOT_CLAIMED = "not_claimed"


@dataclass(frozen=True)
class Delivery:
    outcome: DeliveryOutcome
    retry_in: int = 0


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the `attempts`-th failure: 30 s, 2, 8, 32 min, 2 h 8 min."""
    return FIRST_RETRY_SECONDS * 4 ** max(attempts - 1, 0)


# --- creating notices ----------------------------------------------------------------


def _recipient_part(*, key: str, user: User | None, email: str) -> str:
    if user is not None:
        return f"u{user.pk}"
    # Never the address itself (the key is indexed and shown); a keyed digest cannot be
    # checked against a guessed address without the secret. The caller's key is in the
    # digest too: the same citizen's notices on two cases (a complaint and a
    # denunciation) share nothing that would let a reader of the outbox tie them.
    address = email.strip().lower()
    return "e" + keyed_digest(f"{key}\n{address}", purpose="notice-recipient")[:16]


@dataclass(frozen=True)
class NoticeRequest:
    """One recipient's message, as notify() takes it: the unit of notify_many()."""

    key: str
    kind: str
    template: str
    context: dict[str, Any]
    user: User | None = None
    email: str | None = None
    channels: Sequence[str] = CHANNELS
    url: str = ""
    language: str | None = None


def _planned_rows(
    *, key: str, user: User | None, email: str | None, channels: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The rows a message needs, by full key (caller's key, recipient, channel);
    raises ValueError for a request notify() cannot take."""
    if user is not None and email:
        raise ValueError("notify() takes a user or an e-mail address, not both.")
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown notice channels: {sorted(unknown)}")
    if not key or len(key) > CALLER_KEY_MAX_LENGTH:
        raise ValueError(f"A notice key must be 1–{CALLER_KEY_MAX_LENGTH} characters long.")

    address = (email or (user.email if user is not None else "") or "").strip()
    recipient = _recipient_part(key=key, user=user, email=address)
    planned: dict[str, dict[str, Any]] = {}
    for channel in dict.fromkeys(channels):
        if channel == Notice.Channel.IN_APP and user is None:
            continue  # a citizen has no account, hence no bell
        if channel == Notice.Channel.EMAIL and not address:
            logger.info("notice %s: no e-mail address, e-mail skipped", key)
            continue
        planned[f"{key}:{recipient}:{channel}"] = {
            "channel": channel,
            "email": encrypt(address) if channel == Notice.Channel.EMAIL else "",
        }
    return planned


def _notice_fields(
    *,
    row: dict[str, Any],
    kind: str,
    template: str,
    user: User | None,
    language: str,
    rendered: Rendered,
    stored_context: dict[str, Any],
    url: str,
    now: datetime,
) -> dict[str, Any]:
    """A new row's columns besides its key (the same for notify and notify_many)."""
    in_app = row["channel"] == Notice.Channel.IN_APP
    return {
        "kind": kind,
        "channel": row["channel"],
        "user": user,
        "email": row["email"],
        "language": language,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "url": url,
        "template": template if in_app else "",
        "context": stored_context if in_app else {},
        # The bell shows an in-app notice as soon as the row exists.
        "status": Notice.Status.SENT if in_app else Notice.Status.PENDING,
        "sent_at": now if in_app else None,
        "next_attempt_at": now,
    }


def notify(
    *,
    key: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    user: User | None = None,
    email: str | None = None,
    channels: Sequence[str] = CHANNELS,
    url: str = "",
    language: str | None = None,
) -> list[Notice]:
    """Put a message for one recipient in the outbox, once per key; return the new rows.

    `key` names the event ("petition:42:handling:due_soon"); the recipient and the
    channel are appended, so calling again with the same key creates nothing. E-mails
    are queued after the caller's transaction commits; a broker outage leaves them
    pending for the resend sweep and never raises here.
    """
    planned = _planned_rows(key=key, user=user, email=email, channels=channels)
    if not planned:
        return []
    # Reminder sweeps call notify() on every run: answer repeats with one query and
    # without rendering anything.
    existing = set(Notice.objects.filter(key__in=planned).order_by().values_list("key", flat=True))
    todo = {full_key: row for full_key, row in planned.items() if full_key not in existing}
    if not todo:
        return []

    language = supported_language(language) if language or user is None else language_of(user=user)
    if user is not None:
        # The base layouts greet by name; a caller may still pass its own.
        context = {"recipient_name": user.get_full_name(), **context}
    rendered = render_notice(template=template, context=context, language=language, url=url)
    stored_context = encode_all(context)
    now = timezone.now()
    created: list[Notice] = []
    for full_key, row in todo.items():
        # get_or_create inserts in a savepoint and reads back on IntegrityError, so two
        # processes notifying at once end with one row and one "created".
        notice, was_created = Notice.objects.get_or_create(
            key=full_key,
            defaults=_notice_fields(
                row=row,
                kind=kind,
                template=template,
                user=user,
                language=language,
                rendered=rendered,
                stored_context=stored_context,
                url=url,
                now=now,
            ),
        )
        if was_created:
            created.append(notice)
            if notice.channel == Notice.Channel.EMAIL:
                transaction.on_commit(partial(queue_delivery, notice_id=notice.pk), robust=True)
    return created


# Keys per SELECT of the ones already written: far below SQLite's bound on parameters.
KEYS_PER_QUERY = 500


def _existing_keys(keys: Sequence[str]) -> set[str]:
    existing: set[str] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        existing.update(
            Notice.objects.filter(key__in=chunk).order_by().values_list("key", flat=True)
        )
    return existing


def _languages_of(users: Iterable[User]) -> dict[int, str]:
    """language_of() for many users in one query."""
    ids = {user.pk for user in users}
    preferred = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    return {pk: supported_language(preferred.get(pk)) for pk in ids}


def notify_many(requests: Sequence[NoticeRequest]) -> list[Notice]:
    """notify() for many messages at once, in the caller's transaction; the new rows.

    The same rows, keys and guarantees as one notify() per request, in a number of
    queries that does not grow with the requests (the existing keys, the recipients'
    languages, one INSERT) and one broker message for all the e-mails after commit:
    a reminder sweep's batch writes hundreds of notices at a time. Requests that share
    their `context` object (one step's recipients) share a rendering too.
    """
    plans = [
        (r, _planned_rows(key=r.key, user=r.user, email=r.email, channels=r.channels))
        for r in requests
    ]
    existing = _existing_keys([key for _request, planned in plans for key in planned])
    todo = [
        (request, {key: row for key, row in planned.items() if key not in existing})
        for request, planned in plans
    ]
    todo = [(request, rows) for request, rows in todo if rows]
    if not todo:
        return []
    languages = _languages_of(
        request.user for request, _rows in todo if request.user is not None and not request.language
    )
    now = timezone.now()
    unsaved: list[Notice] = []
    renders: dict[tuple[int, str, str, str], Rendered] = {}
    for request, rows in todo:
        user, context = request.user, request.context
        if request.language or user is None:
            language = supported_language(request.language)
        else:
            language = languages[user.pk]
        rendered = _render_shared(request, language, renders)
        if user is not None:
            context = {"recipient_name": user.get_full_name(), **context}
        stored_context = encode_all(context)
        for full_key, row in rows.items():
            fields = _notice_fields(
                row=row,
                kind=request.kind,
                template=request.template,
                user=user,
                language=language,
                rendered=rendered,
                stored_context=stored_context,
                url=request.url,
                now=now,
            )
            unsaved.append(Notice(key=full_key, **fields))
    try:
        # A savepoint: a key written since our SELECT (another process notifying the
        # same event) undoes this INSERT only, and the rows then go one by one.
        with transaction.atomic():
            created = Notice.objects.bulk_create(unsaved)
    except IntegrityError:
        created = _create_one_by_one(unsaved)
    email_ids = [n.pk for n in created if n.channel == Notice.Channel.EMAIL]
    if email_ids:
        transaction.on_commit(partial(queue_deliveries, notice_ids=email_ids), robust=True)
    return created


# Stands for the recipient's name in a rendering shared by several recipients, who then
# differ only by the name put in its place. Private-use characters: neither escaping
# nor the clean-up of whitespace changes them, and no name or template contains them.
NAME_STAND_IN = "\ue000recipient\ue001"


def _render_shared(
    request: NoticeRequest, language: str, renders: dict[tuple[int, str, str, str], Rendered]
) -> Rendered:
    """What notify() renders for `request`, rendered once per context, language and
    link for every recipient whose name the base layouts' greeting prints."""
    user, context = request.user, request.context
    name = user.get_full_name() if user is not None else ""

    def render(recipient_name: str | None) -> Rendered:
        full = context if recipient_name is None else {"recipient_name": recipient_name, **context}
        return render_notice(
            template=request.template, context=full, language=language, url=request.url
        )

    if user is None:
        return render(None)
    # An empty name takes the greeting's other branch; a caller's own recipient_name
    # wins over the user's (as in notify()); a line break would meet the clean-up.
    if not name or "recipient_name" in context or "\n" in name or "\r" in name:
        return render(name)
    key = (id(context), request.template, language, request.url)
    if key not in renders:
        renders[key] = render(NAME_STAND_IN)
    shared = renders[key]
    if NAME_STAND_IN in shared.subject:
        return render(name)  # the subject is cut to its length after rendering
    named = Rendered(
        subject=shared.subject,
        text=shared.text.replace(NAME_STAND_IN, name),
        html=shared.html.replace(NAME_STAND_IN, escape(name)),
    )
    if any("\ue000" in part or "\ue001" in part for part in (named.text, named.html)):
        return render(name)  # a filter changed the stand-in: render for this one alone
    return named


def _create_one_by_one(unsaved: Sequence[Notice]) -> list[Notice]:
    """The rows of a bulk INSERT that lost a race, each created unless its key exists."""
    created: list[Notice] = []
    for notice in unsaved:
        fields = {
            field.attname: getattr(notice, field.attname)
            for field in Notice._meta.concrete_fields
            if not field.primary_key and field.attname != "key"
        }
        row, was_created = Notice.objects.get_or_create(key=notice.key, defaults=fields)
        if was_created:
            created.append(row)
    return created


def queue_delivery(*, notice_id: int) -> bool:
    """Hand an e-mail to a worker. False (and a warning) when the broker is unreachable:
    the row stays pending and the resend sweep sends it once the broker is back."""
    from .tasks import deliver_notice  # tasks import this module

    return _publish(deliver_notice, [notice_id], what=f"notice {notice_id}")


# E-mails per message of deliver_notices: a batch's mail is spread over a few workers,
# and a redelivered message repeats little.
EMAILS_PER_TASK = 50


def queue_deliveries(*, notice_ids: Sequence[int]) -> bool:
    """Hand many e-mails to the workers, EMAILS_PER_TASK a message; False (and a
    warning) if some could not be queued: they stay pending for the resend sweep."""
    from .tasks import deliver_notices  # tasks import this module

    queued = True
    for start in range(0, len(notice_ids), EMAILS_PER_TASK):
        chunk = list(notice_ids[start : start + EMAILS_PER_TASK])
        what = f"notices {chunk[0]}–{chunk[-1]}"
        queued = _publish(deliver_notices, [chunk], what=what) and queued
    return queued


def _publish(task: Any, args: list[Any], *, what: str) -> bool:
    app = task.app
    try:
        if app.conf.task_always_eager:
            task.apply_async(args=args)
            return True
        # One quick try to connect and one immediate retry to publish (a pooled
        # connection may predate a broker restart): kombu's defaults keep trying for
        # seconds, which a citizen's request cannot afford.
        with app.pool.acquire(block=True, timeout=BROKER_TIMEOUT_SECONDS) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
            )
            task.apply_async(
                args=args, connection=connection, retry=True, retry_policy=PUBLISH_RETRY
            )
    except Exception:  # any broker or transport error: the sweep is the fallback
        logger.warning(
            "%s: delivery not queued (broker unreachable?); left pending for the resend sweep",
            what,
            exc_info=True,
        )
        return False
    return True


# --- delivering e-mails ----------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return Q(
        status=Notice.Status.PENDING, channel=Notice.Channel.EMAIL, next_attempt_at__lte=now
    ) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def _claim(*, notice_id: int, now: datetime) -> uuid.UUID | None:
    """Take the row if it is still due and unclaimed; the token proves the claim later."""
    token = uuid.uuid4()
    # Counting attempts at claim time means a message that kills its worker every time
    # still ends as "failed" instead of looping for ever.
    claimed = Notice.objects.filter(_claimable(now), pk=notice_id).update(
        claim_token=token,
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _claim_next_due() -> tuple[int, uuid.UUID | None] | None:
    """Claim the oldest due row: (id, token), (id, None) for a lost race, None if idle."""
    now = timezone.now()
    with transaction.atomic():
        # SKIP LOCKED spreads concurrent sweepers over different rows on PostgreSQL
        # (SQLite ignores it); the guarded UPDATE is what makes the claim exclusive.
        notice_id = (
            Notice.objects.filter(_claimable(now))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
            .first()
        )
        if notice_id is None:
            return None
        return notice_id, _claim(notice_id=notice_id, now=now)


def _message_id(notice: Notice) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    # Stable across retries: should a crash make us send twice, mail clients see one
    # message.
    return f"<notice-{notice.pk}.{notice.created_at:%Y%m%d%H%M%S}@{domain}>"


def email_message(notice: Notice) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notice.subject,
        body=notice.body_text,
        to=[notice.address],
        headers={
            "Message-ID": _message_id(notice),
            # RFC 3834: no out-of-office replies to a robot.
            "Auto-Submitted": "auto-generated",
            "X-Civic-Notice": str(notice.pk),
        },
    )
    if notice.body_html:
        message.attach_alternative(notice.body_html, "text/html")
    return message


def _release(*, notice_id: int, token: uuid.UUID, **fields: Any) -> bool:
    updated = Notice.objects.filter(pk=notice_id, claim_token=token).update(
        claimed_until=None, claim_token=None, **fields
    )
    if not updated:
        # Only possible when a send outlived CLAIM_SECONDS and another worker took over.
        logger.error("notice %s: claim lost before it was released", notice_id)
    return bool(updated)


def _record_failure(*, notice: Notice, token: uuid.UUID, error: Exception) -> Delivery:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # Its text repeats the recipient's address: keep only the server's codes.
        codes = sorted({str(code) for code, _msg in error.recipients.values()})
        message = f"SMTPRecipientsRefused {', '.join(codes)}"
    else:
        message = f"{type(error).__name__}: {error}"[:2000]
    # A refused recipient will be refused again: retrying only delays the admin's view.
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
    if permanent or notice.attempts >= MAX_ATTEMPTS:
        _release(notice_id=notice.pk, token=token, status=Notice.Status.FAILED, last_error=message)
        logger.error(
            "notice %s: gave up after %s attempt(s): %s", notice.pk, notice.attempts, message
        )
        return Delivery(DeliveryOutcome.FAILED)
    delay = retry_delay(notice.attempts)
    _release(
        notice_id=notice.pk,
        token=token,
        last_error=message,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    logger.warning(
        "notice %s: attempt %s failed, next in %s s: %s", notice.pk, notice.attempts, delay, message
    )
    return Delivery(DeliveryOutcome.RETRY, retry_in=delay)


def _send_claimed(*, notice_id: int, token: uuid.UUID) -> Delivery:
    notice = Notice.objects.get(pk=notice_id)
    if notice.attempts > MAX_ATTEMPTS:
        # Earlier attempts died with their workers; stop before the message kills more.
        _release(
            notice_id=notice_id,
            token=token,
            status=Notice.Status.FAILED,
            last_error=notice.last_error or "The worker stopped during every attempt.",
        )
        return Delivery(DeliveryOutcome.FAILED)
    try:
        email_message(notice).send(fail_silently=False)
    except Exception as error:  # SMTP, DNS, TLS or socket: all mean "not sent"
        return _record_failure(notice=notice, token=token, error=error)
    _release(
        notice_id=notice_id,
        token=token,
        status=Notice.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
    )
    return Delivery(DeliveryOutcome.SENT)


def notice_deliver(*, notice_id: int) -> Delivery:
    """Send one pending e-mail if it is due and nobody else is sending it."""
    token = _claim(notice_id=notice_id, now=timezone.now())
    if token is None:
        return Delivery(DeliveryOutcome.NOT_CLAIMED)
    return _send_claimed(notice_id=notice_id, token=token)


def notice_deliver_due(*, limit: int = SWEEP_LIMIT) -> int:
    """The resend sweep: claim and send due rows one at a time, at most `limit` of them.

    Returns how many rows it claimed. Never loads more than one row into memory, and
    any number of sweeps may run at once.
    """
    claimed = 0
    for _ in range(limit):
        claim = _claim_next_due()
        if claim is None:
            break
        notice_id, token = claim
        if token is None:
            continue  # another sweeper took it between our SELECT and UPDATE
        _send_claimed(notice_id=notice_id, token=token)
        claimed += 1
    return claimed


def notices_send_again(*, notice_ids: Iterable[int]) -> int:
    """Put e-mails back in the queue (the admin's "send again"); returns how many."""
    now = timezone.now()
    ids = list(
        Notice.objects.filter(pk__in=list(notice_ids), channel=Notice.Channel.EMAIL)
        .exclude(claimed_until__gte=now)  # being sent right now
        .values_list("id", flat=True)
    )
    Notice.objects.filter(pk__in=ids).update(
        status=Notice.Status.PENDING, attempts=0, next_attempt_at=now, sent_at=None
    )
    for notice_id in ids:
        transaction.on_commit(partial(queue_delivery, notice_id=notice_id), robust=True)
    return len(ids)


# --- the bell --------------------------------------------------------------------------


def notice_mark_read(*, user: User, notice_id: int) -> Notice:
    """Mark one of the user's in-app notices read; raises Notice.DoesNotExist if not theirs."""
    notice = Notice.objects.get(pk=notice_id, user=user, channel=Notice.Channel.IN_APP)
    if notice.read_at is None:
        now = timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
        notice.read_at = now
    return notice


def notices_mark_all_read(*, user: User) -> int:
    """Mark every unread in-app notice of the user read; returns how many."""
    return Notice.objects.filter(
        user=user, channel=Notice.Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())


def preference_set_language(*, user: User, language: str) -> NotificationPreference:
    """Choose the language the user's future notices are written in."""
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"language": supported_language(language)}
    )
    return preference
