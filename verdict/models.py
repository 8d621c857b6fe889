"""The citizen's verdict on a resolved petition and the voters' verdict on answers.

- `CitizenAnswer`: is the matter settled for the petitioner, and how satisfied are they
  (1–5)? One row per petition, changeable until the case closes; it names the
  resolution it answers (`resolved_on`).
- `Reopening`: the one time a recommendation or reflection was reopened, keeping the
  resolution it undid and the citizen's answer about it (score and comment move there
  from the answer, so the resolution that follows is asked afresh; the petition's own
  row is back to "accepted" with a new clock, its event on the timeline).
- `AskReminder`: the single reminder a citizen who left an e-mail receives, a set
  number of days after the resolution (swept by `reminders.SWEEP`).
- `VoterVote`: a voter's "settled / not settled" on an agency's answer to a voter
  recommendation, one per browser and answer, stored under a keyed digest only.

Nothing here names a person: a denouncer's answer carries no comment, and a comment
is stored encrypted (sealing.crypto) and shown only to the agency and monitors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from petitions.models import Petition
from recommendations.models import Answer as CouncilAnswer


class Score(models.IntegerChoices):
    """How satisfied the citizen is with how the case was handled, in plain words."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class CitizenAnswer(models.Model):
    petition = models.OneToOneField(
        Petition,
        on_delete=models.CASCADE,
        related_name="citizen_answer",
        verbose_name=_("petition"),
    )
    settled = models.BooleanField(_("the matter is settled for the citizen"))
    score = models.PositiveSmallIntegerField(_("satisfaction"), choices=Score.choices)
    # Fernet-encrypted (sealing.crypto): a comment may name people or places.
    comment = models.TextField(_("comment"), blank=True, editable=False)
    # The resolution this answer is about (the petition's resolved_on when given).
    resolved_on = models.DateField(_("answers the resolution of"))
    answered_at = models.DateTimeField(_("first answered at"))
    updated_at = models.DateTimeField(_("last changed at"))

    class Meta:
        verbose_name = _("citizen's answer")
        verbose_name_plural = _("citizens' answers")
        # The figures start from the answers about a period's resolutions
        # (selectors._rows), not from every petition resolved in it.
        indexes = [models.Index(fields=["resolved_on"], name="verdict_answered_resolution")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="verdict_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.score}"


class Reopening(models.Model):
    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="reopening", verbose_name=_("petition")
    )
    reopened_on = models.DateField(_("reopened on"))
    reason = models.TextField(_("reason"))
    # The resolution the citizen did not accept.
    previous_resolved_on = models.DateField(_("resolved on (before reopening)"))
    previous_outcome = models.CharField(_("outcome (before reopening)"), max_length=16)
    previous_decision_number = models.CharField(_("decision (before reopening)"), max_length=60)
    score = models.PositiveSmallIntegerField(_("satisfaction"), choices=Score.choices)
    # The answer's comment, moved here with its score (encrypted like the answer's).
    comment = models.TextField(_("comment"), blank=True, editable=False)
    new_due_on = models.DateField(_("new resolution due"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["-reopened_on", "-id"]
        indexes = [
            # figures.verdict_aggregates: the reopenings of resolutions given in a period
            models.Index(fields=["previous_resolved_on"], name="verdict_reopened_resolution"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.reopened_on:%d/%m/%Y}"


class AskReminder(models.Model):
    """One per resolved petition whose citizen left an e-mail: the day to remind them."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="verdict_reminder"
    )
    remind_on = models.DateField(_("remind on"))
    # The sweep's claim column: set to remind_on when enrolled, NULL once handled.
    next_reminder_on = models.DateField(null=True, blank=True)
    sent = models.BooleanField(_("reminder sent"), default=False)

    class Meta:
        verbose_name = _("answer reminder")
        verbose_name_plural = _("answer reminders")
        indexes = [
            # each batch claim of the sweep (reminders.SWEEP.remind_batch): the next reminder whose day has come, in the
            # claim's order; handled ones (NULL) stay out of it.
            models.Index(
                fields=["next_reminder_on", "id"],
                name="verdict_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.remind_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return str(self.petition.get_absolute_url())

    # casework.reminders.Sweep reads the clock's "due soon" day under its prefix.
    @property
    def ask_due_soon_on(self) -> date:
        return self.remind_on


class VoterVote(models.Model):
    answer = models.ForeignKey(CouncilAnswer, on_delete=models.CASCADE, related_name="voter_votes")
    # keyed_digest(browser id + answer): tells one browser's vote from another's and
    # nothing else — no address, no cookie value, no account.
    voter = models.CharField(max_length=64, editable=False)
    settled = models.BooleanField(pgettext_lazy("voter vote", "settled"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voter's verdict")
        verbose_name_plural = _("voters' verdicts")
        constraints = [
            models.UniqueConstraint(fields=["answer", "voter"], name="verdict_one_vote_per_browser")
        ]

    def __str__(self) -> str:
        return f"{self.answer_id}: {'+' if self.settled else '-'}"


def score_label(value: Any) -> str:
    return str(Score(value).label) if value in Score.values else ""
