"""What every case machine's pages share: reading query parameters that cannot reach
the database as garbage, and running a service so that its refusal reads the same on
every page (a field error beside the field, a conflict or a missing right as a
message)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils.functional import cached_property

from agencies.models import Agency
from agencies.scope import Scope, scope_for

from .drf.fields import MAX_ID
from .errors import Conflict, NotPermitted
from .forms import add_service_errors

T = TypeVar("T")


def int_param(value: str | None) -> int | None:
    """A row id from a query string: a positive integer a bigint column can hold, or
    None. A larger number would overflow the driver (a server error)."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def choice_param(params: QueryDict, name: str, allowed: Iterable[str]) -> str:
    """The parameter when it is one of `allowed`, else empty (no filter)."""
    value = params.get(name, "")
    return value if value in set(allowed) else ""


def staff_scope(request: HttpRequest) -> Scope:
    """The reader's scope on a staff page. Someone with no agency to read (a citizen
    with an account) finds no such page at all: 404, not an empty list."""
    scope = scope_for(request.user)
    if not scope.visible:
        raise Http404
    return scope


def agency_choices(scope: Scope) -> QuerySet[Agency] | list[Agency]:
    """The agencies a staff list may be narrowed to: none to offer when the reader sees
    only one."""
    if len(scope.visible) > 1:
        return Agency.objects.filter(pk__in=scope.visible).order_by("name")
    return []


class BoundedPaginator(Paginator):
    """A paginator that counts no further than `bound` rows.

    Counting every match of a word over years of closed cases reads them all (seconds
    at millions of rows) while the page itself needs 25; past the bound the list says
    "more than …" and its pages stop there (narrowing finds the rest). `exact` tells the
    template which of the two it shows.
    """

    def __init__(self, object_list: QuerySet[Any] | list[Any], per_page: int, *, bound: int):
        super().__init__(object_list, per_page)
        self.bound = bound

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # No ORDER BY: any bound + 1 rows tell "more than"; the order would make
            # PostgreSQL find (or sort) the first ones in it.
            return int(rows.order_by()[: self.bound + 1].count())
        return min(len(rows), self.bound + 1)

    @property
    def exact(self) -> bool:
        return self.count <= self.bound


def page_of(
    request: HttpRequest, qs: QuerySet[Any] | list[Any], size: int, *, bound: int | None = None
) -> Page:
    """The requested page of `qs`; with `bound`, counted no further than that."""
    paginator = Paginator(qs, size) if bound is None else BoundedPaginator(qs, size, bound=bound)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(params: QueryDict) -> str:
    """The current filters as a query string, for the pager's links."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


@dataclass
class CaseListFilters:
    """What every case machine's list narrows by (words, field, status, agency; blank:
    all); each list's filters add their own."""

    q: str = ""
    field: str = ""
    status: str = ""
    agency: int | None = None


@dataclass
class Ran(Generic[T]):
    """What running a service from a page came to."""

    ok: bool
    result: T | None = None
    # A conflict or a missing right was told with messages.error (nothing to re-show).
    refused: bool = False


def run_form(
    request: HttpRequest, form: forms.BaseForm, call: Callable[[dict[str, Any]], T]
) -> Ran[T]:
    """Validate `form` and run the service on its data.

    A ValidationError goes onto the form beside its fields; a Conflict (illegal or lost
    move) or NotPermitted is told as a message. The caller redirects on `ok` or
    `refused` and re-renders the bound form otherwise.
    """
    if not form.is_valid():
        return Ran(ok=False)
    try:
        return Ran(ok=True, result=call(form.cleaned_data))
    except ValidationError as exc:
        add_service_errors(form, exc)
    except (Conflict, NotPermitted) as exc:
        messages.error(request, str(exc.message))
        return Ran(ok=False, refused=True)
    return Ran(ok=False)


def run_button(request: HttpRequest, call: Callable[[], T]) -> Ran[T]:
    """Run a service behind a button with no form: every refusal is a message."""
    try:
        return Ran(ok=True, result=call())
    except (Conflict, NotPermitted) as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return Ran(ok=False, refused=True)
