"""Voter recommendations (kiến nghị cử tri): terms, sessions, voter meetings, the items
voters raised, their forwarding to agencies, the agencies' answers and the council's
assessment.

Three things have a status, each with its moves as data at the end of this module
(casework.transitions): a session (preparing → published), a recommendation
(collected → consolidated → forwarded, or merged into another) and a forwarding to one
agency (forwarded → answered → accepted, or sent back). Each model's `TRANSITIONS` is
derived from its machine, and only a machine's `apply()` writes a status.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from operator import attrgetter
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.clocks import Phase, phase_on
from agencies.models import AdministrativeUnit, Agency, Field
from agencies.scope import Action
from casework.events import CaseEvent
from casework.fields import commune_field, optional_link
from casework.transitions import Machine, move

from . import public_cache


class ResultCategory(models.TextChoices):
    """How an agency's answer classifies the result (the categories councils report)."""

    RESOLVED = "resolved", pgettext_lazy("result category", "Resolved")
    IN_PROGRESS = "in_progress", pgettext_lazy("result category", "In progress")
    PLANNED = "planned", pgettext_lazy("result category", "Planned with a deadline")
    EXPLAINED = "explained", pgettext_lazy("result category", "Explained, information provided")
    NOT_RESOLVED = "not_resolved", pgettext_lazy("result category", "Not resolved")


# A recommendation forwarded to several agencies takes the least advanced of their
# accepted categories: it is resolved only when every agency resolved its part.
CATEGORY_RANK: dict[str, int] = {
    ResultCategory.NOT_RESOLVED: 0,
    ResultCategory.PLANNED: 1,
    ResultCategory.IN_PROGRESS: 2,
    ResultCategory.EXPLAINED: 3,
    ResultCategory.RESOLVED: 4,
}
# Categories that close the matter; the others carry over to the next session.
CLOSED_CATEGORIES = frozenset({ResultCategory.RESOLVED, ResultCategory.EXPLAINED})


def _by_user(*, blank: bool = False) -> models.ForeignKey[Any, Any]:
    """The official who recorded, answered or assessed a row: the row outlives the account
    (the link becomes null), and nobody is ever named through a reverse relation."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def _council() -> models.ForeignKey[Agency, Agency]:
    """The People's Council a term or a session belongs to; only a council may be chosen."""
    return models.ForeignKey(
        Agency,
        verbose_name=_("People's Council"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Agency.Kind.PEOPLES_COUNCIL},
    )


class Term(models.Model):
    """A council's term of office (nhiệm kỳ), e.g. 2026–2031 elected on 15/03/2026."""

    council = _council()
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    elected_on = models.DateField(_("elected on"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "start_year"], name="unique_term_per_council"
            )
        ]

    def __str__(self) -> str:
        return str(_("Term %(start)s–%(end)s") % {"start": self.start_year, "end": self.end_year})


class Stateful(models.Model):
    """A row with a status whose moves are one of the machines below. Their one update
    is guarded on the status and on `updated_at`, which every change moves on."""

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]]  # derived from the machine (below)
    status: Any
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def can_transition_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class CouncilSession(Stateful):
    """A session (kỳ họp) of a People's Council, whose results are published to voters."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        THEMATIC = "thematic", _("Thematic")

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Results not published")
        PUBLISHED = "published", _("Results published")

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="sessions"
    )
    # The term's council, repeated so that scope is one indexed filter.
    council = _council()
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(
        pgettext_lazy("session", "kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-opens_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="unique_session_number")
        ]
        indexes = [
            # selectors.visible_sessions / published_sessions: a council's sessions by date
            models.Index(fields=["council", "opens_on"], name="session_council_date"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("recommendations:session", args=[self.pk])

    @property
    def title(self) -> str:
        if self.kind == self.Kind.THEMATIC:
            return str(_("Session %(number)s (thematic)") % {"number": self.number})
        return str(_("Session %(number)s") % {"number": self.number})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class VoterMeeting(models.Model):
    """A meeting of deputies with voters (tiếp xúc cử tri) before or after a session."""

    class Timing(models.TextChoices):
        BEFORE = "before", _("Before the session")
        AFTER = "after", _("After the session")

    session = models.ForeignKey(
        CouncilSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="meetings"
    )
    timing = models.CharField(_("when"), max_length=6, choices=Timing.choices)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deputies = models.TextField(_("deputies present"))
    voters_count = models.PositiveIntegerField(_("voters present"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = _by_user()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voter meeting")
        verbose_name_plural = _("voter meetings")
        ordering = ["held_on", "id"]
        indexes = [
            # selectors.session_meetings: a session's meetings by date
            models.Index(fields=["session", "held_on"], name="meeting_session_date"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:meeting", args=[self.pk])


class Recommendation(Stateful):
    """One matter voters raised, possibly at many meetings (its sources)."""

    class Status(models.TextChoices):
        COLLECTED = "collected", pgettext_lazy("recommendation status", "Collected")
        CONSOLIDATED = "consolidated", pgettext_lazy("recommendation status", "Consolidated")
        MERGED = "merged", pgettext_lazy("recommendation status", "Merged into another")
        FORWARDED = "forwarded", pgettext_lazy("recommendation status", "Forwarded")

    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text=_("The session for which voters first raised it."),
    )
    content = models.TextField(_("content"))
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    commune = commune_field()
    locality = models.CharField(
        _("locality"), max_length=200, blank=True, help_text=_("Village, hamlet, street…")
    )
    voters_count = models.PositiveIntegerField(_("voters raising it"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.COLLECTED
    )
    merged_into: models.ForeignKey[Recommendation | None, Recommendation | None] = optional_link(
        "self", _("merged into"), related_name="merged"
    )
    # Age and repetition, kept up to date by the consolidation service.
    first_raised_on = models.DateField(_("first raised on"))
    times_raised = models.PositiveSmallIntegerField(_("sessions at which it was raised"), default=1)
    # The combined outcome of its forwardings, refreshed by the forwarding services so
    # that the figures are one aggregate over this table (selectors.figures).
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=12, choices=ResultCategory.choices, blank=True
    )
    result_on = models.DateField(_("result accepted on"), null=True, blank=True)
    # unidecode'd, lower-cased words for search with or without diacritics.
    search_text = models.TextField(editable=False, default="")
    created_by = _by_user()

    class Meta:
        verbose_name = _("voter recommendation")
        verbose_name_plural = _("voter recommendations")
        ordering = ["field", "id"]
        indexes = [
            # selectors.session_recommendations and the figures: a session's items by status
            models.Index(fields=["session", "status"], name="rec_session_status"),
            # selectors.figures: results by category
            models.Index(fields=["session", "result"], name="rec_session_result"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.content[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    def age_days(self, today: date) -> int:
        """Days since voters first raised it, up to the accepted result if it is closed."""
        end = self.result_on if self.result in CLOSED_CATEGORIES and self.result_on else today
        return max((end - self.first_raised_on).days, 0)

    @property
    def age(self) -> int:
        """Days since first raised, as of today (Vietnam time)."""
        return self.age_days(timezone.localdate())

    @property
    def is_closed(self) -> bool:
        return self.result in CLOSED_CATEGORIES


class RecommendationSource(models.Model):
    """Where a recommendation came from: one meeting, with the words voters used there.

    Merging moves a duplicate's sources to the item it is merged into; `collected_as`
    keeps the item each source was first recorded as, so provenance is never lost.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="sources"
    )
    collected_as = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded as")
    )
    meeting = models.ForeignKey(
        VoterMeeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="sources"
    )
    content = models.TextField(_("as raised at the meeting"))
    voters_count = models.PositiveIntegerField(_("voters raising it"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["meeting__held_on", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ← {self.meeting_id}"


class CarryOver(models.Model):
    """A recommendation not resolved by a later session, carried onto its agenda."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="carry_overs"
    )
    session = models.ForeignKey(
        CouncilSession,
        verbose_name=_("carried to"),
        on_delete=models.PROTECT,
        related_name="carried_over",
    )
    carried_on = models.DateField(_("carried over on"))
    created_by = _by_user()

    class Meta:
        verbose_name = _("carry-over")
        verbose_name_plural = _("carry-overs")
        ordering = ["carried_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "session"], name="unique_carry_over")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.session_id}"


class Forwarding(Stateful):
    """A recommendation sent to one agency for an answer, on the `voter.answer` clock."""

    class Status(models.TextChoices):
        FORWARDED = "forwarded", _("Awaiting the answer")
        ANSWERED = "answered", _("Answered, awaiting assessment")
        ACCEPTED = "accepted", _("Answer accepted")

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="forwardings",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    dispatch_number = models.CharField(_("dispatch number"), max_length=60)
    dispatched_on = models.DateField(_("dispatch date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FORWARDED
    )
    rounds = models.PositiveSmallIntegerField(_("times sent"), default=1)
    # The answer clock (agencies.clocks.Clock.as_fields("answer")).
    answer_due_on = models.DateField(_("answer due"))
    answer_due_soon_on = models.DateField()
    answer_long_overdue_on = models.DateField()
    answer_rule = models.JSONField()
    # When the reminder sweep next has something to say about the answer clock
    # (recommendations.reminders); None once answered or when nothing is left to say.
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)
    # The current answer (cleared when sent back) and the last accepted result.
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    current_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(
        _("accepted result"), max_length=12, choices=ResultCategory.choices, blank=True
    )
    result_on = models.DateField(_("result accepted on"), null=True, blank=True)
    # A handler's draft answer, which a lead reviews and submits.
    draft = models.JSONField(default=dict, blank=True, editable=False)
    draft_by = _by_user(blank=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    # The draft's answer document: it becomes the answer's unless the lead attaches another.
    draft_document = models.FileField(
        _("draft answer document"),
        upload_to="recommendations/drafts/%Y/%m/",
        blank=True,
        editable=False,
    )
    created_by = _by_user()

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["answer_due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "agency"], name="unique_forwarding_per_agency"
            )
        ]
        indexes = [
            # selectors.agency_inbox: an agency's forwardings by status, soonest due first
            models.Index(fields=["agency", "status", "answer_due_on"], name="fwd_inbox"),
            # selectors.agency_inbox phase filters (agencies.clocks.phase_filter on
            # answer_due_soon_on / answer_long_overdue_on) and a future reminder sweep
            models.Index(fields=["status", "answer_due_soon_on"], name="fwd_due_soon"),
            models.Index(fields=["status", "answer_long_overdue_on"], name="fwd_long_overdue"),
            # each batch claim of the sweep (reminders.SWEEP.remind_batch): the next forwarding whose reminder date has
            # come, in the claim's order (next_reminder_on, pk), so each claim reads one
            # entry; answered forwardings (NULL: nothing to say) stay out of it.
            models.Index(
                fields=["next_reminder_on", "id"],
                name="fwd_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} → {self.agency}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:forwarding", args=[self.pk])

    def phase(self, today: date) -> str:
        """The answer clock's phase while an answer is awaited; '' otherwise."""
        if self.status != self.Status.FORWARDED:
            return ""
        return phase_on(
            today,
            due_soon_on=self.answer_due_soon_on,
            due_on=self.answer_due_on,
            long_overdue_on=self.answer_long_overdue_on,
        ).value

    def phase_label(self, today: date) -> str:
        value = self.phase(today)
        return str(Phase(value).label) if value else ""

    @property
    def due_set_by_council(self) -> bool:
        return bool((self.answer_rule or {}).get("set_by_council"))


class Answer(models.Model):
    """One answer of an agency (each time the forwarding is sent back, a new one)."""

    class Assessment(models.TextChoices):
        PENDING = "pending", pgettext_lazy("assessment", "Awaiting assessment")
        ACCEPTED = "accepted", pgettext_lazy("assessment", "Accepted")
        SENT_BACK = "sent_back", pgettext_lazy("assessment", "Sent back")

    forwarding = models.ForeignKey(
        Forwarding, verbose_name=_("forwarding"), on_delete=models.CASCADE, related_name="answers"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    text = models.TextField(_("answer"))
    category = models.CharField(_("result"), max_length=12, choices=ResultCategory.choices)
    reason = models.TextField(_("reason it is not resolved"), blank=True)
    planned_by = models.DateField(_("planned to be resolved by"), null=True, blank=True)
    document_number = models.CharField(_("answer document number"), max_length=60)
    document = models.FileField(
        _("answer document"), upload_to="recommendations/answers/%Y/%m/", blank=True
    )
    answered_on = models.DateField(_("answered on"))
    due_on = models.DateField(_("due on"))
    on_time = models.BooleanField(_("on time"))
    answered_by = _by_user()
    # The council's assessment of this answer, written by the accept / send-back moves.
    assessment = models.CharField(
        _("assessment"), max_length=10, choices=Assessment.choices, default=Assessment.PENDING
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    assessed_by = _by_user(blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.forwarding_id} #{self.round} ({self.get_category_display()})"


class RecommendationEvent(CaseEvent):
    """One row per change (casework.events.CaseEvent): who did what, for which agency,
    from which status to which, and why — linked to the session, and to the item and
    the forwarding it concerns."""

    class Action(models.TextChoices):
        SESSION_CREATE = "session_create", _("Session created")
        MEETING = "meeting", _("Voter meeting recorded")
        COLLECT = "collect", pgettext_lazy("recommendation event", "Collected")
        CONSOLIDATE = "consolidate", pgettext_lazy("recommendation event", "Consolidated")
        MERGE = "merge", pgettext_lazy("recommendation event", "Merged")
        FORWARD = "forward", pgettext_lazy("recommendation event", "Forwarded")
        DRAFT = "draft", _("Draft answer saved")
        ANSWER = "answer", pgettext_lazy("recommendation event", "Answered")
        ACCEPT = "accept", pgettext_lazy("recommendation event", "Answer accepted")
        SEND_BACK = "send_back", pgettext_lazy("recommendation event", "Sent back")
        CARRY_OVER = "carry_over", pgettext_lazy("recommendation event", "Carried over")
        PUBLISH = "publish", _("Results published")

    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # No citizen follows a recommendation: "public" marks what voters' pages may show,
    # and the internal steps (collecting, merging, drafts) are not.
    is_public = models.BooleanField(_("public"), default=False)
    session = models.ForeignKey(
        CouncilSession, on_delete=models.CASCADE, related_name="events", verbose_name=_("session")
    )
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("recommendation"),
    )
    forwarding = models.ForeignKey(
        Forwarding,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("forwarding"),
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("recommendation event")
        verbose_name_plural = _("recommendation events")

    def status_label(self, value: str) -> Any:
        """The label of a status value in whichever table it belongs to."""
        model: Any = (
            Forwarding
            if self.forwarding_id
            else Recommendation
            if self.recommendation_id
            else CouncilSession
        )
        return dict(model.Status.choices).get(value, value)

    @property
    def from_label(self) -> Any:
        return self.status_label(self.from_status)

    @property
    def to_label(self) -> Any:
        return self.status_label(self.to_status)


# --- the moves (casework.transitions) ---------------------------------------------------
# Who decides: council staff (`Action.COUNCIL` on the session's People's Council) for
# everything but the answer, which the answering agency's lead signs (a handler may
# draft it). A forwarding belongs to its agency, so the council's moves on it name the
# council as the deciding agency.

Event = RecommendationEvent.Action
S, R, F = CouncilSession.Status, Recommendation.Status, Forwarding.Status
COUNCIL = Action.COUNCIL
session_council = attrgetter("council_id")
item_council = attrgetter("session.council_id")
forwarding_council = attrgetter("recommendation.session.council_id")


def _no_answer_awaited(forwarding: Forwarding) -> Promise | None:
    if forwarding.status != F.FORWARDED:
        return _("There is no answer to draft: it is not awaited.")
    return None


def _matter_closed(forwarding: Forwarding) -> Promise | None:
    # An accepted "in progress" or "planned" answer may be sent back for an update
    # before the next session; a resolved or explained one closed the matter.
    if forwarding.status == F.ACCEPTED and forwarding.result in CLOSED_CATEGORIES:
        return _("The accepted answer closed the matter; there is nothing to update.")
    return None


def _not_pending(item: Recommendation) -> Promise | None:
    if item.status != R.FORWARDED or item.is_closed:
        return _("Only forwarded recommendations that are not resolved carry over.")
    return None


def _move(name: str, sources: Any, target: str | None, action: Action, **options: Any) -> Any:
    """A move labelled, in refusals, like the event it writes."""
    return move(name, sources, target, action, label=Event(name).label, **options)


SESSION_MOVES = (
    # What council staff do within a session (its pages offer them): the status stays,
    # each writes rows of its own (forwarding many items under one dispatch, …).
    _move("forward", S, None, COUNCIL),
    _move("publish", [S.PREPARING], S.PUBLISHED, COUNCIL),
    *(_move(name, S, None, COUNCIL) for name in ("meeting", "collect", "carry_over")),
)
RECOMMENDATION_MOVES = (
    # A consolidated item may absorb one more duplicate; a forwarded one stays with its
    # agencies when the same matter, raised again, is merged into it.
    _move(
        "consolidate",
        [R.COLLECTED, R.CONSOLIDATED, R.FORWARDED],
        R.CONSOLIDATED,
        COUNCIL,
        stays_in=frozenset({R.FORWARDED.value}),
    ),
    _move("merge", [R.COLLECTED, R.CONSOLIDATED], R.MERGED, COUNCIL),
    # A forwarded item may go to one more agency.
    _move("forward", [R.CONSOLIDATED, R.FORWARDED], R.FORWARDED, COUNCIL),
    _move("carry_over", R, None, COUNCIL, guards=(_not_pending,)),
)
FORWARDING_MOVES = (
    _move("draft", F, None, Action.HANDLE, guards=(_no_answer_awaited,), records_status=False),
    _move("answer", [F.FORWARDED], F.ANSWERED, Action.LEAD),
    _move("accept", [F.ANSWERED], F.ACCEPTED, COUNCIL, agency=forwarding_council),
    _move(
        "send_back",
        [F.ANSWERED, F.ACCEPTED],
        F.FORWARDED,
        COUNCIL,
        agency=forwarding_council,
        guards=(_matter_closed,),
    ),
)
WRONG_STATUS = pgettext_lazy(
    "voter recommendations", "“%(move)s” is not possible while it is “%(status)s”."
)


def _status_label(case: Any, status: str) -> str:
    return str(dict(type(case).Status.choices).get(status, status))


def _machine(model: Any, moves: Any, agency_of: Any, links: Any, council_of: Any = None) -> Any:
    council_of = council_of or agency_of

    def after_event(case: Any, event: Any) -> None:
        # The public figures change with any event: drop them once it is committed.
        transaction.on_commit(partial(public_cache.bump, council_of(case)))

    machine = Machine(
        model=model,
        moves=moves,
        event_model=RecommendationEvent,
        agency_of=agency_of,
        event_links=links,
        status_label=_status_label,
        wrong_status=WRONG_STATUS,
        after_event=after_event,
    )
    # Every status has an entry, those with no move left too (a merged item).
    model.TRANSITIONS = {s: machine.transitions.get(s, frozenset()) for s in model.Status}
    return machine


SESSION_MACHINE = _machine(CouncilSession, SESSION_MOVES, session_council, lambda s: {"session": s})
RECOMMENDATION_MACHINE = _machine(
    Recommendation,
    RECOMMENDATION_MOVES,
    item_council,
    lambda item: {"session_id": item.session_id, "recommendation": item},
)
FORWARDING_MACHINE = _machine(
    Forwarding,
    FORWARDING_MOVES,
    attrgetter("agency_id"),
    lambda f: {
        "session_id": f.recommendation.session_id,
        "recommendation_id": f.recommendation_id,
        "forwarding": f,
    },
    council_of=forwarding_council,
)

# The figures' running tallies (tables kept by triggers): tallies.py.
from .tallies import ForwardingTally, SessionTally  # noqa: E402, F401
