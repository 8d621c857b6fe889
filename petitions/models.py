"""Petitions (đơn thư): the case, its events, attachments, extensions, suspensions, and
the verification and dialogue of a complaint.

The allowed moves are data (`MOVES`, each with the guards that can forbid it now) and
`MACHINE` is the one door through which they are made (casework.transitions, in
machine.py): only `MACHINE.apply()`, called by one service per move, writes
`Petition.status`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.clocks import (
    Phase,
    phase_on,
)
from agencies.models import Agency, Field
from casework.actors import CITIZEN as CITIZEN  # re-exported: the petitioner's marker
from casework.actors import SYSTEM as SYSTEM  # … and the portal's (beat, a transfer)
from casework.events import CaseEvent
from casework.fields import commune_field, optional_link

from .identity import MASK


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    REFLECTION = "reflection", _("Reflection")


# Reference prefixes: KN-2026-000123 (khiếu nại), TC (tố cáo), KI (kiến nghị), PA (phản ánh).
REFERENCE_PREFIX = {
    Kind.COMPLAINT: "KN",
    Kind.DENUNCIATION: "TC",
    Kind.RECOMMENDATION: "KI",
    Kind.REFLECTION: "PA",
}


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person at the reception office")
    POST = "post", _("By post")
    FORWARDED = "forwarded", _("Forwarded by another body")
    # Filed by another system through Open311 GeoReport v2 (the open311 app links the
    # case to its partner).
    PARTNER = "partner", _("Forwarded by a partner system")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted for resolution")
    SUSPENDED = "suspended", _("Suspended")
    TRANSFERRED = "transferred", _("Transferred")
    GUIDED = "guided", _("Guided elsewhere")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    FILED = "filed", _("Filed without action")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    APPEALED = "appealed", _("Appealed (second round)")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TERMINATED = "terminated", _("Terminated")


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED})
# ended_on of a case that has not ended, where a date is needed (the figures' period test
# and its index, Meta.indexes "petition_period").
NEVER = date(9999, 12, 31)
# Every column the figures read besides the agency (selectors.figure_aggregates and
# stats_queryset), in the order of the covering indexes petition_figures and
# petition_period (Petition.Meta.indexes); id is there for COUNT("id").
FIGURE_COLUMNS = (
    "received_on",
    "ended_on",
    "handled_on",
    "handling_due_on",
    "accepted_on",
    "resolved_on",
    "resolution_due_on",
    "suspended_on",
    "commune",
    "field",
    "kind",
    "channel",
    "id",
)
# Statuses whose handling decision counts for "handled on time" (DOMAIN: the figures).
HANDLING_DECISIONS = frozenset(
    {Status.ACCEPTED, Status.TRANSFERRED, Status.GUIDED, Status.NOT_ACCEPTED, Status.FILED}
)


class Outcome(models.TextChoices):
    CORRECT = "correct", _("Correct")
    PARTLY_CORRECT = "partly_correct", _("Partly correct")
    WRONG = "wrong", _("Wrong")
    UNTRUE = "untrue", _("Untrue")
    ADOPTED = "adopted", _("Adopted")
    EXPLAINED = "explained", _("Explained")


OUTCOMES_BY_KIND: dict[str, tuple[Outcome, ...]] = {
    Kind.COMPLAINT: (Outcome.CORRECT, Outcome.PARTLY_CORRECT, Outcome.WRONG),
    Kind.DENUNCIATION: (Outcome.CORRECT, Outcome.PARTLY_CORRECT, Outcome.UNTRUE),
    Kind.RECOMMENDATION: (Outcome.ADOPTED, Outcome.EXPLAINED),
    Kind.REFLECTION: (Outcome.ADOPTED, Outcome.EXPLAINED),
}


class NotAcceptedReason(models.TextChoices):
    """Grounds for not accepting (Law on Complaints art. 11; Law on Denunciations art. 24)."""

    NOT_ABOUT_SELF = "not_about_self", _("The decision or act does not concern the petitioner")
    NO_CAPACITY = "no_capacity", _("The petitioner lacks legal capacity and has no representative")
    TIME_LIMIT = "time_limit", _("The time limit for complaining has passed")
    ALREADY_RESOLVED = "already_resolved", _("Already resolved with a final decision")
    IN_COURT = "in_court", _("The matter has been brought to court")
    NOT_COMPETENT = "not_competent", _("Not within this agency's competence")
    WITHDRAWN_BEFORE = (
        "withdrawn_before",
        _("Withdrawn earlier and resubmitted without new grounds"),
    )
    NO_EVIDENCE = "no_evidence", _("Content unclear or without grounds to verify")


class Clock(models.TextChoices):
    HANDLING = "handling", _("Handling")
    RESOLUTION = "resolution", _("Resolution")


class DialogueStage(models.TextChoices):
    """A first-round complaint's verification (xác minh) and dialogue (đối thoại)."""

    VERIFYING = "verifying", _("Verification under way")
    MATCHES = "matches", _("Verification agrees with the complainant's request")
    DIFFERS = "differs", _("Verification differs from the request: a dialogue is needed")
    SCHEDULED = "scheduled", _("Dialogue scheduled")
    HELD = "held", _("Dialogue held")
    ABSENT = "absent", _("The complainant did not attend the dialogue")


@dataclass(frozen=True)
class LegalRule:
    """A rule of law that applies from a date, kept as data with its basis."""

    effective_from: date
    legal_basis: str


# A complainant who does not attend the dialogue without a valid reason no longer holds
# up the resolution (Law on Complaints art. 30(6), added by Law 136/2025/QH15).
ABSENCE_RULE = LegalRule(
    date(2026, 7, 1), "Luật Khiếu nại, Điều 30 khoản 6 (sửa đổi bởi Luật 136/2025/QH15)"
)


class PetitionQuerySet(models.QuerySet["Petition"]):
    def for_inbox(self) -> PetitionQuerySet:
        return self.select_related("handling_agency", "commune", "assigned_to")

    def open(self) -> PetitionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Petition(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    # HMAC of the secret tracking code; the code itself is shown once and never stored.
    tracking_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(
        _("round"), default=1, help_text=_("Complaints only: first or second round.")
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    commune = commune_field()
    handling_agency = models.ForeignKey(
        Agency, verbose_name=_("handling agency"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The petitioner's identity and contact, Fernet-encrypted (petitions.identity);
    # for denunciations it is shown only to the assigned handler and the agency's leads.
    identity = models.TextField(editable=False)
    # Shown in lists instead of the identity; empty for denunciations (see public_name).
    display_name = models.CharField(_("petitioner"), max_length=200, blank=True)
    has_email = models.BooleanField(default=False, editable=False)
    co_signers_count = models.PositiveIntegerField(_("number of co-signers"), default=0)
    is_complex = models.BooleanField(_("complex"), default=False)
    is_especially_complex = models.BooleanField(_("especially complex"), default=False)
    is_remote_area = models.BooleanField(_("remote or disadvantaged area"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )

    # The clock now running (handling while received, resolution while accepted;
    # none while suspended or closed). Read by the inbox sort and phase filters and
    # by the reminder sweep: see the indexes below.
    clock = models.CharField(_("clock"), max_length=12, choices=Clock.choices, blank=True)
    clock_due_on = models.DateField(_("due date"), null=True, blank=True)
    clock_due_soon_on = models.DateField(null=True, blank=True)
    clock_long_overdue_on = models.DateField(null=True, blank=True)
    clock_rule = models.JSONField(null=True, blank=True)
    # Each clock's own due date, kept after it stops, for the on-time figures.
    received_on = models.DateField(_("received on"))
    handling_due_on = models.DateField(_("handling due"), null=True, blank=True)
    handling_rule = models.JSONField(null=True, blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    resolution_due_on = models.DateField(_("resolution due"), null=True, blank=True)
    resolution_rule = models.JSONField(null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended since"), null=True, blank=True)
    extensions_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    closes_on = models.DateField(_("decision takes effect on"), null=True, blank=True)
    # The day the case left the open statuses (handled elsewhere, resolved, withdrawn…):
    # "open at the end of a period" is received_on <= end < ended_on (selectors.figures).
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    result_summary = models.TextField(_("result (public)"), blank=True)
    not_accepted_reason = models.CharField(
        _("reason for not accepting"), max_length=20, choices=NotAcceptedReason.choices, blank=True
    )
    guided_to = models.CharField(_("guided to"), max_length=300, blank=True)
    # Where a first-round complaint stands on verification and dialogue (Law on
    # Complaints arts. 29–30), kept on the row so that the resolve move's guard reads
    # it without a query (services.dialogue writes it with each of its moves).
    dialogue_stage = models.CharField(
        _("verification and dialogue"), max_length=12, choices=DialogueStage.choices, blank=True
    )

    previous: models.ForeignKey[Petition | None, Petition | None] = optional_link(
        "self", _("first-round complaint"), related_name="appeals"
    )
    transferred_from: models.ForeignKey[Petition | None, Petition | None] = optional_link(
        "self", _("transferred from"), related_name="transfers"
    )
    # unidecode'd, lower-cased words for search with or without diacritics.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # When the reminder sweep next has something to say about the running clock
    # (due soon, due today, overdue, long overdue); None when nothing is left to say.
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "-id"]
        indexes = [
            # selectors.inbox: an agency's cases by status, sorted by due date
            models.Index(
                fields=["handling_agency", "status", "clock_due_on"], name="petition_inbox"
            ),
            # reminders.remind_one: the next clock whose reminder date has come, in its
            # exact order (next_reminder_on, pk), so each claim reads one entry even when
            # thousands fall due the same day; closed cases (NULL) stay out of it.
            models.Index(
                fields=["next_reminder_on", "id"],
                name="petition_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
            # stats: received / resolved in a period per agency
            models.Index(fields=["handling_agency", "received_on"], name="petition_received"),
            # ... and the median time to resolve (selectors.median_days_to_resolve): the
            # resolutions of a period read from this index alone (received_on and the
            # narrowing columns are in it).
            models.Index(
                fields=[
                    "handling_agency",
                    "resolved_on",
                    "received_on",
                    "commune",
                    "field",
                    "kind",
                    "channel",
                ],
                name="petition_resolved",
            ),
            # The figures (selectors.stats_queryset / figure_aggregates and
            # dashboards.selectors.summary, breakdown, trend): every column they read, so
            # PostgreSQL answers them with an index-only scan of this index instead of
            # the table, whose rows carry the texts (~110 MB against 2 GB at a million
            # petitions, `make bench`). A column the figures start reading must be added
            # to FIGURE_COLUMNS (tests/bench/test_indexes.py checks). Key columns rather
            # than INCLUDE, so that SQLite builds it too.
            models.Index(fields=["handling_agency", *FIGURE_COLUMNS], name="petition_figures"),
            # The same columns led by the period test every figure starts from
            # (petitions.figures.period_rows: received by the end of the period and not
            # ended before its start, ended_on NULL reading as "never"): a province-wide
            # figure reads only the cases that can count in its period, not the years of
            # closed ones before it, and in parallel on PostgreSQL (`make bench`).
            # petition_figures stays for one agency's figures (a lead's dashboard).
            models.Index(
                Coalesce("ended_on", models.Value(NEVER)),
                models.F("received_on"),
                models.F("handling_agency"),
                *(models.F(name) for name in FIGURE_COLUMNS[1:]),
                name="petition_period",
            ),
            # Meta.ordering and api.PetitionViewSet's default (-received_on, -id) over a
            # whole province: read backwards, the first page needs no sort of the scope.
            models.Index(fields=["received_on", "id"], name="petition_newest"),
            # selectors.inbox sorted by due date (the default) for users who see many
            # agencies (monitors, leads of several): the open cases in due order, so a
            # page is the first rows that pass the agency filter.
            models.Index(
                fields=["clock_due_on", "id"],
                name="petition_open_due",
                condition=models.Q(status__in=[Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED]),
            ),
            # selectors.inbox over every status ("include closed": a monitor's search of
            # the province) sorted by due date, either way: the matches in due order, so
            # page 1 is the first rows that pass the words, not a sort of every match
            # (closed cases carry no due date and come last).
            models.Index(fields=["clock_due_on", "id"], name="petition_due"),
            # The inbox's word search (selectors.search_filter, LIKE '%word%') has a
            # GIN index on the open cases, their agency and the trigrams of their
            # search_text ("petition_search_open_agency", migration 0012, replacing the
            # trigram-only index of 0004), on PostgreSQL only (SQLite has no GIN).
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("petitions:detail", args=[self.pk])

    def can_transition_to(self, status: str) -> bool:
        return MACHINE.can_transition_to(self, status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_denunciation(self) -> bool:
        return self.kind == Kind.DENUNCIATION

    @property
    def public_name(self) -> str:
        """The petitioner as lists show it: a denouncer is always the mask, in the
        reader's language."""
        return str(MASK) if self.is_denunciation else self.display_name

    def phase(self, today: Any) -> str:
        due, soon, late = self.clock_due_on, self.clock_due_soon_on, self.clock_long_overdue_on
        if due is None or soon is None or late is None:
            return ""
        return phase_on(today, due_soon_on=soon, due_on=due, long_overdue_on=late).value

    def phase_label(self, today: Any) -> str:
        value = self.phase(today)
        return str(Phase(value).label) if value else ""


class PetitionSequence(models.Model):
    """The last reference number issued per prefix and year (locked while issuing)."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class PetitionEvent(CaseEvent):
    """One row per change: status moves, notes, assignments, added information."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="events", verbose_name=_("petition")
    )
    # The statuses with the petition's choices, so a timeline reads get_to_status_display.
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)

    class Meta(CaseEvent.Meta):
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.action} {self.from_status}→{self.to_status}"


def attachment_path(instance: Any, filename: str) -> str:
    """A random stored name: the citizen's file name (which may name them) stays in the
    database, never in the file system or a URL."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"petitions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix[:5]}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        PetitionEvent, null=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    # A denouncer's own documents may identify them: same visibility as the identity.
    is_identifying = models.BooleanField(_("may identify the denouncer"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Extension(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    clock = models.CharField(max_length=12, choices=Clock.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=60)
    previous_due_on = models.DateField()
    new_due_on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.petition_id} +{self.days} ({self.decision_number})"


class Suspension(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="suspensions")
    started_on = models.DateField(_("suspended on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decision_number = models.CharField(_("decision number"), max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.started_on}–{self.ended_on or ''}"


class IdentityReveal(models.Model):
    """Audit row: who saw a denouncer's identity, when and why."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.PROTECT, related_name="reveals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.petition_id} — {self.created_at:%d/%m/%Y %H:%M}"


class Verification(models.Model):
    """The verification (xác minh) of a first-round complaint: assigned by the lead with a
    due date, reported by the verifier (Law on Complaints art. 29)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="verifications")
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verifier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("report due on"))
    scope = models.TextField(_("what to verify"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"))
    report = models.TextField(_("verification report"), blank=True)
    # Whether the verified facts differ from what the complainant asks: then the law
    # requires a dialogue before the decision (art. 30(1)).
    differs_from_request = models.BooleanField(
        _("the result differs from the complainant's request"), null=True
    )
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        ordering = ["assigned_on", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.assigned_on:%d/%m/%Y}"


class Dialogue(models.Model):
    """A dialogue (đối thoại) with the complainant, scheduled and then minuted."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed: the complainant gave a valid reason")
        ABSENT = "absent", _("The complainant did not attend without a valid reason")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="dialogues")
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=300)
    participants = models.TextField(_("participants"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    complainant_said = models.TextField(_("what the complainant said"), blank=True)
    respondent_said = models.TextField(_("what the respondent and the verifier said"), blank=True)
    agreed = models.TextField(_("what was agreed"), blank=True)
    absence_reason = models.TextField(_("reason given for not attending"), blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("minutes recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def absence_lets_resolution_go_on(self) -> bool:
        """An absence without valid reason no longer holds up the resolution from the day
        the amended law applies (ABSENCE_RULE)."""
        return (
            self.status == self.Status.ABSENT
            and timezone.localdate(self.starts_at) >= ABSENCE_RULE.effective_from
        )


# The moves and the machine live in machine.py; every door asks this module for them.
from . import machine as _machine  # noqa: E402  (it needs the models above)

MACHINE = _machine.MACHINE
MOVES = _machine.MOVES
REOPENABLE_KINDS = _machine.REOPENABLE_KINDS
REOPEN_POLICY = _machine.REOPEN_POLICY
extension_flags = _machine.extension_flags
extension_refusal = _machine.extension_refusal
extensions_allowed = _machine.extensions_allowed
reopen_until = _machine.reopen_until

# The figures' facts of ended petitions (tables kept by a trigger): facts.py.
from .facts import FigureFact, ResolutionDays  # noqa: E402, F401
