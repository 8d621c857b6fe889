"""The figures behind the dashboards, the stats API, the exports and the public page.

Everything here composes the apps' own selectors: the petition figures are those of
petitions.selectors ("the figures": `stats_queryset`, `figure_aggregates`, `with_rates`,
`median_days_to_resolve`) and the voter-recommendation counts those of
recommendations.selectors (`figure_aggregates`, `figures_of`), so a number means the
same on every page. The petition counts come from petitions.figures: on PostgreSQL the
facts of ended cases for the period's whole months plus a live count of the rest (one
query each), elsewhere a live count; Python only merges, ranks and sorts the handful of
aggregate rows that come back. Every figure starts from the viewer's scope
(agencies.scope.visible_agency_ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from agencies.models import AdministrativeUnit, Agency
from agencies.names import vietnamese_sort_key
from agencies.scope import Action, scope_for, visible_agency_ids
from casework.actors import User
from casework.rates import percent
from petitions import figures as petition_figures
from petitions.models import Channel, Field, Kind, Petition
from petitions.selectors import (
    STAT_DIMENSIONS,
    StatsFilter,
    figure_aggregates,
    median_days_to_resolve,
    stats_queryset,
    with_rates,
)
from recommendations import selectors as voter_figures
from recommendations import tallies as voter_tallies
from recommendations.models import CarryOver, CouncilSession, Forwarding, Recommendation
from recommendations.selectors import FIGURE_COUNTS, Figures, figures_of
from verdict import selectors as verdict_figures

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


def can_see_dashboard(user: User) -> bool:
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


def stats_filter(user: User, filters: Filters) -> StatsFilter:
    """The petitions StatsFilter for what `user` may see."""
    return StatsFilter(
        start=filters.start,
        end=filters.end,
        agency_ids=visible_agency_ids(user),
        **filters.narrowing(),
    )


# --- petitions: summary, breakdowns, trend --------------------------------------------

# Within, the figures of one filter share one pass over the open cases (a page's).
one_pass = petition_figures.one_pass


def summary(f: StatsFilter) -> dict[str, Any]:
    """Every figure for the period and scope (petitions.selectors.figures' definitions),
    from petitions.figures: the facts of ended cases for the whole months, a live count
    of the rest (one query each), and the median from the same two parts."""
    median = (
        petition_figures.median_days(f)
        if petition_figures.serves_median(f)
        else median_days_to_resolve(f)
    )
    counts = petition_figures.counts(f)
    return {
        **with_rates(counts),
        "median_days_to_resolve": median,
        # Beside the resolution rate: the citizens' verdict (one query of its own).
        "verdict": verdict_figures.summary(f, resolved=counts["resolved"]),
    }


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
    """The figures per agency, commune, field, kind or channel (petitions.figures:
    grouped facts and a grouped live count).

    Rows with nothing to count in the period are left out (an agency whose cases all
    ended before it); the rest are ranked (`rank`) and ordered by label. The groups are
    bare ids: the names of agencies and communes come after, in one small query.
    """
    rows = [
        with_rates({**counts, "key": key})
        for key, counts in petition_figures.counts_by(f, dimension).items()
    ]
    rows = [row for row in rows if not _is_empty(row)]
    labels = _labels(dimension, [row["key"] for row in rows])
    result = []
    for row in rows:
        row["label"], row["short_label"] = labels.get(row["key"], (str(row["key"]), ""))
        if row["key"] is None:
            row["label"] = _("No commune given")
        result.append(row)
    result.sort(key=lambda r: str(r["label"]))
    resolved = {row["key"]: row["resolved"] for row in result}
    return verdict_figures.attach(rank(result), verdict_figures.by(f, dimension, resolved=resolved))


def commune_breakdown(f: StatsFilter) -> list[dict[str, Any]]:
    """The table by commune (`breakdown`): communes in Vietnamese order of their names
    without the type ("Xã Bình An" before "Phường Đông Sơn"), then the cases that name
    no commune."""
    return sorted(
        breakdown(f, "commune"),
        key=lambda row: (row["key"] is None, vietnamese_sort_key(str(row["label"]))),
    )


def _labels(dimension: str, keys: list[Any]) -> dict[Any, tuple[Any, str]]:
    """(label, short label) of each key of a breakdown: choices need no query; agencies
    and communes one."""
    if dimension in CHOICE_LABELS:
        return {key: (CHOICE_LABELS[dimension].get(key, key), "") for key in keys}
    if dimension == "agency":
        agencies = Agency.objects.filter(pk__in=keys).values_list("pk", "name", "short_name")
        return {pk: (name, short) for pk, name, short in agencies}
    units = AdministrativeUnit.objects.filter(pk__in=[k for k in keys if k is not None])
    return {pk: (name, "") for pk, name in units.values_list("pk", "name")}


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


# The longest period a trend is drawn for (20 years of months).
MAX_MONTHS = 240


def trend(f: StatsFilter) -> list[dict[str, Any]]:
    """Received, accepted, resolved and resolved on time per month
    (petitions.figures.trend_counts): each measure in the month of its own date, so the
    months add up to the summary of the same period. Months with nothing are zeros."""
    monthly = petition_figures.trend_counts(f)
    result = []
    for month in months(f.start, f.end):
        values: dict[str, int | float | None] = {
            measure: monthly[measure][month] for measure in petition_figures.TREND_MEASURES
        }
        values["on_time_rate"] = percent(
            monthly["resolved_on_time"][month], monthly["resolved"][month]
        )
        result.append({"month": month, **values})
    return result


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


def filter_choices(user: User) -> FilterChoices:
    """The agencies, provinces and communes a viewer may filter by: two queries."""
    agencies = list(
        Agency.objects.filter(pk__in=visible_agency_ids(user))
        .select_related("province")
        .order_by("name")
    )
    provinces = sorted(
        {(a.province_id, a.province.name) for a in agencies},
        key=lambda p: vietnamese_sort_key(p[1]),
    )
    communes = sorted(
        AdministrativeUnit.objects.filter(
            parent_id__in=[pk for pk, _name in provinces],
            level=AdministrativeUnit.Level.COMMUNE,
        ),
        key=lambda unit: vietnamese_sort_key(unit.name),
    )
    return FilterChoices(agencies=agencies, provinces=provinces, communes=communes)


# --- the public transparency page ------------------------------------------------------


def public_provinces() -> list[tuple[int, str]]:
    """Provinces that have agencies (a deployment usually serves one): one query."""
    return sorted(
        AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.PROVINCE, province_agencies__isnull=False
        )
        .distinct()
        .order_by("name")
        .values_list("pk", "name"),
        key=lambda row: vietnamese_sort_key(row[1]),
    )


def province_agency_ids(province_id: int) -> frozenset[int]:
    """Every agency of the province (inactive ones keep their history): one query."""
    return frozenset(Agency.objects.filter(province_id=province_id).values_list("pk", flat=True))


def public_figures(agency_ids: frozenset[int], start: date, end: date) -> dict[str, Any]:
    """Province-wide figures for one period: counts and rates only, no case and no person.

    The rows carry agency names and ids, numbers and rates — nothing else leaves here.
    """
    f = StatsFilter(start=start, end=end, agency_ids=agency_ids)
    with one_pass(f, (None, "agency", "field", "trend", "median")):
        return {
            "start": start,
            "end": end,
            "summary": summary(f),
            "by_agency": [_public_row(r) for r in breakdown(f, "agency")],
            "by_field": [_public_row(r) for r in breakdown(f, "field")],
            "trend": trend(f),
        }


def _public_row(row: dict[str, Any]) -> dict[str, Any]:
    # The citizens' verdict is counts and rates too (never a comment).
    keep = ("key", "label", "short_label", "ranked", "rank", "verdict", *COUNTS, *RATES)
    return {name: row[name] for name in keep if name in row}


# --- voter recommendations -------------------------------------------------------------


@dataclass
class RecommendationStats:
    """Voter-recommendation figures per term, per session and per agency answering."""

    terms: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    agencies: list[dict[str, Any]]
    total: Figures  # over the terms shown


# What the figures' rows show of a session (a province's councils have hundreds).
SESSION_LABEL_COLUMNS = (
    "number",
    "kind",
    "opens_on",
    "status",
    "term__start_year",
    "term__end_year",
    "council__name",
)


def recommendation_stats(user: User, *, term: int | None = None) -> RecommendationStats:
    """Figures for the councils the viewer may see (sessions and terms) and for the
    agencies answering (forwardings): four queries whatever the data.

    The counts are recommendations.selectors' own (`figure_aggregates`, grouped here). A
    session counts its own items and those carried over onto its agenda (as
    session_figures does); a term counts each item once — the sum of its sessions' own
    items. The grouped counts group by a bare id (no joined label in the GROUP BY: at
    100,000 items that halves the time, `make bench`); the labels come from the handful
    of session rows.
    """
    ids = visible_agency_ids(user)
    visible_sessions = CouncilSession.objects.filter(council_id__in=ids)
    if term:
        visible_sessions = visible_sessions.filter(term_id=term)

    # 1. the sessions (and their terms and councils), for the labels
    labels = visible_sessions.select_related("term", "council").only(*SESSION_LABEL_COLUMNS)
    session_info = {s.pk: s for s in labels.order_by()}
    in_sessions = Q(session_id__in=visible_sessions.values("pk"))
    # 2. per session: its own items, 3. and those carried over onto it
    own_rows, carried_rows = _session_counts(in_sessions)
    sessions = []
    term_counts: dict[int, dict[str, int]] = {}
    for session_id in own_rows.keys() | carried_rows.keys():
        info = session_info[session_id]
        own_row = own_rows.get(session_id, {})
        carried_row = carried_rows.get(session_id, {})
        if own_row:
            in_term = term_counts.setdefault(info.term_id, dict.fromkeys(FIGURE_COUNTS, 0))
            for name in FIGURE_COUNTS:
                in_term[name] += own_row[name]
        counts = {name: own_row.get(name, 0) + carried_row.get(name, 0) for name in FIGURE_COUNTS}
        sessions.append(
            {
                "id": session_id,
                "number": info.number,
                "kind": info.kind,
                "title": info.title,
                "opens_on": info.opens_on,
                "published": info.status == CouncilSession.Status.PUBLISHED,
                "term": info.term_id,
                "council": info.council.name,
                "figures": figures_of(counts, carried_over=carried_row.get("total", 0)),
            }
        )
    sessions.sort(key=lambda s: (s["opens_on"], s["number"]), reverse=True)

    # per term: every item raised in the term, once (the sum of its sessions' own)
    terms_by_id = {s.term_id: s for s in session_info.values()}
    terms: list[dict[str, Any]] = [
        {
            "id": term_id,
            "council": terms_by_id[term_id].council.name,
            "start_year": terms_by_id[term_id].term.start_year,
            "end_year": terms_by_id[term_id].term.end_year,
            "figures": figures_of(counts),
        }
        for term_id, counts in term_counts.items()
    ]
    terms.sort(key=lambda t: t["council"])
    terms.sort(key=lambda t: t["start_year"], reverse=True)

    # 4. per agency answering: its forwardings (its own answers and accepted results)
    agencies = [
        {"id": row["agency_id"], "name": row["name"], "figures": figures_of(row)}
        for row in _forwarding_counts(ids, term)
    ]

    total = figures_of(
        {name: sum(getattr(t["figures"], name) for t in terms) for name in FIGURE_COUNTS}
    )
    return RecommendationStats(terms=terms, sessions=sessions, agencies=agencies, total=total)


def _session_counts(in_sessions: Q) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Per session: the counts of its own items and of those carried over onto it.

    On PostgreSQL from the running tallies (recommendations/tallies.py: a few rows a
    session, whatever the years of items); elsewhere counted over the items.
    """
    if voter_tallies.available():
        sums = {name: Sum(name) for name in FIGURE_COUNTS}
        tallies = voter_tallies.SessionTally.objects.filter(in_sessions)
        own, carried = (
            {
                row.pop("session_id"): row
                for row in tallies.filter(kind=kind)
                .values("session_id")
                .annotate(**sums)
                .order_by()
            }
            for kind in ("own", "carried")
        )
        return own, carried
    return session_counts_live(in_sessions)


def session_counts_live(
    in_sessions: Q,
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """`_session_counts` counted over the items themselves."""
    merged = Recommendation.Status.MERGED
    own_rows = {
        row.pop("session_id"): row
        for row in Recommendation.objects.filter(in_sessions)
        .exclude(status=merged)
        .values("session_id")
        .annotate(**voter_figures.figure_aggregates())
        .order_by()
    }
    carried_rows = {
        row.pop("session_id"): row
        for row in CarryOver.objects.filter(in_sessions)
        .exclude(recommendation__status=merged)
        .values("session_id")
        .annotate(**voter_figures.figure_aggregates("recommendation__"))
        .order_by()
    }
    return own_rows, carried_rows


def _forwarding_counts(ids: frozenset[int], term: int | None) -> QuerySet[Any]:
    """Per agency answering (its name beside): the counts of its forwardings, from the
    running tallies on PostgreSQL, counted over the forwardings elsewhere."""
    if voter_tallies.available():
        tallies = voter_tallies.ForwardingTally.objects.filter(agency_id__in=ids)
        if term:
            tallies = tallies.filter(term_id=term)
        return (
            tallies.values("agency_id")
            .annotate(name=Max("agency__name"), **{n: Sum(n) for n in FIGURE_COUNTS})
            .order_by("name")
        )
    return forwarding_counts_live(ids, term)


def forwarding_counts_live(ids: frozenset[int], term: int | None) -> QuerySet[Any]:
    """`_forwarding_counts` counted over the forwardings themselves."""
    forwardings = Forwarding.objects.filter(agency_id__in=ids)
    if term:
        forwardings = forwardings.filter(recommendation__session__term_id=term)
    return (
        forwardings.values("agency_id")
        .annotate(name=Max("agency__name"), **voter_figures.forwarding_figure_aggregates())
        .order_by("name")
    )
