"""The counts behind every petition figure, for a period: facts of the past + a live count.

petitions.selectors.figure_aggregates defines each count over the petitions table. Read
that way, every request counts again every case the period selects — half a million a
year for a whole country. Here the same counts are the sum of two parts that never
overlap:

- the **facts** (petitions/facts.py) of the ended cases, for the period's whole months:
  the month rows' flows, the stock of pending cases at the first day of the period's
  first month and the stock of overdue cases at the last day of its last month;
- a **live** count over the petitions table of what the facts do not hold: every open
  case (`ended_on IS NULL`, a few per cent of all), the ended cases' flows on the days
  of the period's partial months, and the difference between the stocks on the month's
  edge and on the period's own first and last day.

So a figure costs a few hundred fact rows per month of the period, plus what its partial
months and open cases select — never the years behind it. The facts hold one dimension
per row: a narrowing by two of commune, field, kind and channel (or a breakdown by one
and a narrowing by another) is counted live over the period's rows, as is everything on
a database without the facts (SQLite). tests/petitions/test_facts.py compares both
paths on random data and periods.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncMonth

from agencies.models import Agency

from . import facts
from .facts import FigureFact, ResolutionDays
from .models import NEVER, Petition
from .selectors import (
    STAT_DIMENSIONS,
    StatsFilter,
    day_difference,
    figure_aggregates,
    stats_queryset,
)

FLOWS = ("received", "handled", "handled_on_time", "accepted", "resolved", "resolved_on_time")
STOCKS = ("pending_at_start", "overdue")
MEASURES = (*FLOWS, *STOCKS)
# Dimensions a fact row carries (agency is on every row).
FACT_DIMENSIONS = ("commune", "field", "kind", "channel")


def period_rows(f: StatsFilter) -> QuerySet[Petition]:
    """The viewer's petitions that can count in any figure of the period.

    Every figure needs a case received by the end of the period and not ended before
    its start (ended_on is the day a case left the open statuses, on or after all its
    other dates). Written as COALESCE(ended_on, NEVER) >= start, the test is the leading
    column of the index petition_period, so PostgreSQL reads only those rows.
    """
    return (
        stats_queryset(f)
        .alias(ends_on=Coalesce("ended_on", Value(NEVER)))
        .filter(ends_on__gte=f.start, received_on__lte=f.end)
    )


# --- the calendar of a period ---------------------------------------------------------


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _last_of_month(day: date) -> date:
    return _first_of_next_month(day) - timedelta(days=1)


@dataclass(frozen=True)
class Split:
    """A period cut into whole months (read from the facts) and partial edges (live)."""

    start: date
    end: date
    first_month: date | None  # first and last whole month (their first days), or None
    last_month: date | None
    edges: tuple[tuple[date, date], ...]

    @property
    def start_month(self) -> date:
        """The first day of the start's month: the facts' pending stock is of that day."""
        return self.start.replace(day=1)

    @property
    def quiet_before(self) -> date:
        """The first day of the start's year: the open cases whose last date is before
        it are read from their fact rows (kept per year, facts.QUIET_SQL), the others
        counted live."""
        return self.start.replace(month=1, day=1)

    @property
    def end_is_month_end(self) -> bool:
        """The facts' overdue stock is of a month's last day."""
        return self.end == _last_of_month(self.end)


def split(start: date, end: date) -> Split:
    first = start if start.day == 1 else _first_of_next_month(start)
    last_end = end if end == _last_of_month(end) else end.replace(day=1) - timedelta(days=1)
    if first > last_end:  # no whole month inside: all of it is an edge
        return Split(start, end, None, None, ((start, end),))
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if last_end < end:
        edges.append((last_end + timedelta(days=1), end))
    return Split(start, end, first, last_end.replace(day=1), tuple(edges))


# --- which fact rows can answer ---------------------------------------------------------


def fact_dimension(f: StatsFilter, group: str | None) -> str | None:
    """The facts' dimension that answers `f` grouped by `group` (None: the summary;
    'agency' or one of FACT_DIMENSIONS), or None when only a live count can."""
    if not facts.available():
        return None
    narrowed = [d for d in FACT_DIMENSIONS if _narrowing(f, d) is not None]
    if group in FACT_DIMENSIONS:
        return group if set(narrowed) <= {group} else None
    if len(narrowed) > 1:
        return None
    return narrowed[0] if narrowed else ""


def _narrowing(f: StatsFilter, dimension: str) -> str | None:
    """The fact value a narrowing stands for ('' is a value: no commune), or None."""
    value = getattr(f, dimension)
    if dimension == "commune":
        return None if value is None else str(value)
    return value or None


def _agencies(f: StatsFilter) -> QuerySet[Agency, Any]:
    """The agencies a fact row may belong to: the scope, narrowed by agency or province."""
    agencies = Agency.objects.filter(pk__in=f.agency_ids)
    if f.agency is not None:
        agencies = agencies.filter(pk=f.agency)
    if f.province is not None:
        agencies = agencies.filter(province_id=f.province)
    return agencies.values("pk")


def _fact_rows(f: StatsFilter, dimension: str, *, quiet: bool = False) -> QuerySet[FigureFact]:
    """The fact rows of `dimension` in the scope and narrowing; with `quiet`, the open
    cases' rows of the same dimension instead (facts.OPEN + dimension)."""
    stored = facts.OPEN + dimension if quiet else dimension
    rows = FigureFact.objects.filter(dimension=stored, agency_id__in=_agencies(f))
    value = _narrowing(f, dimension) if dimension else None
    return rows if value is None else rows.filter(value=value)


def _fact_sums(f: StatsFilter, s: Split, dimension: str, key: str | None) -> list[dict[str, Any]]:
    """Sums of the fact columns, grouped by `key` (a fact column, or None): the ended
    cases' rows for the period's whole months and its stocks, and the stocks of the open
    cases quiet before the period's year (nothing they read changed since, so they add
    the same to every such period). One query: a UNION ALL of the two, each one range
    of the covering index figurefact_cover, read from the index alone."""
    # No whole month: a range that holds none (the query keeps its shape).
    whole = Q(month__range=(s.first_month or NEVER, s.last_month or NEVER))
    end_month = s.end.replace(day=1) if s.end_is_month_end else None
    last = max(m for m in (s.start_month, s.last_month, end_month) if m is not None)
    ended: dict[str, Any] = {name: Sum(name, filter=whole) for name in FLOWS}
    ended["pending_at_start"] = Sum("pending_at_start", filter=Q(month=s.start_month))
    ended["overdue"] = (
        Sum("overdue_at_end", filter=Q(month=end_month)) if end_month is not None else _ZERO
    )
    quiet: dict[str, Any] = dict.fromkeys(FLOWS, _ZERO)
    quiet["pending_at_start"] = Sum("pending_at_start")
    quiet["overdue"] = Sum("overdue_at_end")
    parts = [
        _fact_rows(f, dimension).filter(month__range=(s.start_month, last)),
        _fact_rows(f, dimension, quiet=True).filter(month__lt=s.quiet_before),
    ]
    queries = [
        (rows.values(key) if key else rows.values(_one=Value(1))).annotate(**sums).order_by()
        for rows, sums in zip(parts, (ended, quiet), strict=True)
    ]
    return list(queries[0].union(queries[1], all=True))


# --- the live part ----------------------------------------------------------------------

# Each flow and the date it is counted by.
_DATES = {
    "received": "received_on",
    "handled": "handled_on",
    "handled_on_time": "handled_on",
    "accepted": "accepted_on",
    "resolved": "resolved_on",
    "resolved_on_time": "resolved_on",
}
# The counts an arm of the ended cases' query may carry (pending: its two corrections).
_EDGE_COUNTS = (*FLOWS, "pending_plus", "pending_minus", "overdue")
_ZERO = Value(0, output_field=IntegerField())


@dataclass(frozen=True)
class Arm:
    """Ended cases found through one index (`where`), and what they count (`counts`:
    measure → condition, None for every row the arm finds)."""

    where: Q
    counts: dict[str, Q | None]


def _rows(f: StatsFilter) -> QuerySet[Petition]:
    return stats_queryset(f).alias(ends_on=Coalesce("ended_on", Value(NEVER)))


def _open_rows(f: StatsFilter, s: Split) -> QuerySet[Petition]:
    """The open cases the facts do not hold for this period: those whose last date is
    in or after the period's year (an index-only scan of petition_open_quiet);
    they count over the whole period (figure_aggregates). The others are quiet: their
    stocks are fact rows (facts.QUIET_SQL)."""
    return (
        _rows(f)
        .alias(quiet=Greatest(*(F(column) for column in facts.QUIET_COLUMNS)))
        .filter(ended_on__isnull=True, quiet__gte=s.quiet_before, received_on__lte=s.end)
    )


def _arms(s: Split) -> list[Arm]:
    """What the ended cases add beside the facts: each flow on the edges' days, and the
    stocks' corrections (selectors.figure_aggregates' very conditions on those days).
    Each arm reads one date's index (migration 0013) or petition_period, and counts
    only what its own date decides, so no row is counted twice."""
    arms = []
    for a, b in s.edges:
        span = (a, b)
        arms += [
            Arm(Q(received_on__range=span), {"received": None}),
            Arm(
                Q(handled_on__range=span),
                {"handled": None, "handled_on_time": Q(handled_on__lte=F("handling_due_on"))},
            ),
            Arm(Q(accepted_on__range=span), {"accepted": None}),
            Arm(
                Q(resolved_on__range=span),
                {"resolved": None, "resolved_on_time": Q(resolved_on__lte=F("resolution_due_on"))},
            ),
        ]
    m0, start = s.start_month, s.start
    if start > m0:
        # pending(start) = pending(m0) + accepted in [m0, start) and still pending at
        # start − pending at m0 that stopped being pending in [m0, start): resolved then,
        # or ended then without a resolution.
        before = (m0, start - timedelta(days=1))
        still = (Q(resolved_on__isnull=True) | Q(resolved_on__gte=start)) & Q(ended_on__gte=start)
        arms += [
            Arm(Q(accepted_on__range=before), {"pending_plus": still}),
            Arm(Q(resolved_on__range=before), {"pending_minus": Q(accepted_on__lt=m0)}),
            Arm(
                Q(ends_on__range=before),
                {"pending_minus": Q(accepted_on__lt=m0, resolved_on__isnull=True)},
            ),
        ]
    if not s.end_is_month_end:
        # An ended case overdue at the end was still open then: it ended after it (for
        # a period ending today, an index range that holds nothing).
        overdue = figure_aggregates(s.start, s.end)["overdue"].filter
        after = (s.end + timedelta(days=1), NEVER - timedelta(days=1))
        arms.append(Arm(Q(ends_on__range=after), {"overdue": overdue}))
    # No arm: one that finds nothing, so that the query (and its count) stays the same.
    return arms or [Arm(Q(received_on__range=(NEVER, NEVER)), {"received": None})]


def _ended_rows(
    f: StatsFilter,
    s: Split,
    group: dict[str, Any] | Callable[[Arm], dict[str, Any]] | None = None,
    *,
    arms: list[Arm] | None = None,
) -> list[dict[str, Any]]:
    """The arms' counts, grouped by `group` (name → column or expression, or a function
    of the arm giving them): one query, a UNION ALL of one aggregate per arm, each over
    its own index."""
    queries = []
    for arm in arms if arms is not None else _arms(s):
        keyed = group(arm) if callable(group) else group
        counts = {
            name: (
                _ZERO
                if name not in arm.counts
                else Count("id", filter=arm.counts[name])
                if arm.counts[name] is not None
                else Count("id")
            )
            for name in _EDGE_COUNTS
        }
        rows = _rows(f).filter(**{"ends_on__lt": NEVER}).filter(arm.where)
        keys = {name: F(v) if isinstance(v, str) else v for name, v in (keyed or {}).items()}
        queries.append(rows.values(**(keys or {"_one": Value(1)})).annotate(**counts).order_by())
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return list(union)


def _finish(row: dict[str, Any]) -> dict[str, int]:
    counts = {name: int(row.get(name) or 0) for name in MEASURES}
    counts["pending_at_start"] += int(row.get("pending_plus") or 0)
    counts["pending_at_start"] -= int(row.get("pending_minus") or 0)
    return counts


# --- one pass over the open cases for a whole page ---------------------------------------

# What a page's figures group the open cases by: None (the summary), a STAT_DIMENSIONS
# key, "trend" (the months of the three dates) or "median" (days to resolve).
OPEN_GROUPS = (None, *STAT_DIMENSIONS, "trend", "median")
# The shared pass's answers, while `one_pass` lasts: (filter, grouping) → rows.
_pass: ContextVar[dict[tuple[StatsFilter, str | None], Any] | None] = ContextVar(
    "petition_figures_pass", default=None
)


@contextmanager
def one_pass(f: StatsFilter, groups: Iterable[str | None] = OPEN_GROUPS) -> Iterator[None]:
    """Within, the figures of `f` read the open cases' part from one query grouped by
    every grouping of `groups` at once (GROUPING SETS) instead of one scan each: the
    open cases are the part of a figure that grows with the years (a case never ended
    counts in every later period's stocks), and a dashboard page reads it six times."""
    wanted = [g for g in groups if _reads_open_rows(f, g)]
    token = _pass.set(dict(_shared_open_rows(f, wanted)) if len(wanted) > 1 else None)
    try:
        yield
    finally:
        _pass.reset(token)


def _reads_open_rows(f: StatsFilter, group: str | None) -> bool:
    """Whether `group`'s figure is counted as facts + open cases (not live over the
    period's rows): `_open` serves it."""
    if group == "median":
        return serves_median(f)
    return fact_dimension(f, None if group == "trend" else group) is not None


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _shared_open_rows(f: StatsFilter, groups: list[str | None]) -> Iterator[tuple[Any, Any]]:
    """The open cases' counts for each of `groups`, from one GROUPING SETS query."""
    s = split(f.start, f.end)
    whole = figure_aggregates(s.start, s.end)
    span = (s.start, s.end)
    keys: dict[str, Any] = {f"g_{g}": F(STAT_DIMENSIONS[g]) for g in STAT_DIMENSIONS}
    # Dates outside the period count in no trend measure or median: their group is NULL.
    keys["g_received_month"] = Case(When(received_on__range=span, then=Month("received_on")))
    keys["g_accepted_month"] = Case(When(accepted_on__range=span, then=Month("accepted_on")))
    keys["g_resolved_month"] = Case(When(resolved_on__range=span, then=Month("resolved_on")))
    keys["g_days"] = Case(When(resolved_on__range=span, then=day_difference()))
    flags = {f"m_{name}": _flag(count.filter) for name, count in whole.items()}
    flags["m_n"] = _flag(Q(resolved_on__range=span))
    inner = _open_rows(f, s).values(**keys, **flags).order_by()
    sql, params = inner.query.sql_with_params()
    columns: dict[str | None, list[str]] = {
        None: [],
        **{g: [f"g_{g}"] for g in STAT_DIMENSIONS},
        "trend": ["g_received_month", "g_accepted_month", "g_resolved_month"],
        "median": ["g_days"],
    }
    # Only the keys of the sets asked for (GROUPING takes no other).
    names = [name for name in keys if any(name in columns[g] for g in groups)]
    # GROUPING(every key) has a bit set, leftmost key highest, for each key a row's
    # grouping set leaves out: it tells the sets apart even where a key is NULL.
    masks = {
        group: sum(
            1 << (len(names) - 1 - i) for i, n in enumerate(names) if n not in columns[group]
        )
        for group in groups
    }
    sets = ", ".join("(" + ", ".join(columns[g]) + ")" for g in groups)
    sums = ", ".join(f"SUM({flag}) AS {flag}" for flag in flags)
    # Built from constant names only; the values are the inner query's parameters.
    outer = (
        f"SELECT GROUPING({', '.join(names)}) AS g_set, {', '.join(names)}, {sums} "  # noqa: S608
        f"FROM ({sql}) AS open_cases GROUP BY GROUPING SETS ({sets})"
    )
    answers: dict[tuple[StatsFilter, str | None], Any] = {(f, g): [] for g in groups}
    by_mask = {mask: group for group, mask in masks.items()}
    with connections[inner.db].cursor() as cursor:
        cursor.execute(outer, params)
        described = [column.name for column in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(described, values, strict=True))
            group = by_mask[row["g_set"]]
            counts = {name: int(row[f"m_{name}"] or 0) for name in (*whole, "n")}
            if group in STAT_DIMENSIONS:
                answers[(f, group)].append({STAT_DIMENSIONS[group]: row[f"g_{group}"], **counts})
            elif group == "trend":
                months = {
                    name: row[f"g_{name}"]
                    for name in ("received_month", "accepted_month", "resolved_month")
                }
                answers[(f, group)].append({**months, **counts})
            elif group == "median":
                if row["g_days"] is not None:
                    answers[(f, group)].append({"days": row["g_days"], "n": counts["n"]})
            else:
                answers[(f, group)].append(counts)
    yield from answers.items()


def _shared(f: StatsFilter, group: str | None) -> list[dict[str, Any]] | None:
    """The open cases' rows for `group` from the page's shared pass, if there is one."""
    answers = _pass.get()
    return None if answers is None else answers.get((f, group))


# --- what the dashboards read -------------------------------------------------------------


def counts(f: StatsFilter) -> dict[str, int]:
    """The period's counts (figure_aggregates' names) over the viewer's petitions: the
    facts, the open cases and the ended cases' edges (three queries), or one live
    count where there are no facts."""
    s = split(f.start, f.end)
    dimension = fact_dimension(f, None)
    whole = figure_aggregates(s.start, s.end)
    if dimension is None:
        return _finish(period_rows(f).aggregate(**whole))
    shared = _shared(f, None)
    if shared is None:
        open_part = _open_rows(f, s).aggregate(**whole)
    else:  # the grand total (there is always one; none counts nothing)
        open_part = shared[0] if shared else {}
    total: Counter[str] = Counter(_finish(open_part))
    for row in _ended_rows(f, s):
        total.update(_finish(row))
    for row in _fact_sums(f, s, dimension, None):
        total.update(_finish(row))
    return {name: total[name] for name in MEASURES}


def counts_by(f: StatsFilter, group: str) -> dict[Any, dict[str, int]]:
    """The same counts per agency, commune, field, kind or channel (keys as the
    petitions' columns hold them: ids, None for no commune, choice codes)."""
    column = STAT_DIMENSIONS[group]
    s = split(f.start, f.end)
    dimension = fact_dimension(f, group)
    whole = figure_aggregates(s.start, s.end)
    result: dict[Any, Counter[str]] = {}

    def add(key: Any, row: dict[str, Any]) -> None:
        result.setdefault(key, Counter()).update(_finish(row))

    if dimension is None:
        for row in period_rows(f).values(column).annotate(**whole).order_by():
            add(row.pop(column), row)
    else:
        shared = _shared(f, group)
        if shared is None:
            shared = list(_open_rows(f, s).values(column).annotate(**whole).order_by())
        for row in shared:
            add(row[column], row)
        for row in _ended_rows(f, s, {"key": column}):
            add(row.pop("key"), row)
        key = "agency_id" if group == "agency" else "value"
        for row in _fact_sums(f, s, dimension, key):
            add(_key(group, row.pop(key)), row)
    return {key: {name: c[name] for name in MEASURES} for key, c in result.items()}


def _key(group: str, value: Any) -> Any:
    """A fact row's value as the petitions' column holds it."""
    if group == "commune":
        return int(value) if value else None
    return value


TREND_MEASURES = ("received", "accepted", "resolved", "resolved_on_time")
# Which month each trend measure is counted in.
_TREND_MONTH = {
    "received": "received_month",
    "accepted": "accepted_month",
    "resolved": "resolved_month",
    "resolved_on_time": "resolved_month",
}


class Month(TruncMonth):
    """The first day of a date column's month. On PostgreSQL written as the statistics
    object petition_months has it (petitions migration 0006), so the planner knows the
    trend's groups are a few hundred and counts them in parallel; elsewhere TruncMonth."""

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('month', ({sql})::timestamp)", params


def trend_counts(f: StatsFilter) -> dict[str, Counter[date]]:
    """Received, accepted, resolved and resolved on time per month of their own date.

    Live, a GROUP BY can follow only one of the three dates, so the rows are grouped by
    all three months at once — a few hundred groups — and each group carries the counts
    (a date within the period; on time, the resolution by its due date), added up here
    into each measure's months. With facts: the open cases so, the ended cases' edges by
    the month of each arm's own date, the whole months from the facts' month rows.
    """
    s = split(f.start, f.end)
    dimension = fact_dimension(f, None)
    whole = figure_aggregates(s.start, s.end)
    monthly = {measure: Counter[date]() for measure in TREND_MEASURES}
    rows = period_rows(f) if dimension is None else _open_rows(f, s)
    shared = _shared(f, "trend") if dimension is not None else None
    groups: Iterable[dict[str, Any]] = (
        shared if shared is not None else _trend_groups(rows, s, whole)
    )
    for group in groups:
        for measure in TREND_MEASURES:
            if group[measure]:
                monthly[measure][_as_date(group[_TREND_MONTH[measure]])] += group[measure]
    if dimension is None:
        return monthly
    # The ended cases' edges, each arm grouped by the month of its own date.
    arms = [arm for arm in _arms(s) if set(arm.counts) & set(TREND_MEASURES)] or _arms(s)[-1:]
    for row in _ended_rows(f, s, lambda arm: {"month": Month(_arm_date(arm))}, arms=arms):
        for measure in TREND_MEASURES:
            if row.get(measure):
                monthly[measure][_as_date(row["month"])] += row[measure]
    fact_months = (
        _fact_rows(f, dimension)
        .filter(month__range=(s.first_month or NEVER, s.last_month or NEVER))
        .values("month")
        .annotate(**{measure: Sum(measure) for measure in TREND_MEASURES})
        .order_by()
    )
    for row in fact_months:
        for measure in TREND_MEASURES:
            if row[measure]:
                monthly[measure][row["month"]] += row[measure]
    return monthly


def _trend_groups(rows: QuerySet[Petition], s: Split, whole: dict[str, Any]) -> QuerySet[Any]:
    """`rows` grouped by the months of their three dates, with the trend's counts."""
    span = (s.start, s.end)
    return (
        rows.filter(
            Q(received_on__range=span) | Q(accepted_on__range=span) | Q(resolved_on__range=span)
        )
        .values(
            received_month=Month("received_on"),
            accepted_month=Month("accepted_on"),
            resolved_month=Month("resolved_on"),
        )
        .annotate(**{measure: whole[measure] for measure in TREND_MEASURES})
        .order_by()
    )


def _arm_date(arm: Arm) -> str:
    """The date an arm's counts are counted by (its first measure's)."""
    return _DATES.get(next(iter(arm.counts)), "received_on")


def _as_date(value: date | datetime) -> date:
    # The database may return the month as a date or as a datetime at midnight.
    return value.date() if isinstance(value, datetime) else value


# --- the median ---------------------------------------------------------------------------


def serves_median(f: StatsFilter) -> bool:
    """Whether `median_days` can answer `f` (the facts keep the days per agency only);
    otherwise selectors.median_days_to_resolve counts it live."""
    return fact_dimension(f, None) == ""


def median_days(f: StatsFilter) -> float | None:
    """Median of (resolved_on − received_on) over the period's resolutions (None when
    there are none), for a filter `serves_median` accepts."""
    s = split(f.start, f.end)
    histogram: Counter[int] = Counter()
    days = day_difference()
    # The open cases' resolutions of the period (a reopened case keeps its date) and the
    # ended cases' on the edges' days, each arm through its own index (petition_period,
    # the resolved_on index), grouped by days in one UNION ALL; the whole months come
    # from ResolutionDays. In a page's shared pass the open cases' part is already there.
    shared = _shared(f, "median")
    arms = [] if shared is not None else [Q(ends_on=NEVER, resolved_on__range=(s.start, s.end))]
    arms += [Q(ends_on__lt=NEVER, resolved_on__range=(a, b)) for a, b in s.edges]
    queries = [
        _rows(f).filter(arm).values(days=days).annotate(n=Count("id")).order_by() for arm in arms
    ]
    rows: Iterable[dict[str, Any]] = shared or []
    if queries:
        rows = [
            *rows,
            *(queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]),
        ]
    for row in rows:
        histogram[_whole_days(row["days"])] += row["n"]
    # One query whether or not the period holds a whole month.
    rows = (
        ResolutionDays.objects.filter(
            month__range=(s.first_month or NEVER, s.last_month or NEVER),
            agency_id__in=_agencies(f),
        )
        .values("days")
        .annotate(n=Sum("resolutions"))
        .order_by()
    )
    for row in rows:
        histogram[row["days"]] += row["n"]
    return _median(histogram)


def _whole_days(value: Any) -> int:
    return int(value.days) if hasattr(value, "days") else int(value)


def _median(histogram: Counter[int]) -> float | None:
    """percentile_cont(0.5) of the values a histogram counts: the middle value, or the
    mean of the two middle ones when there is an even number of them."""
    items = sorted((value, n) for value, n in histogram.items() if n > 0)
    total = sum(n for _value, n in items)
    if not total:
        return None

    def at(index: int) -> int:
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)

    return (at((total - 1) // 2) + at(total // 2)) / 2
