"""The event row every case machine keeps: one per change, naming who acted for which
agency, the status before and after, a note, and whether the citizen sees it.

What the system says about a change ("Accepted; due on 15/12/2026") is stored as data —
the sentence's msgid and its values — and rendered in the reader's language when it is
read (`said()` to write it, `CaseEvent.said_text` to read it); `note` keeps only what a
person typed, in their own words.

Each app owns its table (`PetitionEvent`, `RecommendationEvent`, …) as a subclass of
`CaseEvent`, adding the links to its own cases; `record()` writes one with the time
of `timekeeping.now()`, so history recorded on a past date reads as it happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from notifications import values

from . import timekeeping
from .actors import CITIZEN, Actor, user_of


@dataclass(frozen=True)
class Said:
    """A sentence of the system's, kept as its msgid and values until someone reads it."""

    msgid: str
    args: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        return render_said(self.msgid, self.args)


def _encode(value: Any) -> Any:
    if isinstance(value, Said):
        return {"said": [value.msgid, value.args]}
    return values.encode(value)


def said(msgid: str, /, **args: Any) -> Said:
    """A sentence for the timeline: mark `msgid` with `gettext_noop` so that makemessages
    finds it; dates, lazy labels and nested sentences are rendered when read."""
    return Said(msgid, {key: _encode(value) for key, value in args.items()})


def _decode(value: Any) -> Any:
    if isinstance(value, Mapping) and "said" in value:
        msgid, args = value["said"]
        return render_said(msgid, args)
    decoded = values.decode(value)
    # In a sentence a date is text, in the reader's format.
    if isinstance(decoded, dt.datetime):
        return formats.date_format(decoded, "SHORT_DATETIME_FORMAT")
    if isinstance(decoded, dt.date):
        return formats.date_format(decoded, "SHORT_DATE_FORMAT")
    return decoded


def render_said(msgid: str, args: Mapping[str, Any] | None) -> str:
    """The sentence in the active language; a catalogue error falls back to the msgid."""
    if not msgid:
        return ""
    values = {key: _decode(value) for key, value in (args or {}).items()}
    for text in (gettext(msgid), msgid):
        try:
            return text % values if values else text
        except (KeyError, ValueError, TypeError):
            continue
    return msgid


class CaseEvent(models.Model):
    action = models.CharField(_("action"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    by_citizen = models.BooleanField(default=False)
    # The agency on whose behalf the actor acted.
    agency = models.ForeignKey(
        Agency, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    # The system's sentence about the change, as data (see `said()`).
    said_msgid = models.TextField(_("system sentence"), blank=True, editable=False)
    said_args = models.JSONField(_("its values"), default=dict, blank=True, editable=False)
    # What a person typed about the change, as they typed it.
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    @property
    def said_text(self) -> str:
        """The system's sentence in the reader's (the active) language."""
        return render_said(self.said_msgid, self.said_args)

    @property
    def text(self) -> str:
        """The sentence and the person's note, as the timeline shows them."""
        return "\n".join(part for part in (self.said_text, self.note) if part)


EventT = TypeVar("EventT", bound=CaseEvent)


def record(
    model: type[EventT],
    *,
    action: str,
    actor: Actor,
    agency_id: int | None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    said: Said | None = None,
    public: bool = True,
    **links: Any,
) -> EventT:
    """Write one event row of `model`, at the time of the change being recorded: `said`
    is the system's sentence (rendered when read), `note` what the person typed."""
    return model._default_manager.create(
        said_msgid=said.msgid if said else "",
        said_args=said.args if said else {},
        action=action,
        actor=user_of(actor),
        by_citizen=actor is CITIZEN,
        agency_id=agency_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=public,
        created_at=timekeeping.now(),
        **links,
    )
