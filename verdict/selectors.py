"""Every read of the verdict app: what the citizen's page offers, what officials see of
an answer, the figures (DOMAIN.md "The figures": satisfaction), and the voters' tally.

The figures are database aggregates over the petitions' own figure queryset
(`petitions.selectors.stats_queryset`: the viewer's scope and narrowing), joined to
the answers and reopenings (one row each per petition, so no count is doubled): one
query for a summary, one grouped query for a breakdown, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from agencies.scope import Action, scope_for, visible_agency_ids
from casework.actors import User
from casework.rates import mean, percent
from petitions import moves
from petitions.models import Kind, Petition, Status, reopen_until
from petitions.selectors import STAT_DIMENSIONS, StatsFilter, stats_queryset
from recommendations.models import CouncilSession, Forwarding, Recommendation
from recommendations.selectors import session_scope
from sealing.crypto import decrypt

from .models import CitizenAnswer, Reopening, Score, VoterVote

SCORES = tuple(Score.values)


# --- the citizen's page -----------------------------------------------------------------


@dataclass(frozen=True)
class CitizenView:
    """What the opinion block of a case shows and offers its petitioner now."""

    petition: Petition
    answer: CitizenAnswer | None  # the answer to the current resolution
    reopening: Reopening | None
    can_answer: bool
    can_reopen: bool
    reopen_until: date | None
    can_appeal: bool
    can_add_information: bool

    @property
    def kind(self) -> str:
        return self.petition.kind

    @property
    def asks(self) -> bool:
        """Whether there is anything to show: a resolved case, or a reopened one."""
        return self.can_answer or self.reopening is not None or self.answer is not None


def citizen_view(petition: Petition) -> CitizenView:
    """The opinion block for the petitioner: two queries, and the reopening guards'
    own when the case is a resolved recommendation or reflection."""
    if petition.accepted_on is None:
        # Never accepted, never resolved: nothing to ask, and no query for it.
        return CitizenView(petition, None, None, False, False, None, False, False)
    stored = CitizenAnswer.objects.filter(petition=petition).first()
    current = stored if stored and stored.resolved_on == petition.resolved_on else None
    reopening = Reopening.objects.filter(petition=petition).first()
    resolved = petition.status == Status.RESOLVED
    offered = moves.citizen_actions(petition) if resolved else set()
    return CitizenView(
        petition=petition,
        answer=current,
        reopening=reopening,
        can_answer=resolved,
        can_reopen="reopen" in offered,
        reopen_until=reopen_until(petition) if resolved and reopening is None else None,
        can_appeal="appeal" in offered,
        can_add_information=petition.kind == Kind.DENUNCIATION and "add_info" in offered,
    )


# --- what officials see ------------------------------------------------------------------


@dataclass(frozen=True)
class StaffView:
    answer: CitizenAnswer | None
    comment: str
    reopening: Reopening | None
    reopening_comment: str


def staff_view(user: User, petition: Petition) -> StaffView | None:
    """The citizen's answer (and comment) for the agency's officials and monitors — the
    case page already checked that the user sees the case; None for anyone else."""
    if petition.accepted_on is None or not scope_for(user).can(
        petition.handling_agency_id, Action.VIEW
    ):
        return None
    answer = CitizenAnswer.objects.filter(petition=petition).first()
    reopening = Reopening.objects.filter(petition=petition).first()
    return StaffView(
        answer=answer,
        comment=answer_comment(answer) if answer else "",
        reopening=reopening,
        reopening_comment=answer_comment(reopening) if reopening else "",
    )


def answer_comment(answer: CitizenAnswer | Reopening) -> str:
    return (decrypt(answer.comment) or "") if answer.comment else ""


def answers_for_staff(user: User) -> QuerySet[CitizenAnswer]:
    """The citizens' answers on the cases the user sees (their agencies; a monitor's
    province), newest first — comments are read per row of a page (25)."""
    return (
        CitizenAnswer.objects.filter(petition__handling_agency_id__in=visible_agency_ids(user))
        .select_related("petition", "petition__handling_agency")
        .order_by("-updated_at", "-id")
    )


# --- the figures -------------------------------------------------------------------------


def verdict_aggregates(start: date, end: date) -> dict[str, Any]:
    """The conditional counts behind the verdict figures of a period, over petitions.

    A resolution of the period is either the case's current one (resolved_on in the
    period) or one the citizen reopened (its previous_resolved_on in the period); an
    answer counts for the current resolution only if it was given about it."""
    resolved = Q(resolved_on__range=(start, end))
    current = resolved & Q(citizen_answer__resolved_on=F("resolved_on"))
    reopened = Q(reopening__previous_resolved_on__range=(start, end))
    counts: dict[str, Any] = {
        "confirmed": Count("id", filter=current & Q(citizen_answer__settled=True)),
        "disputed": Count("id", filter=current & Q(citizen_answer__settled=False)),
        "reopened": Count("id", filter=reopened),
    }
    for n in SCORES:
        counts[f"score_{n}"] = Count("id", filter=current & Q(citizen_answer__score=n))
        counts[f"reopened_score_{n}"] = Count("id", filter=reopened & Q(reopening__score=n))
    return counts


def verdict_of(row: dict[str, Any]) -> dict[str, Any]:
    """The figures from the counts: every share over the resolutions given in the
    period, the mean with its count and distribution (never a mean alone)."""
    resolved, reopened = row.get("resolved", 0), row.get("reopened", 0)
    confirmed, disputed = row.get("confirmed", 0), row.get("disputed", 0)
    resolutions = resolved + reopened
    answered = confirmed + disputed + reopened
    distribution = [
        {
            "score": n,
            "label": Score(n).label,
            "count": row.get(f"score_{n}", 0) + row.get(f"reopened_score_{n}", 0),
        }
        for n in SCORES
    ]
    count = sum(d["count"] for d in distribution)
    total = sum(d["score"] * d["count"] for d in distribution)
    return {
        "resolutions": resolutions,
        "answered": answered,
        "response_rate": percent(answered, resolutions),
        "confirmed": confirmed,
        "confirmed_rate": percent(confirmed, resolutions),
        "disputed": disputed,
        "disputed_rate": percent(disputed, resolutions),
        "reopened": reopened,
        "reopened_rate": percent(reopened, resolutions),
        "satisfaction_mean": mean(total, count),
        "satisfaction_count": count,
        "distribution": distribution,
    }


EMPTY = verdict_of({})


def _rows(f: StatsFilter) -> QuerySet[Petition]:
    """The petitions a citizen answered about a resolution of the period, or reopened
    one of them: read from the answers and reopenings (a few rows), not from every
    petition resolved in the period."""
    span = (f.start, f.end)
    answered = CitizenAnswer.objects.filter(resolved_on__range=span).values("petition_id")
    reopened = Reopening.objects.filter(previous_resolved_on__range=span).values("petition_id")
    # No ordering inside a UNION (SQLite refuses it; neither database needs it).
    answered, reopened = answered.order_by(), reopened.order_by()
    return stats_queryset(f).filter(pk__in=answered.union(reopened))


def _resolved(f: StatsFilter) -> QuerySet[Petition]:
    return stats_queryset(f).filter(resolved_on__range=(f.start, f.end))


def summary(f: StatsFilter, *, resolved: int | None = None) -> dict[str, Any]:
    """The verdict figures for a period and scope: one aggregate query over the answers.

    `resolved` is the period's resolutions as the caller has counted them (the
    dashboards' petition figures); without it, one more query counts them."""
    row = _rows(f).aggregate(**verdict_aggregates(f.start, f.end))
    row["resolved"] = _resolved(f).count() if resolved is None else resolved
    return verdict_of(row)


def by(
    f: StatsFilter, dimension: str, *, resolved: dict[Any, int] | None = None
) -> dict[Any, dict[str, Any]]:
    """The same per agency, commune, field, kind or channel (one grouped query), by key;
    `resolved` as in `summary`, per key."""
    column = STAT_DIMENSIONS[dimension]
    if resolved is None:
        resolved = {
            row[column]: row["n"]
            for row in _resolved(f).values(column).annotate(n=Count("id")).order_by()
        }
    rows = {
        row.pop(column): row
        for row in _rows(f).values(column).annotate(**verdict_aggregates(f.start, f.end)).order_by()
    }
    return {
        key: verdict_of({**rows.get(key, {}), "resolved": resolved.get(key, 0)})
        for key in rows.keys() | {k for k, n in resolved.items() if n}
    }


def attach(rows: list[dict[str, Any]], figures: dict[Any, dict[str, Any]]) -> list[dict[str, Any]]:
    """Put each row's verdict figures beside its own (`row["verdict"]`)."""
    for row in rows:
        row["verdict"] = figures.get(row["key"], EMPTY)
    return rows


# --- voters' verdict on answers -------------------------------------------------------


def session_tally(session: CouncilSession) -> list[Forwarding]:
    """The session's accepted answers with the voters' votes on each (`settled_votes`,
    `unsettled_votes`) beside the council's assessment: one query."""
    return list(
        Forwarding.objects.filter(
            recommendation__in=_session_items(session), accepted_answer__isnull=False
        )
        .select_related("agency", "accepted_answer", "recommendation")
        .annotate(
            settled_votes=Count(
                "accepted_answer__voter_votes",
                filter=Q(accepted_answer__voter_votes__settled=True),
            ),
            unsettled_votes=Count(
                "accepted_answer__voter_votes",
                filter=Q(accepted_answer__voter_votes__settled=False),
            ),
        )
        .order_by("recommendation_id", "agency__name")
    )


def _session_items(session: CouncilSession) -> Any:
    return Recommendation.objects.filter(session_scope(session)).values("pk")


def answer_tally(answer_id: int) -> dict[str, int]:
    """Votes on one answer: one query."""
    return VoterVote.objects.filter(answer_id=answer_id).aggregate(
        settled=Count("id", filter=Q(settled=True)),
        unsettled=Count("id", filter=Q(settled=False)),
    )


def votable_answer(answer_id: int) -> Forwarding | None:
    """The forwarding whose accepted answer this is, when voters may see it (a session
    it is on — raised there or carried over onto it — is published); else None."""
    published = CouncilSession.Status.PUBLISHED
    return (
        Forwarding.objects.filter(accepted_answer_id=answer_id)
        .filter(
            Q(recommendation__session__status=published)
            | Q(recommendation__carry_overs__session__status=published)
        )
        .select_related("accepted_answer")
        .first()
    )
