"""Changes to the case file that keep the status — an assignment, a note, the citizen's
added information — and the one logged way to a denouncer's identity."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.scope import Action, can
from casework.actors import CITIZEN, Actor, User
from casework.errors import NotPermitted, TransitionNotAllowed
from casework.events import said
from casework.uploads import CheckedFile

from ..identity import Identity, decrypt_identity
from ..models import MACHINE, Attachment, IdentityReveal, Petition, PetitionEvent
from ..selectors import may_reveal
from .door import account_of, apply_move, store_attachments


def _locked(petition: Petition) -> Petition:
    # The case as it is now, held until the event is written: its status is the event's.
    return Petition.objects.select_for_update().get(pk=petition.pk)


@transaction.atomic
def petition_assign(*, petition: Petition, actor: Actor, handler: Any) -> PetitionEvent:
    """Assign a handler of the agency (lead only): a guarded update, an internal event."""
    spec = MACHINE.check(petition, "assign", actor)
    if handler is None or not can(handler, petition.handling_agency_id, Action.HANDLE):
        raise ValidationError({"handler": _("Choose a handler of this agency.")})
    # Nothing would change: refused rather than writing an empty event.
    if petition.assigned_to_id == handler.pk:
        raise TransitionNotAllowed(_("This handler is already assigned."))
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Assigned to %(name)s."), name=handler.get_full_name() or handler.username
        ),
        public=False,
        changes={"assigned_to": handler},
    )


@transaction.atomic
def petition_add_note(*, petition: Petition, actor: Actor, note: str) -> PetitionEvent:
    """An internal note by an official of the agency; never shown to the citizen."""
    MACHINE.check(petition, "note", actor)
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    event = MACHINE.note(_locked(petition), action="note", actor=actor, note=note.strip())
    return cast(PetitionEvent, event)


@transaction.atomic
def petition_add_information(
    *, petition: Petition, text: str, files: list[CheckedFile] | None = None
) -> PetitionEvent:
    """The citizen adds information or documents from the tracking page."""
    current = _locked(petition)
    MACHINE.check(current, "add_info", CITIZEN)
    if not text.strip() and not files:
        raise ValidationError({"text": _("Write the information or attach a document.")})
    event = cast(
        PetitionEvent,
        MACHINE.note(
            current,
            action="add_info",
            actor=CITIZEN,
            note=text.strip(),
            said=None if text.strip() else said(gettext_noop("Documents added.")),
            public=True,
        ),
    )
    store_attachments(petition, files or [], event, identifying=petition.is_denunciation)
    return event


def petition_reveal_identity(*, petition: Petition, actor: User, reason: str) -> Identity:
    """Decrypt a denouncer's identity for an authorised official; writes an audit row.

    The only way to a denouncer's identity: pages and API show a complainant's through
    `selectors.petition_view_for`, which never decrypts a denouncer's."""
    if not may_reveal(actor, petition):
        raise NotPermitted(_("You may not see this denouncer's identity."))
    # A complainant's identity is no secret to whoever sees the case: no audit row.
    if petition.is_denunciation:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why you need to see the identity.")})
        IdentityReveal.objects.create(
            petition=petition, user=account_of(actor), reason=reason.strip()[:300]
        )
    return decrypt_identity(petition.identity)


def attachment_open(*, petition: Petition, attachment: Attachment, actor: User) -> Attachment:
    """Hand out an attachment; one that may identify a denouncer is a reveal and logged."""
    if attachment.petition_id != petition.pk:
        raise NotPermitted()
    if attachment.is_identifying:
        if not may_reveal(actor, petition):
            raise NotPermitted(_("You may not see this denouncer's identity."))
        IdentityReveal.objects.create(
            petition=petition,
            user=account_of(actor),
            reason=(_("Opened the attachment “%(name)s”") % {"name": attachment.original_name})[
                :300
            ],
        )
    return attachment
