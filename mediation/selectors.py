"""Every read of mediation that is more than a lookup: the case list, one case as a
reader may see it, a team's register, and the figures.

Every queryset starts from the reader's `scope.mediation_scope`. The figures are
one aggregate query each (`Count(filter=…)`), whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from agencies.models import AdministrativeUnit, Field
from casework.rates import mean, percent
from casework.search import narrowed, search_filter

from .models import (
    Kind,
    MediationCase,
    MediationEvent,
    MemberRole,
    Outcome,
    Party,
    Performance,
    Session,
    Team,
    TeamMember,
)
from .parties import MASK, Contact, unseal
from .scope import mediation_scope

# --- cases ----------------------------------------------------------------------------------


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    field: str = ""
    team: int | None = None


def case_list(user: Any, filters: CaseFilters) -> QuerySet[MediationCase]:
    """The cases the reader may see, newest first, with what a list row shows."""
    scope = mediation_scope(user)
    qs = MediationCase.objects.filter(scope.cases_q())
    qs = narrowed(
        qs, status=filters.status, kind=filters.kind, field=filters.field, team_id=filters.team
    )
    if filters.q:
        qs = qs.filter(search_filter(filters.q))
    return qs.select_related("team", "commune", "mediator").prefetch_related(
        Prefetch("parties", queryset=Party.objects.only("id", "case_id", "name", "position"))
    )


def case_for(user: Any, pk: int) -> MediationCase:
    """One case the reader may see, or 404 (someone else's case is not there at all)."""
    case = (
        MediationCase.objects.filter(mediation_scope(user).cases_q(), pk=pk)
        .select_related(
            "team",
            "team__locality",
            "commune",
            "agency",
            "mediator",
            "officer",
            "source_petition",
            "referred_petition",
            "previous",
        )
        .first()
    )
    if case is None:
        raise Http404
    return case


@dataclass(frozen=True)
class PartyView:
    party: Party
    contact: Contact | None  # None: masked for this reader

    @property
    def mask(self) -> str:
        return str(MASK)


def parties_for(user: Any, case: MediationCase) -> list[PartyView]:
    """The parties, with their contacts only for those allowed (scope.may_see_contacts)."""
    allowed = mediation_scope(user).may_see_contacts(case)
    return [
        PartyView(party, unseal(party.contact) if allowed else None) for party in case.parties.all()
    ]


def case_events(case: MediationCase) -> QuerySet[MediationEvent]:
    return case.events.select_related("actor", "agency")


def case_sessions(case: MediationCase) -> QuerySet[Session]:
    return case.sessions.select_related("mediator")


def team_mediators(case: MediationCase, today: date) -> QuerySet[TeamMember]:
    """The members of the case's team serving today (whom a case may be assigned to)."""
    if case.team_id is None:
        return TeamMember.objects.none()
    return TeamMember.objects.serving_on(today).filter(team_id=case.team_id).order_by("full_name")


def teams_for(user: Any) -> QuerySet[Team]:
    """The teams whose cases the reader sees: their own, or their commune's."""
    scope = mediation_scope(user)
    return (
        Team.objects.filter(
            Q(pk__in=scope.member_teams) | Q(commune_id__in=scope.communes), is_active=True
        )
        .select_related("locality", "commune")
        .order_by("commune__name", "name")
    )


def communes_for(user: Any) -> QuerySet[AdministrativeUnit]:
    """The communes whose land disputes the reader may mediate."""
    return AdministrativeUnit.objects.filter(pk__in=mediation_scope(user).communes).order_by("name")


# --- the register (sổ theo dõi hoạt động hòa giải ở cơ sở, Điều 21) -------------------------


def register_team(user: Any, pk: int) -> Team:
    team = teams_for(user).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def register_rows(team: Team, start: date, end: date) -> QuerySet[MediationCase]:
    """A team's cases requested in the period, in the register's order, with the parties,
    sessions and mediator each row prints (a fixed number of queries)."""
    return (
        MediationCase.objects.filter(team=team, requested_on__range=(start, end))
        .select_related("mediator")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.only("id", "case_id", "name", "position")),
            Prefetch("sessions", queryset=Session.objects.order_by("held_on", "id")),
        )
        .order_by("requested_on", "id")
    )


def team_leader(team: Team, today: date) -> TeamMember | None:
    return (
        TeamMember.objects.serving_on(today)
        .filter(team=team, role=MemberRole.LEADER)
        .order_by("term_start")
        .first()
    )


# --- the figures (DOMAIN: "mediation success rate") ------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _counts(period: Period) -> dict[str, Any]:
    concluded = Q(concluded_on__range=(period.start, period.end))
    followed = Q(followed_up_on__range=(period.start, period.end))
    return {
        "requested": Count("id", filter=Q(requested_on__range=(period.start, period.end))),
        "successful": Count("id", filter=concluded & Q(outcome=Outcome.SUCCESSFUL)),
        "unsuccessful": Count("id", filter=concluded & Q(outcome=Outcome.UNSUCCESSFUL)),
        "ended": Count("id", filter=concluded & Q(outcome=Outcome.ENDED)),
        "refused": Count("id", filter=concluded & Q(outcome=Outcome.REFUSED)),
        "performed": Count("id", filter=followed & Q(performance=Performance.PERFORMED)),
        "not_performed": Count("id", filter=followed & Q(performance=Performance.NOT_PERFORMED)),
    }


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    concluded = row["successful"] + row["unsuccessful"]
    followed = row["performed"] + row["not_performed"]
    return {
        **row,
        "concluded": concluded,
        "success_rate": percent(row["successful"], concluded),
        "followed_up": followed,
        "performed_rate": percent(row["performed"], followed),
    }


def _summary(cases: QuerySet[MediationCase], period: Period) -> dict[str, Any]:
    first = Q(first_session_on__range=(period.start, period.end))
    totals = cases.aggregate(
        **_counts(period),
        first_sessions=Count("id", filter=first),
        days_total=Sum("days_to_first_session", filter=first),
        started_on_time=Count("id", filter=first & Q(first_session_on__lte=F("start_due_on"))),
    )
    days_total = totals.pop("days_total")
    summary = _rates(totals)
    summary["mean_days_to_first_session"] = mean(days_total, totals["first_sessions"])
    summary["started_on_time_rate"] = percent(totals["started_on_time"], totals["first_sessions"])
    return summary


def _counted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["requested"] or r["concluded"] or r["followed_up"]]


def figures(
    cases: QuerySet[MediationCase], period: Period, *, detailed: bool = True
) -> dict[str, Any]:
    """The mediation figures of `cases` in `period`: the totals with the mean days from
    assignment to the first session (one aggregate query), and when `detailed` the
    same by field, by commune and by kind (one grouped query each).

    Success rate = successful ÷ (successful + unsuccessful) concluded in the period;
    ended at a party's request and refused are counted apart. Each case counts with
    its latest conclusion (one mediated again is concluded again)."""
    result: dict[str, Any] = {
        "period": period,
        "summary": _summary(cases, period),
        "detailed": detailed,
        "by_field": [],
        "by_commune": [],
        "by_kind": [],
    }
    if not detailed:
        return result
    grouped = cases.order_by()
    labels = dict(Field.choices)
    result["by_field"] = _counted(
        [
            {**_rates(row), "name": labels.get(row["field"], row["field"])}
            for row in grouped.values("field").annotate(**_counts(period)).order_by("field")
        ]
    )
    result["by_commune"] = _counted(
        [
            _rates(row)
            for row in grouped.values("commune_id", "commune__name")
            .annotate(**_counts(period))
            .order_by("commune__name")
        ]
    )
    kinds = dict(Kind.choices)
    result["by_kind"] = [
        {**_rates(row), "name": kinds.get(row["kind"], row["kind"])}
        for row in grouped.values("kind").annotate(**_counts(period)).order_by("kind")
    ]
    return result


def figures_for(user: Any, period: Period, *, detailed: bool = True) -> dict[str, Any]:
    """The figures of the cases the reader may count (their own, or their province's)."""
    scope = mediation_scope(user)
    return figures(MediationCase.objects.filter(scope.figures_q()), period, detailed=detailed)


PUBLIC_CACHE_SECONDS = 300


def public_figures(province_id: int, period: Period) -> dict[str, Any]:
    """A province's totals for the public transparency page (aggregates only, no table
    that could point at a village's few cases), cached a few minutes like the page."""
    key = f"mediation:public:{province_id}:{period.start}:{period.end}"

    def compute() -> dict[str, Any]:
        cases = MediationCase.objects.filter(commune__parent_id=province_id)
        return figures(cases, period, detailed=False)

    found = cache.get_or_set(key, compute, PUBLIC_CACHE_SECONDS)
    return found if isinstance(found, dict) else compute()
