"""The reception figures (DOMAIN "The figures"): aggregates only, never a person.

For a period (the visit's date) and a scope (agencies; a province for the public page):

- **visits** (lượt): rows of the register;
- **matters** (vụ việc): visits that opened a matter — a returning citizen on the same
  matter (`Visit.matter` set) is a visit, not a new matter;
- **delegations** (đoàn đông người) and **people in them**; **people** received in all;
- **became a petition**: visits whose outcome opened a petition (a written one received
  or a verbal one minuted) ÷ visits;
- **answered within 10 working days** (Luật Tiếp công dân art. 28): answers given by the
  answer's due date ÷ answers owed — those given, and those still missing past their
  due date (an answer not yet due counts in neither).

Each figure set is one aggregate query (`Count(filter=…)`), by dimension one grouped
query; query counts are tested and constant in the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from agencies.models import Field
from casework.rates import percent
from casework.search import narrowed

from .models import PETITION_OUTCOMES, Visit

DIMENSIONS = {
    "agency": ("agency_id", "agency__name"),
    "commune": ("commune_id", "commune__name"),
    "field": ("field",),
    "month": ("month",),
}


@dataclass(frozen=True)
class FigureFilters:
    start: date
    end: date
    agency: int | None = None
    commune: int | None = None
    field: str = ""


def _aggregates(today: date) -> dict[str, Any]:
    answered = Q(answered_on__isnull=False)
    missing = Q(answered_on__isnull=True, answer_due_on__lt=today)
    return {
        "visits": Count("id"),
        "matters": Count("id", filter=Q(matter__isnull=True)),
        "people": Sum("people_count"),
        "delegations": Count("id", filter=Q(is_delegation=True)),
        "delegation_people": Sum("people_count", filter=Q(is_delegation=True)),
        "petitions": Count("id", filter=Q(outcome__in=PETITION_OUTCOMES)),
        "leader_in_person": Count("id", filter=Q(leader_in_person=True)),
        "answers_owed": Count("id", filter=answered | missing),
        "answered_on_time": Count("id", filter=answered & Q(answered_on__lte=F("answer_due_on"))),
        "answers_missing": Count("id", filter=missing),
    }


def _rates(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("people", "delegation_people"):
        row[key] = row.get(key) or 0
    row["petition_rate"] = percent(row["petitions"], row["visits"])
    row["answer_rate"] = percent(row["answered_on_time"], row["answers_owed"])
    return row


def scoped(
    *, agency_ids: Iterable[int] | None = None, province: int | None = None
) -> QuerySet[Visit]:
    """The visits of the reader's agencies, or (public page) of a whole province."""
    qs = Visit.objects.all()
    if province is not None:
        return qs.filter(agency__province_id=province)
    return qs.filter(agency_id__in=list(agency_ids or ()))


def in_period(qs: QuerySet[Visit], filters: FigureFilters) -> QuerySet[Visit]:
    qs = qs.filter(visited_on__gte=filters.start, visited_on__lte=filters.end)
    return narrowed(qs, agency_id=filters.agency, commune_id=filters.commune, field=filters.field)


def totals(qs: QuerySet[Visit], filters: FigureFilters, *, today: date) -> dict[str, Any]:
    """Every figure over the period: one query."""
    return _rates(dict(in_period(qs, filters).aggregate(**_aggregates(today))))


def breakdown(
    qs: QuerySet[Visit], filters: FigureFilters, dimension: str, *, today: date
) -> list[dict[str, Any]]:
    """The figures per agency, commune, field or month: one grouped query."""
    rows = in_period(qs, filters)
    if dimension == "month":
        rows = rows.annotate(month=TruncMonth("visited_on"))
    columns = DIMENSIONS[dimension]
    grouped = rows.order_by().values(*columns).annotate(**_aggregates(today))
    result = []
    labels = dict(Field.choices)
    for row in grouped:
        row = _rates(dict(row))
        if dimension == "agency":
            row["key"], row["label"] = row.pop("agency_id"), row.pop("agency__name")
        elif dimension == "commune":
            row["key"], row["label"] = row.pop("commune_id"), row.pop("commune__name") or ""
        elif dimension == "field":
            row["key"] = row.pop("field")
            row["label"] = str(labels.get(row["key"], row["key"]))
        else:
            month = row.pop("month")
            month = month.date() if hasattr(month, "date") else month
            row["key"], row["label"] = month.isoformat()[:7], month.strftime("%m/%Y")
        result.append(row)
    if dimension == "month":
        return sorted(result, key=lambda r: r["key"])
    return sorted(result, key=lambda r: (-r["visits"], str(r["label"])))


def figures(qs: QuerySet[Visit], filters: FigureFilters, *, today: date) -> dict[str, Any]:
    """Totals and every breakdown: five queries whatever the data."""
    return {
        "totals": totals(qs, filters, today=today),
        **{
            f"by_{dimension}": breakdown(qs, filters, dimension, today=today)
            for dimension in DIMENSIONS
        },
    }
