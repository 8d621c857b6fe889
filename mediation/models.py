"""Grassroots mediation (hòa giải ở cơ sở, Luật Hòa giải ở cơ sở 2013) and the commune's
compulsory land-dispute mediation (Luật Đất đai 2024, Điều 235).

A mediation team (tổ hòa giải) serves one village or residential group
(agencies.Locality) under a commune; its members — a leader and mediators — serve
terms with dates. A mediation case is the machine: its moves are data (`MOVES`, with
their guards), made through the one door of casework.transitions (`machine.MACHINE`),
each writing one `MediationEvent`. Parties' contact details are encrypted at rest
(`parties.py`) and shown only to those `scope.py` allows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.clocks import Phase, phase_on
from agencies.models import AdministrativeUnit, Agency, Field, Locality
from agencies.scope import Action
from casework.events import CaseEvent
from casework.fields import optional_link
from casework.transitions import Move, move

# --- teams and their members -------------------------------------------------------------


class Team(models.Model):
    """A mediation team (tổ hòa giải) of one village or residential group."""

    locality = models.ForeignKey(
        Locality, verbose_name=_("village or residential group"), on_delete=models.PROTECT
    )
    # The locality's commune, kept on the team so that a commune's teams (and their
    # cases' figures) are one indexed filter.
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    name = models.CharField(_("name"), max_length=200)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("mediation team")
        verbose_name_plural = _("mediation teams")
        ordering = ["commune__name", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.commune_id = self.locality.commune_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("mediation:register", args=[self.pk])


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Team leader")
    MEDIATOR = "mediator", _("Mediator")


class TeamMemberQuerySet(models.QuerySet["TeamMember"]):
    def serving_on(self, day: date) -> TeamMemberQuerySet:
        """Members whose term of service covers `day`."""
        return self.filter(term_start__lte=day).filter(
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=day)
        )


class TeamMember(models.Model):
    """A leader or mediator of a team for a term of service (Điều 7–8); `user` is their
    portal account when they have one (a mediator without one is recorded by the
    leader)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation_memberships",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term to"), null=True, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "full_name"]
        indexes = [
            # scope.mediation_scope: the teams a user serves in today
            models.Index(fields=["user", "term_start"], name="mediation_member_user"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    def serves_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


# --- the case ------------------------------------------------------------------------------


class Kind(models.TextChoices):
    GRASSROOTS = "grassroots", _("Grassroots mediation")
    LAND = "land", _("Land-dispute mediation at the commune")


REFERENCE_PREFIX = {Kind.GRASSROOTS: "HG", Kind.LAND: "HGĐ"}
# agencies.DeadlinePolicy keys (migration 0002): the 3-day start (Điều 20(2)) and the
# land mediation's 30 days (Luật Đất đai 2024, Điều 235, unverified).
START_POLICY = "mediation.start"
LAND_POLICY = "mediation.land"


class Ground(models.TextChoices):
    """Why a mediation starts (Điều 16)."""

    PARTY_REQUEST = "party_request", _("A party asked for it")
    WITNESSED = "witnessed", _("The mediator witnessed or learnt of it")
    LEADER_ASSIGNED = "leader_assigned", _("Assigned by the team leader")
    AGENCY_REQUEST = "agency_request", _("Requested by an agency or organisation")


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Mediator assigned")
    IN_PROGRESS = "in_progress", _("Being mediated")
    SUCCESSFUL = "successful", _("Successful")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful")
    PERFORMED = "performed", _("Settlement performed")
    NOT_PERFORMED = "not_performed", _("Settlement not performed")
    REFERRED = "referred", _("Referred to the competent authority")
    ENDED = "ended", _("Ended at a party's request")
    REFUSED = "refused", _("Refused by the parties")


OPEN_STATUSES = frozenset({Status.REQUESTED, Status.ASSIGNED, Status.IN_PROGRESS})
# Where the mediation itself is over (a settlement's follow-up may still be open).
FINAL_STATUSES = frozenset({Status.PERFORMED, Status.REFERRED, Status.ENDED, Status.REFUSED})


class Outcome(models.TextChoices):
    """How the latest mediation of a case concluded (the success rate's terms)."""

    SUCCESSFUL = "successful", _("Successful (hòa giải thành)")
    UNSUCCESSFUL = "unsuccessful", _("Unsuccessful (hòa giải không thành)")
    ENDED = "ended", _("Ended at a party's request")
    REFUSED = "refused", _("Refused")


class Performance(models.TextChoices):
    PERFORMED = "performed", _("Performed")
    NOT_PERFORMED = "not_performed", _("Not performed")


class Clock(models.TextChoices):
    START = "start", _("Start of mediation")
    LAND = "land", _("Land-dispute mediation")


class MediationCase(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    ground = models.CharField(_("ground to start"), max_length=16, choices=Ground.choices)
    team = optional_link(Team, _("mediation team"), related_name="cases")
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    # The commune's People's Committee: the agency the case's events are recorded for,
    # whose officials oversee the commune's teams and conduct land mediation.
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("commune People's Committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    subject = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("what the dispute is about"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    mediator = optional_link(TeamMember, _("mediator"), related_name="cases")
    # Land mediation: the commune official who conducts it.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official conducting it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chosen_by_parties = models.BooleanField(_("mediator chosen by the parties"), default=False)

    requested_on = models.DateField(_("requested on"))
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    start_due_on = models.DateField(_("start due by"), null=True, blank=True)
    first_session_on = models.DateField(_("first session on"), null=True, blank=True)
    # Days from assignment to the first session, kept so that its mean is one aggregate.
    days_to_first_session = models.PositiveIntegerField(null=True, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    performance = models.CharField(
        _("settlement performed"), max_length=14, choices=Performance.choices, blank=True
    )
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    court_recognised_on = models.DateField(_("recognised by the court on"), null=True, blank=True)
    court_decision = models.CharField(_("court decision"), max_length=120, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=300, blank=True)

    # The running clock (start while assigned; land from the request to the outcome);
    # read by the reminder sweep and the list's due column (see the indexes).
    clock = models.CharField(_("clock"), max_length=8, choices=Clock.choices, blank=True)
    clock_due_on = models.DateField(_("due date"), null=True, blank=True)
    clock_due_soon_on = models.DateField(null=True, blank=True)
    clock_long_overdue_on = models.DateField(null=True, blank=True)
    clock_rule = models.JSONField(null=True, blank=True)
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)

    # Where the dispute came from, and where it went.
    source_petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("source petition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_reference = models.CharField(_("handed over from"), max_length=120, blank=True)
    previous: models.ForeignKey[MediationCase | None, MediationCase | None] = optional_link(
        "self", _("earlier mediation"), related_name="followups"
    )
    referred_petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition opened on referral"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-requested_on", "-id"]
        indexes = [
            # selectors.case_list and the register: a team's cases, newest first
            models.Index(fields=["team", "requested_on"], name="mediation_team_cases"),
            # selectors.case_list for a commune official: the commune's cases
            models.Index(fields=["commune", "requested_on"], name="mediation_commune_cases"),
            # selectors.figures: conclusions in a period (success rate) by commune
            models.Index(
                fields=["concluded_on", "outcome", "commune", "field", "kind"],
                name="mediation_concluded",
            ),
            # selectors.figures: follow-ups in a period (share performed)
            models.Index(fields=["followed_up_on", "performance"], name="mediation_followed"),
            # reminders.SWEEP: the next clock whose reminder date has come
            models.Index(
                fields=["next_reminder_on", "id"],
                name="mediation_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("mediation:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_land(self) -> bool:
        return self.kind == Kind.LAND

    def phase(self, today: date) -> str:
        due, soon, late = self.clock_due_on, self.clock_due_soon_on, self.clock_long_overdue_on
        if due is None or soon is None or late is None:
            return ""
        return phase_on(today, due_soon_on=soon, due_on=due, long_overdue_on=late).value

    def phase_label(self, today: date) -> str:
        value = self.phase(today)
        return str(Phase(value).label) if value else ""


class CaseSequence(models.Model):
    """The last reference number issued per prefix and year (locked while issuing)."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_mediation_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Party(models.Model):
    """A party to the dispute. The name is shown to those who see the case; phone,
    address and ID number are encrypted (parties.py) and shown only to the mediator,
    the team leader and, for land mediation, the commune's officials."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(_("name"), max_length=150)
    contact = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "position"]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One mediation session: when, where, public or private, and what happened."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    is_public = models.BooleanField(_("held in public"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    mediator = optional_link(TeamMember, _("mediator"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on:%d/%m/%Y}"


class Settlement(models.Model):
    """A written settlement (văn bản hòa giải thành) with the contents of Điều 24."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="settlements")
    made_on = models.DateField(_("made on"))
    basis = models.TextField(_("grounds for mediating"))
    course = models.TextField(_("course of the mediation"))
    agreement = models.TextField(_("agreement reached and solution"))
    rights_and_obligations = models.TextField(_("rights and obligations of the parties"))
    performance_method = models.TextField(_("method and time limit for performing it"))
    signed = models.BooleanField(
        _("signed or fingerprinted by the parties and the mediator"), default=False
    )

    class Meta:
        verbose_name = _("written settlement")
        verbose_name_plural = _("written settlements")
        ordering = ["made_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.made_on:%d/%m/%Y}"


class Obligation(models.Model):
    """What one party must do under a settlement, and by when."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="obligations")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="obligations")
    what = models.TextField(_("what the party must do"))
    due_on = models.DateField(_("by"), null=True, blank=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["settlement", "party__position", "id"]

    def __str__(self) -> str:
        return f"{self.party}: {self.what[:40]}"


class MediationEvent(CaseEvent):
    """One row per change of a mediation case."""

    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("mediation event")
        verbose_name_plural = _("mediation events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.action} {self.from_status}→{self.to_status}"


# --- the moves, as data -------------------------------------------------------------------


def _not_written(case: MediationCase) -> str | None:
    if not case.settlements.exists():
        return gettext("Only a written settlement can be recognised by a court.")
    if case.court_recognised_on is not None:
        return gettext("The court has already recognised this settlement.")
    return None


def _grassroots_only(case: MediationCase) -> str | None:
    if case.kind != Kind.GRASSROOTS:
        return gettext("Only a grassroots mediation has a team's mediator.")
    return None


_ANY = Status.values
# In the order the case page offers them. Action.LEAD: the team leader (or the
# commune's lead); Action.HANDLE: the case's mediator (see scope.MediationScope.can).
MOVES: tuple[Move, ...] = (
    move("assign", {Status.REQUESTED}, Status.ASSIGNED, Action.LEAD, label=_("Assign a mediator")),
    move(
        "replace",
        {Status.ASSIGNED, Status.IN_PROGRESS},
        None,
        Action.LEAD,
        label=_("Replace the mediator"),
        guards=(_grassroots_only,),
    ),
    move(
        "session",
        {Status.ASSIGNED, Status.IN_PROGRESS},
        Status.IN_PROGRESS,
        Action.HANDLE,
        label=_("Record a session"),
        stays_in=frozenset({Status.IN_PROGRESS}),
    ),
    move(
        "succeed",
        {Status.IN_PROGRESS},
        Status.SUCCESSFUL,
        Action.HANDLE,
        label=_("Mediation successful"),
    ),
    move(
        "fail",
        {Status.IN_PROGRESS},
        Status.UNSUCCESSFUL,
        Action.HANDLE,
        label=_("Mediation unsuccessful"),
    ),
    move(
        "end",
        {Status.ASSIGNED, Status.IN_PROGRESS},
        Status.ENDED,
        Action.HANDLE,
        label=_("End at a party's request"),
    ),
    move(
        "refuse",
        {Status.REQUESTED, Status.ASSIGNED},
        Status.REFUSED,
        Action.HANDLE,
        label=_("The parties refuse mediation"),
    ),
    move(
        "resume",
        {Status.UNSUCCESSFUL, Status.NOT_PERFORMED},
        Status.IN_PROGRESS,
        Action.HANDLE,
        label=_("Mediate again"),
    ),
    move(
        "refer",
        {Status.UNSUCCESSFUL, Status.NOT_PERFORMED},
        Status.REFERRED,
        Action.HANDLE,
        label=_("Refer to the competent authority"),
    ),
    move(
        "performed",
        {Status.SUCCESSFUL},
        Status.PERFORMED,
        Action.HANDLE,
        label=_("The settlement was performed"),
    ),
    move(
        "not_performed",
        {Status.SUCCESSFUL},
        Status.NOT_PERFORMED,
        Action.HANDLE,
        label=_("The settlement was not performed"),
    ),
    move(
        "recognise",
        {Status.SUCCESSFUL, Status.PERFORMED, Status.NOT_PERFORMED},
        None,
        Action.HANDLE,
        label=_("Recognised by the court"),
        guards=(_not_written,),
    ),
    move("note", _ANY, None, Action.HANDLE, label=_("Internal note"), records_status=False),
)
