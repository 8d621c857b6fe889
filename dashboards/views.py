"""Pages: the staff dashboard, the cases behind a number, its exports, and the public
transparency page. Thin: validate the query, call selectors, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from casework.replicas import data_as_of, reading_from_replica
from petitions.models import Channel, Field, Kind
from petitions.presentation import STATUS_BADGES
from petitions.selectors import StatsFilter

from . import exports, presentation, selectors
from .serializers import CasesQuerySerializer, StatsQuerySerializer

DEFAULT_SORT = "-resolution_rate"
# What the dashboard's figures group the open cases by (selectors.one_pass).
DASHBOARD_GROUPS = (None, "agency", "kind", "field", "commune", "trend", "median")
CASES_PER_PAGE = 50
# The dashboard lists this many sessions, the most recent (a province's councils hold
# hundreds in a term; each session's page has its figures, the stats API all of them).
DASHBOARD_SESSIONS = 20
# The public page's figures are recomputed at most this often (seconds).
PUBLIC_CACHE_SECONDS = 300


def _require_figures(request: HttpRequest) -> None:
    # Others get the 404 every staff page gives outside one's scope.
    if not selectors.can_see_dashboard(request.user):
        raise Http404


def _query(request: HttpRequest, serializer: type[StatsQuerySerializer]) -> StatsQuerySerializer:
    return serializer(
        data=request.GET.dict(),
        context={"user": request.user, "today": timezone.localdate()},
    )


def _form_context(request: HttpRequest) -> dict[str, Any]:
    choices = selectors.filter_choices(request.user)
    return {
        "choices": choices,
        "kinds": Kind.choices,
        "fields": Field.choices,
        "channels": Channel.choices,
        "values": request.GET,
    }


def _sort_links(filters: selectors.Filters, current: str) -> dict[str, str]:
    """Each column header sorts by its key; clicking the current one reverses it."""
    links = {}
    for key in selectors.SORTS:
        descending_first = key != "label"
        if current.lstrip("-") == key:
            target = key if current.startswith("-") else f"-{key}"
        else:
            target = f"-{key}" if descending_first else key
        links[key] = "?" + presentation.query_string(filters, sort=target)
    return links


def _agency_rows(f: StatsFilter, sort: str) -> list[dict[str, Any]]:
    return selectors.sort_rows(selectors.breakdown(f, "agency"), sort)


@login_required
@require_GET
@reading_from_replica()
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_figures(request)
    query = _query(request, StatsQuerySerializer)
    context = _form_context(request)
    if not query.is_valid():
        return render(
            request, "dashboards/dashboard.html", {**context, "errors": query.errors}, status=400
        )
    filters = query.filters()
    f = selectors.stats_filter(request.user, filters)
    sort = request.GET.get("sort") or DEFAULT_SORT
    with selectors.one_pass(f, DASHBOARD_GROUPS):
        summary = selectors.summary(f)
        agencies = _agency_rows(f, sort)
        by_kind = selectors.breakdown(f, "kind")
        by_field = selectors.breakdown(f, "field")
        by_commune = selectors.commune_breakdown(f)
        trend = selectors.trend(f)
    presentation.with_links(agencies, filters, "agency")
    presentation.with_links(by_field, filters, "field")
    presentation.with_links(by_commune, filters, "commune")
    recommendations = selectors.recommendation_stats(request.user)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            **context,
            "filters": filters,
            "summary": summary,
            "summary_links": presentation.summary_links(filters),
            "agencies": agencies,
            "by_field": by_field,
            "by_commune": by_commune,
            "trend": trend,
            "charts": {
                "trend": presentation.trend_chart(trend),
                "kind": presentation.share_chart(by_kind),
                "field": presentation.share_chart(by_field, kind="bar"),
            },
            "sort": sort,
            "sort_links": _sort_links(filters, sort),
            "export_query": presentation.query_string(filters, sort=sort),
            "min_ranked": selectors.MIN_RANKED,
            "recommendations": recommendations,
            "session_limit": f":{DASHBOARD_SESSIONS}",
        },
    )


@login_required
@require_GET
@reading_from_replica()
def cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the dashboard: exactly those it counts."""
    _require_figures(request)
    query = _query(request, CasesQuerySerializer)
    if not query.is_valid():
        return render(request, "dashboards/cases.html", {"errors": query.errors}, status=400)
    filters = query.filters()
    measure = query.validated_data["measure"]
    f = selectors.stats_filter(request.user, filters)
    page = Paginator(selectors.cases_behind(f, measure), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dashboards/cases.html",
        {
            "page": page,
            "filters": filters,
            "measure": measure,
            "measure_label": selectors.MEASURES[measure],
            "narrowing": exports.describe(filters),
            "query": presentation.query_string(filters, measure=measure),
            "back": reverse("dashboards:dashboard") + "?" + presentation.query_string(filters),
            "today": timezone.localdate(),
            "badges": STATUS_BADGES,
        },
    )


def _export(
    request: HttpRequest,
    respond: Callable[[list[dict[str, Any]], selectors.Filters], HttpResponseBase],
) -> HttpResponseBase:
    """The agency table with the page's filters and order, as `respond` writes it."""
    _require_figures(request)
    query = _query(request, StatsQuerySerializer)
    if not query.is_valid():
        return render(
            request,
            "dashboards/dashboard.html",
            {**_form_context(request), "errors": query.errors},
            status=400,
        )
    filters = query.filters()
    f = selectors.stats_filter(request.user, filters)
    return respond(_agency_rows(f, request.GET.get("sort") or DEFAULT_SORT), filters)


@login_required
@require_GET
@reading_from_replica()
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _export(request, exports.xlsx_response)


@login_required
@require_GET
@reading_from_replica()
def export_csv(request: HttpRequest) -> HttpResponseBase:
    return _export(request, exports.csv_response)


# --- the public transparency page ------------------------------------------------------


def _public_data(province_id: int, today: date) -> dict[str, Any]:
    """This year to date and the whole of last year, cached a few minutes per province:
    a burst of visitors costs one computation, and the page never shows a person."""

    def compute() -> dict[str, Any]:
        ids = selectors.province_agency_ids(province_id)
        last = today.year - 1
        return {
            "current": selectors.public_figures(ids, date(today.year, 1, 1), today),
            "previous": selectors.public_figures(ids, date(last, 1, 1), date(last, 12, 31)),
            "as_of": data_as_of(),
        }

    key = f"dashboards:public:{province_id}:{today.isoformat()}"
    figures = cache.get_or_set(key, compute, PUBLIC_CACHE_SECONDS)
    # get_or_set answers None only when a cache refuses to store; compute it then.
    return figures if isinstance(figures, dict) else compute()


@require_GET
@reading_from_replica()
def transparency(request: HttpRequest) -> HttpResponse:
    provinces = cache.get_or_set(
        "dashboards:public:provinces", selectors.public_provinces, PUBLIC_CACHE_SECONDS
    )
    if not provinces:
        return render(request, "dashboards/transparency.html", {"provinces": []})
    ids = [pk for pk, _name in provinces]
    try:
        province = int(request.GET.get("province", ids[0]))
    except ValueError:
        province = ids[0]
    if province not in ids:
        province = ids[0]
    data = _public_data(province, timezone.localdate())
    years = []
    for name in ("current", "previous"):
        block = data[name]
        years.append(
            {
                **block,
                "by_agency": selectors.sort_rows(block["by_agency"], DEFAULT_SORT),
                "id": name,
                "chart": presentation.trend_chart(block["trend"]),
                "chart_id": f"chart-{name}",
                "agency_table_id": f"agency-table-{name}",
                "field_table_id": f"field-table-{name}",
            }
        )
    return render(
        request,
        "dashboards/transparency.html",
        {
            "provinces": provinces,
            "province": province,
            "province_name": dict(provinces)[province],
            "years": years,
            "min_ranked": selectors.MIN_RANKED,
            "data_as_of": data.get("as_of"),
        },
    )
