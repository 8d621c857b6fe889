"""The moves that open a case: a submission, and the new case a transfer or an appeal
opens at another agency (the old one keeps its own row as read-only history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import NoPolicy, start_clock
from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can
from casework import timekeeping
from casework.actors import CITIZEN, SYSTEM, Actor
from casework.errors import NotPermitted
from casework.events import Said, record, said
from casework.search import search_key
from casework.uploads import CheckedFile

from .. import notices
from ..identity import (
    Identity,
    decrypt_identity,
    encrypt_identity,
    new_tracking_code,
    tracking_hash,
)
from ..models import (
    MACHINE,
    REFERENCE_PREFIX,
    Attachment,
    Channel,
    Clock,
    Kind,
    Petition,
    PetitionEvent,
    PetitionSequence,
    Status,
)
from .door import apply_move, clock_fields, store_attachments


# The legal clocks by kind and round (agencies.DeadlinePolicy keys): a second-round
# complaint runs on its own, longer clocks (Law on Complaints arts. 36–37).
def handling_policy_key(kind: str, round_: int) -> str:
    if kind == Kind.COMPLAINT:
        return "complaint2.acceptance" if round_ == 2 else "complaint1.acceptance"
    if kind == Kind.DENUNCIATION:
        return "denunciation.initial"
    return "petition.handling"


def resolution_policy_key(kind: str, round_: int) -> str:
    if kind == Kind.COMPLAINT:
        return "complaint2.resolution" if round_ == 2 else "complaint1.resolution"
    if kind == Kind.DENUNCIATION:
        return "denunciation.resolution"
    return "recommendation.answer"


def _search_text(petition: Petition, identity: Identity, commune: AdministrativeUnit | None) -> str:
    words = [petition.reference, petition.subject, petition.content[:2000]]
    # A denouncer's name never reaches the search column: it would answer "who wrote?".
    if petition.kind != Kind.DENUNCIATION:
        words.append(identity.name)
    if commune is not None:
        words.append(commune.name)
    return search_key(" ".join(words))


def _next_reference(kind: str, year: int) -> str:
    """The next number of the kind's register for `year`, in one statement.

    The upsert creates the year's row or bumps it and reads the number back; the row
    stays locked until the submission commits, so concurrent submissions queue for
    the number, which is never reused, and a rolled-back one leaves no gap. (It was
    four queries — get_or_create, SELECT … FOR UPDATE, UPDATE, re-read — each held
    under the same lock: the longest part of a citizen's wait at a surge.)
    """
    prefix = REFERENCE_PREFIX[Kind(kind)]
    table = connection.ops.quote_name(PetitionSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (prefix, year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (prefix, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [prefix, year],
        )
        row = cursor.fetchone()
    return f"{prefix}-{year}-{row[0]:06d}"


@dataclass(frozen=True)
class Submitted:
    petition: Petition
    tracking_code: str


@transaction.atomic
def petition_submit(
    *,
    actor: Actor,
    kind: str,
    subject: str,
    content: str,
    field: str,
    handling_agency: Agency,
    identity: Identity,
    channel: str = Channel.ONLINE,
    commune: AdministrativeUnit | None = None,
    round_: int = 1,
    co_signers_count: int = 0,
    is_remote_area: bool = False,
    received_on: date | None = None,
    files: list[CheckedFile] | None = None,
    previous: Petition | None = None,
    transferred_from: Petition | None = None,
    language: str = "vi",
    visit_reference: str = "",
) -> Submitted:
    """— → received: a citizen submits online or a handler records one; starts the handling clock."""
    official = actor is not CITIZEN and actor is not SYSTEM
    # A reception officer records what a citizen brings to the desk (reception.services).
    at_desk = channel == Channel.IN_PERSON and can(actor, handling_agency.pk, Action.RECEPTION)
    if official and not (at_desk or can(actor, handling_agency.pk, Action.HANDLE)):
        raise NotPermitted()
    if not handling_agency.is_active:
        raise ValidationError(
            {"handling_agency": _("This agency no longer receives petitions; choose another.")}
        )
    if kind != Kind.COMPLAINT and round_ != 1:
        raise ValidationError({"round": _("Only complaints have a second round.")})
    today = received_on or timekeeping.today()
    if today > timekeeping.today():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    # Shown to the citizen once; only its keyed digest is stored.
    code = new_tracking_code()
    try:
        handling = start_clock(handling_policy_key(kind, round_), today)
    except NoPolicy as exc:
        raise ValidationError(
            {"received_on": _("No deadline rule applies on this date; check the date received.")}
        ) from exc
    petition = Petition(
        reference=_next_reference(kind, today.year),
        # A transferred case keeps the citizen's tracking code.
        tracking_hash=transferred_from.tracking_hash if transferred_from else tracking_hash(code),
        kind=kind,
        round=round_,
        channel=channel,
        field=field,
        subject=subject.strip(),
        content=content.strip(),
        commune=commune,
        handling_agency=handling_agency,
        identity=encrypt_identity(identity),
        display_name="" if kind == Kind.DENUNCIATION else identity.name[:200],
        has_email=bool(identity.email),
        co_signers_count=co_signers_count,
        is_remote_area=is_remote_area,
        status=Status.RECEIVED,
        received_on=today,
        handling_due_on=handling.due_on,
        handling_rule=handling.as_fields("handling")["handling_rule"],
        previous=previous,
        transferred_from=transferred_from,
        **clock_fields(handling, Clock.HANDLING),
    )
    petition.search_text = _search_text(petition, identity, commune)
    petition.save()
    event = record(
        PetitionEvent,
        action="submit",
        actor=actor,
        agency_id=petition.handling_agency_id,
        to_status=Status.RECEIVED,
        said=_submission_said(previous, transferred_from, visit_reference),
        petition=petition,
    )
    store_attachments(petition, files or [], event, identifying=kind == Kind.DENUNCIATION)
    timekeeping.tell(lambda: notices.petition_received(petition, language=language))
    return Submitted(petition=petition, tracking_code=code)


def _submission_said(
    previous: Petition | None, transferred_from: Petition | None, visit_reference: str = ""
) -> Said | None:
    if visit_reference:
        return said(
            gettext_noop("Received at the citizen reception desk (visit %(ref)s)."),
            ref=visit_reference,
        )
    if transferred_from is not None:
        return said(
            gettext_noop("Transferred from %(agency)s (%(ref)s)."),
            agency=transferred_from.handling_agency.name,
            ref=transferred_from.reference,
        )
    if previous is not None:
        return said(
            gettext_noop("Second-round complaint about the decision on %(ref)s."),
            ref=previous.reference,
        )
    return None


@transaction.atomic
def petition_transfer(
    *, petition: Petition, actor: Actor, to_agency: Agency, note: str = ""
) -> Petition:
    """received → transferred: the receiving agency gets a new case with a new handling clock.

    The sender keeps its own row (read-only history); the citizen's tracking code
    follows the case. A denunciation is transferred only once (a guard of the move).
    """
    spec = MACHINE.check(petition, "transfer", actor)
    if to_agency.pk == petition.handling_agency_id:
        raise ValidationError({"to_agency": _("Choose another agency than the current one.")})
    apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Transferred to %(agency)s, which is competent to handle it."),
            agency=to_agency.name,
        ),
        note=note.strip(),
        changes={"handled_on": timekeeping.today(), **clock_fields(None, "")},
    )
    new = petition_submit(
        actor=SYSTEM,
        kind=petition.kind,
        subject=petition.subject,
        content=petition.content,
        field=petition.field,
        handling_agency=to_agency,
        # Re-encrypted for the new row; never shown (the receiver reveals it, logged).
        identity=decrypt_identity(petition.identity),
        channel=Channel.FORWARDED,
        commune=petition.commune,
        round_=petition.round,
        co_signers_count=petition.co_signers_count,
        is_remote_area=petition.is_remote_area,
        previous=petition.previous,
        transferred_from=petition,
    ).petition
    # The receiver's own rows, pointing at the same stored files (nothing is copied).
    for attachment in petition.attachments.all():
        Attachment.objects.create(
            petition=new,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            is_identifying=attachment.is_identifying,
        )
    # Told once the receiver exists: the citizen's notice names it.
    timekeeping.tell(lambda: notices.petition_changed(petition.pk, "transferred"))
    return new


@transaction.atomic
def petition_appeal(
    *,
    petition: Petition,
    actor: Actor,
    content: str,
    to_agency: Agency | None = None,
    files: list[CheckedFile] | None = None,
) -> Petition:
    """resolved → appealed: opens a second-round complaint, linked, at the higher level.

    Only a first-round complaint is appealed (a guard of the move)."""
    spec = MACHINE.check(petition, "appeal", actor)
    if not content.strip():
        raise ValidationError({"content": _("Say why you disagree with the decision.")})
    # The second round goes to the next level up unless the official names the agency.
    target = to_agency or petition.handling_agency.parent
    if target is None:
        raise ValidationError({"to_agency": _("Choose the agency that resolves the second round.")})
    apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Appealed: a second-round complaint was sent to %(agency)s."),
            agency=target.name,
        ),
        changes={"closes_on": None},
        notice=lambda: notices.petition_changed(
            petition.pk, "appealed", {"to_agency": target.name}
        ),
    )
    submitted = petition_submit(
        actor=SYSTEM,
        kind=Kind.COMPLAINT,
        round_=2,
        subject=petition.subject,
        content=content,
        field=petition.field,
        handling_agency=target,
        identity=decrypt_identity(petition.identity),
        channel=Channel.ONLINE if actor is CITIZEN else Channel.IN_PERSON,
        commune=petition.commune,
        co_signers_count=petition.co_signers_count,
        is_remote_area=petition.is_remote_area,
        previous=petition,
        files=files,
    )
    # The citizen keeps following the case with the same tracking code.
    Petition.objects.filter(pk=submitted.petition.pk).update(tracking_hash=petition.tracking_hash)
    return submitted.petition
