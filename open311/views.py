"""The GeoReport v2 endpoints under /open311/v2/: discovery, services, a service's
definition, filing a request and following requests, each as .json or .xml.

Plain Django views rather than DRF: the specification fixes every byte of the answer
(error arrays, XML by the Spark convention, form-encoded posts with api_key in the
body), which DRF's negotiation, authentication and error handler would each reshape.
Every refusal is the specification's error array with its HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import documents, formats, selectors, services
from .catalogue import all_services, service_definition, service_entry, service_for
from .inputs import parse_filing
from .models import Jurisdiction, Partner
from .throttle import allow_anonymous, allow_partner

View = Callable[..., HttpResponse]
# The specification: a query spans at most 90 days and answers 1,000 requests at most.
MAX_SPAN = timedelta(days=90)
PAGE_SIZE = 1000


class Refusal(Exception):
    """An answer of the error array: raised anywhere in a view, rendered once."""

    def __init__(self, status: int, *descriptions: str) -> None:
        self.status = status
        self.descriptions = descriptions
        super().__init__(*descriptions)


def georeport(methods: tuple[str, ...] = ("GET",)) -> Callable[[View], View]:
    """Allowed methods, the anonymous read limit, and refusals in the asked format."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Refusal(405, _("This method is not allowed here."))
                if request.method == "GET" and not allow_anonymous(request):
                    raise Refusal(429, _("Too many requests; try again in an hour."))
                return view(request, *args, fmt=fmt, **kwargs)
            except Refusal as refusal:
                return formats.errors(fmt, refusal.status, *refusal.descriptions)
            except ValidationError as exc:
                return formats.errors(fmt, 400, *(str(m) for m in exc.messages))

        return csrf_exempt(wrapper)

    return decorate


def _params(request: HttpRequest) -> QueryDict:
    return request.POST if request.method == "POST" else request.GET


def _partner(request: HttpRequest, *, required: bool) -> Partner | None:
    key = _params(request).get("api_key", "")
    if not key:
        if required:
            raise Refusal(403, _("api_key was not provided."))
        return None
    partner = selectors.partner_for_key(key)
    if partner is None or not partner.is_usable():
        # One answer for unknown, revoked and expired keys: nothing to learn by trying.
        raise Refusal(403, _("Invalid api_key: it is unknown, revoked or expired."))
    if not allow_partner(partner):
        raise Refusal(429, _("This api_key has used up its requests for this hour."))
    return partner


def _jurisdiction(request: HttpRequest, partner: Partner | None = None) -> Jurisdiction:
    wanted = _params(request).get("jurisdiction_id", "").strip()
    if partner is not None:
        if wanted and wanted != partner.jurisdiction.jurisdiction_id:
            raise Refusal(403, _("This api_key is not valid for jurisdiction_id %s.") % wanted)
        return partner.jurisdiction
    if wanted:
        found = selectors.jurisdiction_by_id(wanted)
        if found is None:
            raise Refusal(404, _("jurisdiction_id %s was not found.") % wanted[:100])
        return found
    # Optional while the portal serves one province (the specification).
    active = selectors.active_jurisdictions()
    if len(active) == 1:
        return active[0]
    if not active:
        raise Refusal(404, _("No jurisdiction is served here yet."))
    raise Refusal(400, _("jurisdiction_id was not provided."))


@georeport()
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:root"))
    return formats.render(fmt, "discovery", documents.discovery(url.rstrip("/")))


@georeport()
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    _jurisdiction(request)
    return formats.render(fmt, "services", [service_entry(s) for s in all_services()])


@georeport()
def service_detail(request: HttpRequest, code: str, *, fmt: str) -> HttpResponse:
    jurisdiction = _jurisdiction(request)
    service = service_for(code)
    if service is None:
        raise Refusal(404, _("service_code %s was not found.") % code[:40])
    definition = service_definition(service, jurisdiction.province)
    return formats.render(fmt, "service_definition", definition)


@georeport(methods=("GET", "POST"))
def request_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _file(request, fmt)
    partner = _partner(request, required=False)
    jurisdiction = _jurisdiction(request, partner)
    query = _request_query(request.GET)
    page = _positive(request.GET.get("page", "1"), "page", 10**6)
    size = _positive(request.GET.get("page_size", str(PAGE_SIZE)), "page_size", PAGE_SIZE)
    # One row past the page says whether another page follows (no COUNT query).
    links = selectors.request_rows(jurisdiction, query, offset=(page - 1) * size, limit=size + 1)
    more, links = len(links) > size, links[:size]
    current = selectors.current_cases(links)
    shown = selectors.filter_by_status(links, current, query.statuses)
    body = [
        documents.request_document(
            link,
            current[link.petition_id],
            filer=partner is not None and link.partner_id == partner.pk,
        )
        for link in shown
    ]
    response = formats.render(fmt, "service_requests", body)
    if more:
        following = request.GET.copy()
        following["page"] = str(page + 1)
        following.pop("api_key", None)  # never echo a key into a URL
        response["Link"] = (
            f'<{request.build_absolute_uri("?" + urlencode(following, doseq=True))}>; rel="next"'
        )
    return response


@georeport()
def request_detail(request: HttpRequest, reference: str, *, fmt: str) -> HttpResponse:
    partner = _partner(request, required=False)
    jurisdiction = _jurisdiction(request, partner)
    link = selectors.request_by_reference(jurisdiction, reference[:20])
    if link is None:
        raise Refusal(404, _("service_request_id %s was not found.") % reference[:20])
    case = selectors.current_cases([link])[link.petition_id]
    filer = partner is not None and link.partner_id == partner.pk
    return formats.render(
        fmt, "service_requests", [documents.request_document(link, case, filer=filer)]
    )


def _file(request: HttpRequest, fmt: str) -> HttpResponse:
    # PostgreSQL refuses NUL in any text: a 400 here rather than a 500 at the insert.
    if any("\x00" in key + value for key, values in request.POST.lists() for value in values):
        raise Refusal(400, _("Null characters are not allowed."))
    partner = _partner(request, required=True)
    assert partner is not None  # noqa: S101 — required=True refuses instead
    jurisdiction = _jurisdiction(request, partner)
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Refusal(400, _("service_code was not provided."))
    service = service_for(code)
    if service is None:
        raise Refusal(404, _("service_code %s was not found.") % code[:40])
    filing = parse_filing(
        request.POST, service, lambda c: selectors.commune_in(jurisdiction.province, c)
    )
    if isinstance(filing, list):
        raise Refusal(400, *filing)
    filed = services.request_file(partner=partner, service=service, filing=filing)
    notice = documents.filed_notice(
        filed.request, filed.tracking_code, request.build_absolute_uri(reverse("petitions:track"))
    )
    body = [
        {
            "service_request_id": filed.request.petition.reference,
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return formats.render(fmt, "service_requests", body)


def _positive(value: str, name: str, most: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise Refusal(
            400,
            _("%(name)s must be a whole number from 1 to %(most)d.") % {"name": name, "most": most},
        )
    return int(value)


def _moment(value: str, name: str) -> datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise Refusal(400, _("%s must be a w3 date and time, e.g. 2026-01-01T00:00:00Z.") % name)
    # The specification requires the offset; a moment without one reads as Vietnam time.
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _request_query(params: QueryDict) -> selectors.RequestQuery:
    ids = _split(params.get("service_request_id", ""))
    statuses = set(_split(params.get("status", "").lower()))
    if statuses - {"open", "closed"}:
        raise Refusal(400, _("status must be open, closed or both, comma-separated."))
    start = _moment(params.get("start_date", ""), "start_date")
    end = _moment(params.get("end_date", ""), "end_date")
    # Without dates, the most recent 90 days (the specification); one date: 90 days from it.
    if start is None:
        end = end or timezone.now()
        start = end - MAX_SPAN
    elif end is None:
        end = start + MAX_SPAN
    if end < start:
        raise Refusal(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Refusal(400, _("start_date and end_date may not span more than 90 days."))
    return selectors.RequestQuery(
        ids=ids[:PAGE_SIZE],
        service_codes=_split(params.get("service_code", "")),
        start=start,
        end=end,
        # service_request_id overrides every other argument (the specification).
        statuses=set() if ids else statuses,
    )
