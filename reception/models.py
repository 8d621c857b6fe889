"""The reception register (sổ tiếp công dân): one visit per row, its events, and the
audit of who saw a sealed identity.

A visit is a case of its own machine (casework.transitions): registered at the desk,
it ends in the outcome the desk chose — guided to the competent body, a written
petition received or a verbal one minuted (both open a petition through the petitions
service and start the 10-working-day answer clock of Luật Tiếp công dân art. 28),
explained and closed, or refused with a legal reason (art. 9). Only `MACHINE.apply()`,
called by one service per move, writes `Visit.status`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.clocks import Phase, phase_on
from agencies.models import Agency, Field
from agencies.scope import Action
from casework.events import CaseEvent
from casework.fields import commune_field, optional_link
from casework.transitions import Machine, Move, move
from petitions.models import Petition

from .identity import MASK

# The most representatives a delegation names ("không quá 05 người": Luật Tiếp công dân
# art. 30 and its decrees; the article number is unverified in shared/reference).
MAX_REPRESENTATIVES = 5
ANSWER_POLICY = "reception.answer"


class Classification(models.TextChoices):
    """What the citizen brought (TT 05/2021: classification by content)."""

    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation or reflection")
    SEVERAL = "several", _("Several contents")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible for handling")


# What the visitor's identity is sealed for: a denunciation's, and one that may hold a
# denunciation among several contents (Law on Denunciations arts. 8, 9, 47).
SEALED = frozenset({Classification.DENUNCIATION, Classification.SEVERAL})


class ReceiverKind(models.TextChoices):
    OFFICIAL = "official", _("Reception officer")
    LEADER = "leader", _("Head of the agency")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    AWAITING = "awaiting", _("Awaiting the answer")
    ANSWERED = "answered", _("Answered")
    GUIDED = "guided", _("Guided to the competent body")
    EXPLAINED = "explained", _("Explained and closed")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = frozenset({Status.REGISTERED, Status.AWAITING})


class Outcome(models.TextChoices):
    """What the desk did with the visit (Luật Tiếp công dân arts. 26–27)."""

    GUIDED = "guided", _("Guided to the competent body")
    PETITION = "petition", _("Received a written petition")
    MINUTES = "minutes", _("Recorded a verbal petition as written minutes")
    EXPLAINED = "explained", _("Explained and closed")
    REFUSED = "refused", _("Refused")


# The outcomes that open a petition: the figures' "became a written petition".
PETITION_OUTCOMES = frozenset({Outcome.PETITION, Outcome.MINUTES})


class RefusalReason(models.TextChoices):
    """Luật Tiếp công dân 2013 art. 9: when the desk may refuse to receive."""

    INCAPACITATED = (
        "incapacitated",
        _(
            "Drunk or under the influence of stimulants, or mentally ill or otherwise unable "
            "to control their behaviour"
        ),
    )
    DISRUPTIVE = (
        "disruptive",
        _("Threatens, insults or offends the receiving officials, or disturbs order"),
    )
    SETTLED = (
        "settled",
        _(
            "Persists in a matter settled correctly by the competent authority, reviewed "
            "and answered"
        ),
    )
    OTHER = "other", _("Another case provided for by law")


# The legal basis of each reason, as data beside it (the refusal notice cites it).
REFUSAL_BASIS: dict[str, str] = {
    RefusalReason.INCAPACITATED: "Luật Tiếp công dân 2013, Điều 9 khoản 1",
    RefusalReason.DISRUPTIVE: "Luật Tiếp công dân 2013, Điều 9 khoản 2",
    RefusalReason.SETTLED: "Luật Tiếp công dân 2013, Điều 9 khoản 3",
    RefusalReason.OTHER: "Luật Tiếp công dân 2013, Điều 9 khoản 4",
}


class AnswerForm(models.TextChoices):
    DIRECT = "direct", _("Directly")
    WRITTEN = "written", _("In writing")


class VisitQuerySet(models.QuerySet["Visit"]):
    def for_register(self) -> VisitQuerySet:
        return self.select_related("agency", "commune", "petition", "matter")


class Visit(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("date of the visit"))
    place = models.CharField(_("place"), max_length=200)
    receiver_kind = models.CharField(_("received by"), max_length=10, choices=ReceiverKind.choices)
    receiver_name = models.CharField(_("name of the receiving official"), max_length=200)
    # A head of agency must receive in person; a deputy standing in is recorded so.
    leader_in_person = models.BooleanField(_("the head received in person"), default=False)
    is_delegation = models.BooleanField(_("delegation (đoàn đông người)"), default=False)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    representatives_count = models.PositiveSmallIntegerField(
        _("number of representatives"), default=0
    )
    # The visitor (and a delegation's representatives), Fernet-encrypted (identity.py).
    identity = models.TextField(editable=False)
    # The keyed digest of the ID number: the same citizen returning is recognised
    # without the number being stored in the clear (selectors.earlier_visits).
    identity_digest = models.CharField(max_length=64, blank=True, editable=False)
    # Shown in the register instead of the identity; empty when sealed.
    display_name = models.CharField(_("citizen"), max_length=200, blank=True)
    has_email = models.BooleanField(default=False, editable=False)
    commune = commune_field()
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices
    )
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    booking_code = models.CharField(_("booking code"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    guided_to = models.CharField(_("guided to"), max_length=300, blank=True)
    refusal_reason = models.CharField(
        _("reason for refusing"), max_length=16, choices=RefusalReason.choices, blank=True
    )
    # The documents the desk took (one per line), for the printed receipt.
    documents = models.TextField(_("documents received"), blank=True)
    # The petition the visit opened, or the one a returning citizen came about again.
    petition = optional_link(Petition, _("petition"), related_name="reception_visits")
    # The first visit on the same matter (vụ việc); None: this visit opened the matter.
    matter: models.ForeignKey[Visit | None, Visit | None] = optional_link(
        "self", _("first visit on the same matter"), related_name="returns"
    )
    # The answer to the citizen (art. 28): 10 working days from the visit.
    answer_due_on = models.DateField(_("answer due"), null=True, blank=True)
    answer_due_soon_on = models.DateField(null=True, blank=True)
    answer_long_overdue_on = models.DateField(null=True, blank=True)
    answer_rule = models.JSONField(null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_form = models.CharField(
        _("answered"), max_length=8, choices=AnswerForm.choices, blank=True
    )
    answer_text = models.TextField(_("answer"), blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            # selectors.register and figures.*: an agency's visits of a period.
            models.Index(fields=["agency", "visited_on"], name="visit_register"),
            # selectors.earlier_visits: the same citizen's visits.
            models.Index(fields=["identity_digest", "visited_on"], name="visit_returning"),
            # each batch claim of the sweep (reminders.SWEEP.remind_batch): the next answer clock with something to say.
            models.Index(
                fields=["next_reminder_on", "id"],
                name="visit_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("reception:detail", args=[self.pk])

    @property
    def is_sealed(self) -> bool:
        return self.classification in SEALED

    @property
    def public_name(self) -> str:
        return str(MASK) if self.is_sealed else self.display_name

    @property
    def is_new_matter(self) -> bool:
        return self.matter_id is None

    def answer_phase(self, today: Any) -> str:
        due, soon, late = self.answer_due_on, self.answer_due_soon_on, self.answer_long_overdue_on
        if self.status != Status.AWAITING or due is None or soon is None or late is None:
            return ""
        return phase_on(today, due_soon_on=soon, due_on=due, long_overdue_on=late).value

    def answer_phase_label(self, today: Any) -> str:
        value = self.answer_phase(today)
        return str(Phase(value).label) if value else ""


class VisitSequence(models.Model):
    """The last visit number issued per year (locked while issuing)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class VisitEvent(CaseEvent):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="events", verbose_name=_("visit")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.action} {self.from_status}→{self.to_status}"


class VisitIdentityReveal(models.Model):
    """Audit row: who saw a sealed visitor's identity, when and why."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="reveals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.visit_id}"


# --- the moves ---------------------------------------------------------------------------


def _matter_has_petition(visit: Visit) -> str | None:
    if visit.petition_id is not None:
        return gettext(
            "This matter already has a petition: add the documents to it instead of opening "
            "another."
        )
    return None


_ANY = Status.values
_REGISTERED = {Status.REGISTERED}
MOVES: tuple[Move, ...] = (
    move(
        "take_petition",
        _REGISTERED,
        Status.AWAITING,
        Action.RECEPTION,
        label=_("Receive a written petition"),
        guards=(_matter_has_petition,),
    ),
    move(
        "take_minutes",
        _REGISTERED,
        Status.AWAITING,
        Action.RECEPTION,
        label=_("Record a verbal petition as minutes"),
        guards=(_matter_has_petition,),
    ),
    move("guide", _REGISTERED, Status.GUIDED, Action.RECEPTION, label=_("Guide the citizen")),
    move("explain", _REGISTERED, Status.EXPLAINED, Action.RECEPTION, label=_("Explain and close")),
    move("refuse", _REGISTERED, Status.REFUSED, Action.RECEPTION, label=_("Refuse to receive")),
    move("answer", {Status.AWAITING}, Status.ANSWERED, Action.RECEPTION, label=_("Answer given")),
    move(
        "same_matter",
        _REGISTERED,
        None,
        Action.RECEPTION,
        label=_("Same matter as an earlier visit"),
    ),
    move("note", _ANY, None, Action.RECEPTION, label=_("Internal note")),
)

MACHINE: Machine[Visit] = Machine(
    model=Visit,
    moves=MOVES,
    event_model=VisitEvent,
    agency_of=lambda visit: visit.agency_id,
    event_links=lambda visit: {"visit": visit},
    status_label=lambda visit, status: str(Status(status).label),
    wrong_status=_("“%(move)s” is not possible while the visit is “%(status)s”."),
)
