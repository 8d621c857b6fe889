"""The figures behind the dashboards, the stats API, the exports and the public page.

Everything here composes the apps' own selectors: the petition figures are those of
petitions.selectors ("the figures": `stats_queryset`, `figure_aggregates`, `with_rates`,
`median_days_to_resolve`), so a number means the same on every page. The summary, each
breakdown and the trend are one query each; Python only merges, ranks and sorts the
handful of aggregate rows that come back. Every figure starts from the viewer's scope
(agencies.scope.visible_agency_ids).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, scope_for, visible_agency_ids
from petitions.models import Channel, Field, Kind, Petition
from petitions.selectors import (
    STAT_DIMENSIONS,
    StatsFilter,
    figure_aggregates,
    median_days_to_resolve,
    stats_queryset,
    with_rates,
)

# Small numbers mislead (DOMAIN.md "The figures"): an agency is ranked only with at
# least this many cases in competence; smaller ones are listed, marked "too few".
MIN_RANKED = 10

DIMENSIONS: tuple[str, ...] = tuple(STAT_DIMENSIONS)
# Dimensions whose values are choices: their labels need no query.
CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "field": dict(Field.choices),
    "kind": dict(Kind.choices),
    "channel": dict(Channel.choices),
}
# Columns fetched with a grouped row so the label comes in the same query.
_LABEL_COLUMNS = {
    "agency": {
        "label": F("handling_agency__name"),
        "short_label": F("handling_agency__short_name"),
    },
    "commune": {"label": F("commune__name")},
}

# The counts a number on a page can drill down to (the rates link to their numerator).
MEASURES: dict[str, Any] = {
    "received": _("Received in the period"),
    "handled": _("Handling decisions in the period"),
    "handled_on_time": _("Handled by the handling due date"),
    "pending_at_start": _("Accepted and pending at the start of the period"),
    "accepted": _("Accepted in the period"),
    "in_competence": _("In competence (pending at the start + accepted in the period)"),
    "resolved": _("Resolved in the period"),
    "resolved_on_time": _("Resolved by the resolution due date"),
    "overdue": _("Open and past due at the end of the period"),
}
# Columns of a figures row that are counts (the rest are rates, labels, ranks).
COUNTS = (
    "received",
    "handled",
    "handled_on_time",
    "pending_at_start",
    "accepted",
    "in_competence",
    "resolved",
    "resolved_on_time",
    "overdue",
)
RATES = ("handled_on_time_rate", "resolution_rate", "on_time_rate")
# Sort keys of a breakdown table ("-" in front: descending).
SORTS = ("label", *COUNTS, *RATES)


# --- who may see the staff figures ----------------------------------------------------


def can_see_dashboard(user: Any) -> bool:
    """Monitors and leads (of any agency) see the dashboard and the staff stats API."""
    scope = scope_for(user)
    return bool(scope.agencies_for(Action.MONITOR) or scope.agencies_for(Action.LEAD))


# --- the filter -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """A validated query: the period and the optional narrowing (dashboards.serializers)."""

    start: date
    end: date
    agency: int | None = None
    province: int | None = None
    commune: int | None = None
    field: str = ""
    kind: str = ""
    channel: str = ""

    def narrowing(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "province": self.province,
            "commune": self.commune,
            "field": self.field,
            "kind": self.kind,
            "channel": self.channel,
        }


def default_period(today: date) -> tuple[date, date]:
    """The current year to date."""
    return date(today.year, 1, 1), today


def stats_filter(user: Any, filters: Filters) -> StatsFilter:
    """The petitions StatsFilter for what `user` may see."""
    return StatsFilter(
        start=filters.start,
        end=filters.end,
        agency_ids=visible_agency_ids(user),
        **filters.narrowing(),
    )


# --- petitions: summary, breakdowns, trend --------------------------------------------


def period_rows(f: StatsFilter) -> QuerySet[Petition]:
    """The viewer's petitions that can count in any figure of the period.

    Every figure needs a case received by the end of the period and not ended before
    its start (ended_on is the day a case left the open statuses, on or after all its
    other dates). Narrowing to those first changes no figure — the tests compare with
    petitions.selectors.figures — but spares the database the years of closed cases.
    """
    return stats_queryset(f).filter(
        Q(received_on__lte=f.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=f.start))
    )


class _MedianDays(Aggregate):
    """PostgreSQL's percentile_cont(0.5) over (resolved_on − received_on) in days: the
    median in the same pass as the counts (a FILTER keeps it to the period's
    resolutions). Elsewhere petitions.selectors.median_days_to_resolve reads it."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, **extra: Any) -> None:
        # date − date is a whole number of days in PostgreSQL.
        days = Func(
            F("resolved_on"),
            F("received_on"),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
        super().__init__(days, **extra)


def summary(f: StatsFilter) -> dict[str, Any]:
    """Every figure for the period and scope (petitions.selectors.figures' definitions):
    one aggregate query on PostgreSQL, the median included."""
    counts = figure_aggregates(f.start, f.end)
    if connection.vendor != "postgresql":
        row = period_rows(f).aggregate(**counts)
        return {**with_rates(row), "median_days_to_resolve": median_days_to_resolve(f)}
    median = _MedianDays(filter=counts["resolved"].filter)
    row = period_rows(f).aggregate(**counts, median_days_to_resolve=median)
    median_days = row.pop("median_days_to_resolve")
    return {**with_rates(row), "median_days_to_resolve": median_days}


def _is_empty(row: dict[str, Any]) -> bool:
    return not any(row[name] for name in COUNTS)


def rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark each row ranked or not and give the ranked ones their place by resolution
    rate (equal rates share a place: 1, 2, 2, 4)."""
    for row in rows:
        row["ranked"], row["rank"] = False, None
    eligible = sorted(
        (r for r in rows if r["in_competence"] >= MIN_RANKED and r["resolution_rate"] is not None),
        key=lambda r: -r["resolution_rate"],
    )
    place, previous = 0, None
    for position, row in enumerate(eligible, start=1):
        if row["resolution_rate"] != previous:
            place, previous = position, row["resolution_rate"]
        row["ranked"], row["rank"] = True, place
    return rows


def breakdown(f: StatsFilter, dimension: str) -> list[dict[str, Any]]:
    """The figures per agency, commune, field, kind or channel: one grouped query.

    Rows with nothing to count in the period are left out (an agency whose cases all
    ended before it); the rest are ranked (`rank`) and ordered by label.
    """
    column = STAT_DIMENSIONS[dimension]
    labels = _LABEL_COLUMNS.get(dimension, {})
    rows = (
        period_rows(f)
        .values(column)
        .annotate(**labels, **figure_aggregates(f.start, f.end))
        .order_by(column)
    )
    result = []
    choice_labels = CHOICE_LABELS.get(dimension)
    for raw in rows:
        key = raw.pop(column)
        row = with_rates({**raw, "key": key})
        if _is_empty(row):
            continue
        if choice_labels is not None:
            row["label"] = choice_labels.get(row["key"], row["key"])
        elif row["key"] is None:
            row["label"] = _("No commune given")
        row.setdefault("short_label", "")
        result.append(row)
    result.sort(key=lambda r: str(r["label"]))
    return rank(result)


def sort_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """Order a breakdown by `sort` (a SORTS key, '-' for descending).

    By a rate, ranked rows come first and rows too small to rank after them, so a
    tiny agency with 1 of 1 never tops the table; rows without a rate come last.
    """
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "label", False
    if key == "label":
        return sorted(rows, key=lambda r: str(r["label"]).lower(), reverse=descending)

    def order(row: dict[str, Any]) -> tuple[bool, bool, float]:
        value = row[key]
        unranked = key in RATES and not row["ranked"]
        if value is None:
            return (unranked, True, 0.0)
        return (unranked, False, -value if descending else value)

    return sorted(rows, key=order)


def months(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s to `end`'s."""
    result = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        result.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


# Measures of the monthly trend; each a count of petitions.selectors.figure_aggregates.
TREND_MEASURES = ("received", "accepted", "resolved", "resolved_on_time")
# 4 counts a month: 20 years stay under the databases' column limits (PostgreSQL 1664).
MAX_MONTHS = 240


def _month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def trend(f: StatsFilter) -> list[dict[str, Any]]:
    """Received, accepted, resolved and resolved on time per month: one query.

    Each measure is counted in the month of its own date (received_on, accepted_on,
    resolved_on), so the months add up to the summary of the same period. A GROUP BY
    can follow only one of those dates, so instead of one grouped query per date (three
    scans) this is one aggregate with a conditional count per month and measure — each
    the very count of petitions.selectors.figure_aggregates for that month — over the
    rows with any of the three dates in the period: a single pass over the table.
    Months with nothing are zeros.
    """
    counts: dict[str, Any] = {}
    for month in months(f.start, f.end):
        in_month = figure_aggregates(max(month, f.start), min(_month_end(month), f.end))
        counts.update({f"{m}_{month:%Y_%m}": in_month[m] for m in TREND_MEASURES})
    span = (f.start, f.end)
    touched = Q(received_on__range=span) | Q(accepted_on__range=span) | Q(resolved_on__range=span)
    row = period_rows(f).filter(touched).aggregate(**counts)
    result = []
    for month in months(f.start, f.end):
        values = {m: row[f"{m}_{month:%Y_%m}"] for m in TREND_MEASURES}
        values["on_time_rate"] = _rate(values["resolved_on_time"], values["resolved"])
        result.append({"month": month, **values})
    return result


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- drill-down ------------------------------------------------------------------------


def measure_filter(start: date, end: date, measure: str) -> Q:
    """The condition a case meets to be counted in `measure`: the very Q of the count in
    petitions.selectors.figure_aggregates, so a list always matches its number."""
    counts = figure_aggregates(start, end)
    if measure == "in_competence":
        return counts["pending_at_start"].filter | counts["accepted"].filter
    return counts[measure].filter


def cases_behind(f: StatsFilter, measure: str) -> QuerySet[Petition]:
    """The petitions counted in `measure` for the period and scope, for listing."""
    order = ("clock_due_on", "id") if measure == "overdue" else ("received_on", "id")
    return (
        stats_queryset(f)
        .filter(measure_filter(f.start, f.end, measure))
        .select_related("handling_agency", "commune")
        .order_by(*order)
    )


# --- choices for the filter form -------------------------------------------------------


@dataclass
class FilterChoices:
    agencies: list[Agency] = field(default_factory=list)
    provinces: list[tuple[int, str]] = field(default_factory=list)
    communes: list[AdministrativeUnit] = field(default_factory=list)


def filter_choices(user: Any) -> FilterChoices:
    """The agencies, provinces and communes a viewer may filter by: two queries."""
    agencies = list(
        Agency.objects.filter(pk__in=visible_agency_ids(user))
        .select_related("province")
        .order_by("name")
    )
    provinces = sorted({(a.province_id, a.province.name) for a in agencies}, key=lambda p: p[1])
    communes = list(
        AdministrativeUnit.objects.filter(
            parent_id__in=[pk for pk, _name in provinces],
            level=AdministrativeUnit.Level.COMMUNE,
        ).order_by("name")
    )
    return FilterChoices(agencies=agencies, provinces=provinces, communes=communes)


# --- the public transparency page ------------------------------------------------------


def public_provinces() -> list[tuple[int, str]]:
    """Provinces that have agencies (a deployment usually serves one): one query."""
    return list(
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.PROVINCE, province_agencies__isnull=False
        )
        .distinct()
        .order_by("name")
        .values_list("pk", "name")
    )


def province_agency_ids(province_id: int) -> frozenset[int]:
    """Every agency of the province (inactive ones keep their history): one query."""
    return frozenset(Agency.objects.filter(province_id=province_id).values_list("pk", flat=True))


def public_figures(agency_ids: frozenset[int], start: date, end: date) -> dict[str, Any]:
    """Province-wide figures for one period: counts and rates only, no case and no person.

    The rows carry agency names and ids, numbers and rates — nothing else leaves here.
    """
    f = StatsFilter(start=start, end=end, agency_ids=agency_ids)
    return {
        "start": start,
        "end": end,
        "summary": summary(f),
        "by_agency": [_public_row(r) for r in breakdown(f, "agency")],
        "by_field": [_public_row(r) for r in breakdown(f, "field")],
        "trend": trend(f),
    }


def _public_row(row: dict[str, Any]) -> dict[str, Any]:
    keep = ("key", "label", "short_label", "ranked", "rank", *COUNTS, *RATES)
    return {name: row[name] for name in keep if name in row}


# --- voter recommendations -------------------------------------------------------------


def recommendations_available() -> bool:
    """Whether the recommendations app offers its figures (it is built in parallel)."""
    try:
        from recommendations import selectors as rs
        from recommendations.models import CarryOver, Forwarding, Recommendation  # noqa: F401
    except ImportError:
        return False
    return all(hasattr(rs, name) for name in ("Figures", "session_figures", "term_figures"))


@dataclass
class RecommendationStats:
    """Voter-recommendation figures per term, per session and per agency answering."""

    terms: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    total: Any  # recommendations.selectors.Figures over the terms shown


def _recommendation_counts(prefix: str = "") -> dict[str, Any]:
    """recommendations.selectors._figures' counts, written for a grouped query.

    Mirrors that private function (forwarded items; answered; on time; one count per
    result category); tests/dashboards/test_recommendations.py checks every session
    and term against session_figures() / term_figures() so the two cannot drift.
    """
    from recommendations.models import Recommendation, ResultCategory

    status = f"{prefix}status"
    forwarded = Q(**{status: Recommendation.Status.FORWARDED})
    return {
        "total": Count("pk"),
        "forwarded": Count("pk", filter=forwarded),
        "answered": Count("pk", filter=forwarded & Q(**{f"{prefix}answered_on__isnull": False})),
        "answered_on_time": Count(
            "pk", filter=forwarded & Q(**{f"{prefix}answered_on_time": True})
        ),
        **{
            value: Count("pk", filter=forwarded & Q(**{f"{prefix}result": value}))
            for value in ResultCategory.values
        },
    }


def _figures_of(row: dict[str, Any], **extra: int) -> Any:
    from recommendations.selectors import Figures

    names = Figures.__dataclass_fields__
    return Figures(**{k: v for k, v in {**row, **extra}.items() if k in names})


def recommendation_stats(user: Any, *, term: int | None = None) -> RecommendationStats:
    """Figures for the councils the viewer may see (sessions and terms) and for the
    agencies answering (forwardings): four grouped queries whatever the data.

    A session counts its own items and those carried over onto its agenda (as
    recommendations.selectors.session_figures does); a term counts each item once.
    """
    from recommendations.models import CarryOver, CouncilSession, Forwarding, Recommendation

    ids = visible_agency_ids(user)
    merged = Recommendation.Status.MERGED
    own = Recommendation.objects.filter(session__council_id__in=ids).exclude(status=merged)
    carried = CarryOver.objects.filter(session__council_id__in=ids).exclude(
        recommendation__status=merged
    )
    forwardings = Forwarding.objects.filter(agency_id__in=ids)
    if term:
        own = own.filter(session__term_id=term)
        carried = carried.filter(session__term_id=term)
        forwardings = forwardings.filter(recommendation__session__term_id=term)

    # 1. per term: every item raised in the term, once
    terms = [
        {
            "id": row["session__term_id"],
            "council": row["session__council__name"],
            "start_year": row["session__term__start_year"],
            "end_year": row["session__term__end_year"],
            "figures": _figures_of(row),
        }
        for row in own.values(
            "session__term_id",
            "session__council__name",
            "session__term__start_year",
            "session__term__end_year",
        )
        .annotate(**_recommendation_counts())
        .order_by("-session__term__start_year", "session__council__name")
    ]

    # 2. per session: its own items, 3. and those carried over onto it
    session_columns = (
        "session_id",
        "session__number",
        "session__kind",
        "session__opens_on",
        "session__status",
        "session__term_id",
        "session__council__name",
    )
    own_rows = {
        row["session_id"]: row
        for row in own.values(*session_columns).annotate(**_recommendation_counts())
    }
    carried_rows = {
        row["session_id"]: row
        for row in carried.values(*session_columns).annotate(
            **_recommendation_counts("recommendation__")
        )
    }
    sessions = []
    for session_id in own_rows.keys() | carried_rows.keys():
        own_row = own_rows.get(session_id, {})
        carried_row = carried_rows.get(session_id, {})
        info = own_row or carried_row
        counts = {
            name: own_row.get(name, 0) + carried_row.get(name, 0)
            for name in _recommendation_counts_names()
        }
        sessions.append(
            {
                "id": session_id,
                "number": info["session__number"],
                "kind": info["session__kind"],
                "title": _session_title(info["session__number"], info["session__kind"]),
                "opens_on": info["session__opens_on"],
                "published": info["session__status"] == CouncilSession.Status.PUBLISHED,
                "term": info["session__term_id"],
                "council": info["session__council__name"],
                "figures": _figures_of(counts, carried_over=carried_row.get("total", 0)),
            }
        )
    sessions.sort(key=lambda s: (s["opens_on"], s["number"]), reverse=True)

    # 4. per agency answering: its forwardings (its own answers and accepted results)
    agencies = [
        {
            "id": row["agency_id"],
            "name": row["agency__name"],
            "figures": _figures_of(row),
        }
        for row in forwardings.values("agency_id", "agency__name")
        .annotate(**_forwarding_counts())
        .order_by("agency__name")
    ]

    total = _figures_of(
        {
            name: sum(getattr(t["figures"], name) for t in terms)
            for name in _recommendation_counts_names()
        }
    )
    return RecommendationStats(terms=terms, sessions=sessions, agencies=agencies, total=total)


def _recommendation_counts_names() -> Iterable[str]:
    from recommendations.models import ResultCategory

    return ("total", "forwarded", "answered", "answered_on_time", *ResultCategory.values)


def _forwarding_counts() -> dict[str, Any]:
    """Per agency: each forwarding once; answered (its current answer), on time, and the
    result the council accepted."""
    from recommendations.models import ResultCategory

    return {
        "total": Count("pk"),
        "forwarded": Count("pk"),
        "answered": Count("pk", filter=Q(answered_on__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(answered_on_time=True)),
        **{value: Count("pk", filter=Q(result=value)) for value in ResultCategory.values},
    }


def _session_title(number: int, kind: str) -> str:
    from recommendations.models import CouncilSession

    # An unsaved instance only to reuse the model's own wording of the title.
    return CouncilSession(number=number, kind=kind).title
