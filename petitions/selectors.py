"""Reads: the inbox, one case with its timeline and what a reader may see of its
petitioner, the public tracking view, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404, QueryDict

from agencies.clocks import phase_filter
from agencies.models import Role
from agencies.scope import Action, can, visible_agency_ids
from agencies.selectors import members_with_roles
from casework.actors import User
from casework.pages import CaseListFilters, choice_param, int_param
from casework.rates import percent
from casework.search import narrowed
from casework.search import search_filter as search_filter  # the inbox's and API's `q`

from .identity import Identity, decrypt_identity, tracking_code_matches
from .models import (
    OPEN_STATUSES,
    Attachment,
    Field,
    Kind,
    Petition,
    PetitionEvent,
    PetitionQuerySet,
    Status,
)

INBOX_SORTS = {
    "due": ("clock_due_on", "id"),
    "-due": ("-clock_due_on", "-id"),
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
}


class _AgencyIn(Func):
    """`handling_agency_id IN (6::bigint, …)`: the scope's ids typed as the column is.

    Django sends them as plain integers, which PostgreSQL's B-trees compare across
    types but the inbox search's GIN index (btree_gin's bigint class beside the
    trigrams, migration 0012) does not: with an integer the planner could not narrow
    the words to the agency inside that index and ANDed in the whole agency instead —
    390,000 entries of the foreign-key index at 3,000,000 petitions, 350 ms.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, ids: frozenset[int]) -> None:
        super().__init__(F("handling_agency_id"))
        self.ids = sorted(ids)

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.get_source_expressions()[0])
        cast = "::bigint" if connection.vendor == "postgresql" else ""
        values = ", ".join([f"%s{cast}"] * len(self.ids))
        return f"{column} IN ({values})", [*params, *self.ids]


def visible_petitions(user: User) -> PetitionQuerySet:
    """Every petition the user may read: those of the agencies in their scope."""
    ids = visible_agency_ids(user)
    if not ids:
        return Petition.objects.none()
    return Petition.objects.filter(_AgencyIn(ids))


@dataclass
class InboxFilters(CaseListFilters):
    kind: str = ""
    commune: int | None = None
    phase: str = ""
    mine: bool = False
    sort: str = "due"
    open_only: bool = True


def inbox_filters(params: QueryDict) -> InboxFilters:
    """The inbox's filters from a query string: the inbox's own, or the one a bulk
    action over "all matching the filter" carries (petitions.bulk)."""
    return InboxFilters(
        status=choice_param(params, "status", Status.values),
        kind=choice_param(params, "kind", Kind.values),
        field=choice_param(params, "field", Field.values),
        commune=int_param(params.get("commune")),
        phase=params.get("phase", ""),
        agency=int_param(params.get("agency")),
        mine=params.get("mine") == "1",
        q=params.get("q", "")[:100],  # a longer query narrows nothing more
        sort=params.get("sort", "due"),
        open_only=params.get("all") != "1",
    )


def inbox(user: User, filters: InboxFilters, *, today: date) -> QuerySet[Petition]:
    qs = visible_petitions(user).for_inbox()
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    qs = narrowed(
        qs,
        kind=filters.kind,
        field=filters.field,
        commune_id=filters.commune,
        handling_agency_id=filters.agency,
    )
    if filters.phase:
        qs = qs.filter(phase_filter("clock", filters.phase, today))
    if filters.mine:
        qs = qs.filter(assigned_to_id=user.pk)
    if filters.q:
        qs = qs.filter(search_filter(filters.q))
    order = INBOX_SORTS.get(filters.sort, INBOX_SORTS["due"])
    return qs.order_by(*order)


# What a row of the inbox shows (petitions/inbox.html): the page reads these columns and
# not the texts and rules a case also carries (content, identity, search_text, three
# JSON rules: about 2 KB a row to fetch and decode, for 25 rows a page).
INBOX_COLUMNS = (
    "id",
    "reference",
    "kind",
    "round",
    "subject",
    "display_name",
    "status",
    "clock_due_on",
    "clock_due_soon_on",
    "clock_long_overdue_on",
    "handling_agency__id",
    "handling_agency__name",
    "handling_agency__short_name",
    "commune__id",
    "commune__name",
    "assigned_to__id",
    "assigned_to__username",
    "assigned_to__first_name",
    "assigned_to__last_name",
)
# A search, or a list that includes the closed cases, counts its matches no further
# than this (casework.pages.BoundedPaginator): counting every case of two years that
# holds a common word reads them all, seconds at millions of petitions, for a number
# nobody pages through. The open cases of the reader's agencies are counted exactly
# (an index-only count of the petition_inbox / petition_open_due entries).
INBOX_COUNT_BOUND = 1000


def inbox_page(user: User, filters: InboxFilters, *, today: date) -> QuerySet[Petition]:
    """`inbox()` as its page shows it: the columns of a row only (bulk actions and
    exports read `inbox()` itself, whole rows)."""
    return inbox(user, filters, today=today).only(*INBOX_COLUMNS)


def inbox_count_bound(filters: InboxFilters) -> int | None:
    """How far the inbox counts: exactly over open cases without words, else up to
    INBOX_COUNT_BOUND."""
    only_open = filters.status in OPEN_STATUSES if filters.status else filters.open_only
    return None if only_open and not filters.q else INBOX_COUNT_BOUND


def petition_for_staff(user: User, pk: int) -> Petition:
    """One petition with everything its page shows, or 404 outside the user's scope."""
    events = PetitionEvent.objects.select_related("actor", "agency").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )
    petition = (
        visible_petitions(user)
        .select_related(
            "handling_agency",
            "handling_agency__parent",
            "commune",
            "assigned_to",
            "previous",
            "transferred_from",
            "transferred_from__handling_agency",
        )
        .prefetch_related(
            Prefetch("events", queryset=events),
            "attachments",
            "extensions",
            "suspensions",
            Prefetch(
                "transfers",
                queryset=Petition.objects.select_related("handling_agency").order_by("id"),
            ),
            Prefetch("appeals", queryset=Petition.objects.select_related("handling_agency")),
        )
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404
    return petition


# --- the petitioner: what a reader may see of them ---------------------------------------


def may_reveal(user: User, petition: Petition) -> bool:
    """Whether `user` may see who the petitioner is: anyone who may see a case sees a
    complainant; a denouncer only the assigned handler and the leads of the resolving
    agency (DOMAIN), and then only through `petition_reveal_identity`, logged."""
    if not petition.is_denunciation:
        return can(user, petition.handling_agency_id, Action.VIEW)
    if petition.status == Status.TRANSFERRED:
        return False  # the resolving agency is now the receiver
    if can(user, petition.handling_agency_id, Action.REVEAL):
        return True
    return petition.assigned_to_id == getattr(user, "pk", None) and can(
        user, petition.handling_agency_id, Action.HANDLE
    )


@dataclass(frozen=True)
class PetitionView:
    """What one reader may see of a petition's petitioner, decided once for the case
    page, the API and every other place that shows a petition."""

    may_reveal: bool
    # The petitioner shown without a reveal: never a denouncer (None for them, and for
    # whoever may not see the case).
    identity: Identity | None
    # The attachments the reader may open, and how many are hidden because they may
    # identify the denouncer.
    attachments: list[Attachment]
    hidden_attachments: int
    # How lists name the petitioner: a denouncer is always the mask, in the reader's
    # language.
    public_name: str

    @property
    def visible_attachment_ids(self) -> set[int]:
        return {attachment.pk for attachment in self.attachments}


def petition_view_for(user: User, petition: Petition) -> PetitionView:
    """The petitioner as `user` may see them on `petition` (its attachments prefetched)."""
    allowed = may_reveal(user, petition)
    every = list(petition.attachments.all())
    # A denouncer's own documents may name them — by their file names too: they follow
    # the identity, shown only to whoever may reveal it and has, in the audit log.
    opened = allowed and (
        not petition.is_denunciation
        or not any(a.is_identifying for a in every)
        or petition.reveals.filter(user_id=int(user.pk or 0)).exists()
    )
    visible = [a for a in every if opened or not a.is_identifying]
    # Decrypted here for a complainant only; a denouncer's waits for the logged reveal.
    shown = allowed and not petition.is_denunciation
    return PetitionView(
        may_reveal=allowed,
        identity=decrypt_identity(petition.identity) if shown else None,
        attachments=visible,
        hidden_attachments=len(every) - len(visible),
        public_name=petition.public_name,
    )


def petitioner_email(petition: Petition) -> str:
    """The petitioner's own e-mail address, for notices to them alone: never shown to
    an official and never put in a notice to one."""
    return decrypt_identity(petition.identity).email if petition.has_email else ""


def petition_chain(root: Petition) -> list[Petition]:
    """The citizen's case from first receipt through every transfer and appeal."""
    chain = [root]
    current = root
    for _ in range(20):  # a case never moves this often; the bound guards bad data
        nxt = (
            Petition.objects.filter(Q(transferred_from=current) | Q(previous=current))
            .select_related("handling_agency")
            .order_by("id")
            .first()
        )
        if nxt is None:
            break
        chain.append(nxt)
        current = nxt
    return chain


def petition_for_citizen(reference: str, code: str) -> Petition | None:
    petition = (
        Petition.objects.select_related("handling_agency")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if petition is None or not tracking_code_matches(code, petition.tracking_hash):
        return None
    return petition


def public_timeline(chain: list[Petition]) -> QuerySet[PetitionEvent]:
    return (
        PetitionEvent.objects.filter(petition__in=chain, is_public=True)
        .select_related("agency", "petition")
        .order_by("created_at", "id")
    )


def handlers_of(agency_id: int) -> QuerySet[Any]:
    """Who may be assigned a petition of the agency: its handlers and leads."""
    return members_with_roles(agency_id, [Role.HANDLER, Role.LEAD]).order_by(
        "first_name", "username"
    )


def status_counts(user: User) -> dict[str, int]:
    rows = (
        visible_petitions(user)
        .filter(status__in=OPEN_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {s: counts.get(s, 0) for s in (Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED)}


# --- the figures (DOMAIN.md "The figures"): one aggregate query each ------------------

STAT_DIMENSIONS = {
    "agency": "handling_agency",
    "commune": "commune",
    "field": "field",
    "kind": "kind",
    "channel": "channel",
}


@dataclass(frozen=True)
class StatsFilter:
    """A period, the agencies the viewer may see, and optional narrowing."""

    start: date
    end: date
    agency_ids: frozenset[int]
    agency: int | None = None
    commune: int | None = None
    province: int | None = None
    field: str = ""
    kind: str = ""
    channel: str = ""


def stats_queryset(f: StatsFilter) -> QuerySet[Petition]:
    return narrowed(
        Petition.objects.filter(handling_agency_id__in=f.agency_ids),
        handling_agency_id=f.agency,
        commune_id=f.commune,
        handling_agency__province_id=f.province,
        field=f.field,
        kind=f.kind,
        channel=f.channel,
    )


def _open_at(day: date) -> Q:
    return Q(received_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def figure_aggregates(start: date, end: date) -> dict[str, Any]:
    """The conditional counts behind every figure, for one period."""
    accepted_by_end = Q(accepted_on__lte=end)
    # A suspended clock is paused, not overdue (suspended_on is set while it lasts).
    overdue_at_end = (
        _open_at(end)
        & (Q(suspended_on__isnull=True) | Q(suspended_on__gt=end))
        & (
            (accepted_by_end & Q(resolution_due_on__lt=end))
            | (~accepted_by_end | Q(accepted_on__isnull=True)) & Q(handling_due_on__lt=end)
        )
    )
    pending_at_start = (
        Q(accepted_on__lt=start)
        & (Q(resolved_on__isnull=True) | Q(resolved_on__gte=start))
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    )
    return {
        "received": Count("id", filter=Q(received_on__range=(start, end))),
        "handled": Count("id", filter=Q(handled_on__range=(start, end))),
        "handled_on_time": Count(
            "id",
            filter=Q(handled_on__range=(start, end), handled_on__lte=F("handling_due_on")),
        ),
        "pending_at_start": Count("id", filter=pending_at_start),
        "accepted": Count("id", filter=Q(accepted_on__range=(start, end))),
        "resolved": Count("id", filter=Q(resolved_on__range=(start, end))),
        "resolved_on_time": Count(
            "id",
            filter=Q(resolved_on__range=(start, end), resolved_on__lte=F("resolution_due_on")),
        ),
        "overdue": Count("id", filter=overdue_at_end),
    }


def with_rates(row: dict[str, Any]) -> dict[str, Any]:
    """Add the rates: resolution = resolved ÷ in competence, on time = ÷ resolved."""
    in_competence = row["pending_at_start"] + row["accepted"]
    return {
        **row,
        "in_competence": in_competence,
        "handled_on_time_rate": percent(row["handled_on_time"], row["handled"]),
        "resolution_rate": percent(row["resolved"], in_competence),
        "on_time_rate": percent(row["resolved_on_time"], row["resolved"]),
    }


def figures(f: StatsFilter) -> dict[str, Any]:
    """The summary for a period and scope: one query (plus one for the median)."""
    row = stats_queryset(f).aggregate(**figure_aggregates(f.start, f.end))
    return {**with_rates(row), "median_days_to_resolve": median_days_to_resolve(f)}


def figures_by(f: StatsFilter, dimension: str) -> list[dict[str, Any]]:
    """The same figures per agency, commune, field, kind or channel: one grouped query."""
    column = STAT_DIMENSIONS[dimension]
    rows = (
        stats_queryset(f)
        .values(column)
        .annotate(**figure_aggregates(f.start, f.end))
        .order_by(column)
    )
    return [with_rates({**row, "key": row.pop(column)}) for row in rows]


class _Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed in the database."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def day_difference() -> Func:
    """resolved_on − received_on in days (a plain number of days in PostgreSQL)."""
    # date − date is a plain number of days in PostgreSQL.
    return Func(
        F("resolved_on"),
        F("received_on"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def median_days_to_resolve(f: StatsFilter) -> float | None:
    """Median of (resolved_on − received_on) in days over the period's resolutions."""
    resolved = stats_queryset(f).filter(resolved_on__range=(f.start, f.end))
    if connection.vendor == "postgresql":
        return resolved.aggregate(median=_Median(day_difference()))["median"]
    # Other databases: order the day counts and read the middle (two small queries).
    days = resolved.annotate(
        days=ExpressionWrapper(F("resolved_on") - F("received_on"), output_field=IntegerField())
    )
    count = days.count()
    if not count:
        return None
    middle = list(
        days.order_by("days").values_list("days", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    values = [_as_days(v) for v in middle]
    return sum(values) / len(values)


def _as_days(value: Any) -> float:
    # SQLite returns date differences as microseconds in a duration; others as days.
    if hasattr(value, "days"):
        return float(value.days)
    return float(value) / 86_400_000_000 if abs(float(value)) > 100_000 else float(value)


def attention_needed(agency_ids: frozenset[int], *, today: date, limit: int = 10) -> dict[str, Any]:
    """Overdue and due-soon open petitions of some agencies, for a lead's weekly digest."""
    base = Petition.objects.filter(handling_agency_id__in=agency_ids, status__in=OPEN_STATUSES)
    overdue = base.filter(clock_due_on__lt=today)
    due_soon = base.filter(phase_filter("clock", "due_soon", today))
    counts = base.aggregate(
        overdue=Count("id", filter=Q(clock_due_on__lt=today)),
        due_soon=Count("id", filter=phase_filter("clock", "due_soon", today)),
    )
    return {
        **counts,
        "overdue_list": list(
            overdue.select_related("handling_agency").order_by("clock_due_on", "id")[:limit]
        ),
        "due_soon_list": list(
            due_soon.select_related("handling_agency").order_by("clock_due_on", "id")[:limit]
        ),
    }
