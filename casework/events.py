"""The event row every case machine keeps: one per change, naming who acted for which
agency, the status before and after, a note, and whether the citizen sees it.

Each app owns its table (`PetitionEvent`, `RecommendationEvent`, …) as a subclass of
`CaseEvent`, adding the links to its own cases; `record()` writes one with the time
of `timekeeping.now()`, so history recorded on a past date reads as it happened.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

from . import timekeeping
from .actors import CITIZEN, Actor, user_of


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
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"


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
    public: bool = True,
    **links: Any,
) -> EventT:
    """Write one event row of `model`, at the time of the change being recorded."""
    return model._default_manager.create(
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
