"""Bulk actions on a case list: the same move on many rows, each through its own service.

A list page posts the rows ticked (or "all matching the filter"); the confirmation
page lists them with the version of each the official saw (`stamp`, its `updated_at`);
applying runs the move on each row on its own — each its own transaction, its own
event, its own refusal — and the summary says what succeeded and what was refused and
why. A row changed by someone else since it was listed is refused alone
(`ConcurrentChange`), as the one door refuses a lost race; the other rows go on.

Nothing here knows a case app: the app hands `apply_rows` its cases and a callable
that runs its move (its `moves.run`), and the pages share the summary's template
(`includes/bulk_summary.html`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .drf.fields import MAX_ID
from .errors import ConcurrentChange, Conflict, NotPermitted

# More rows than this in one run and the official narrows the filter first: each row is
# a transaction with its notices, and the summary must stay readable.
MAX_ROWS = 200
SUMMARY_SESSION_KEY = "bulk_summary"


def stamp(case: models.Model) -> str:
    """The version of a row the official saw: its `updated_at`, to the microsecond."""
    updated = getattr(case, "updated_at", None)
    return updated.isoformat() if updated else ""


def row_token(case: models.Model) -> str:
    """One hidden input of the confirmation page: the row and the version seen."""
    return f"{case.pk}@{stamp(case)}"


def parse_rows(values: Iterable[str]) -> list[tuple[int, str]]:
    """The (pk, stamp) pairs of the posted tokens; malformed ones are dropped (a forged
    form changes nothing), duplicates kept once, in the posted order."""
    rows: dict[int, str] = {}
    for value in values:
        pk_text, _sep, seen = str(value).partition("@")
        if pk_text.isascii() and pk_text.isdigit() and 0 < int(pk_text) <= MAX_ID:
            rows.setdefault(int(pk_text), seen[:40])
    return list(rows.items())


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ids ticked on a list page, garbage dropped, at most one more than MAX_ROWS
    (enough to tell that there were too many)."""
    ids: dict[int, None] = {}
    for value in values:
        text = str(value)
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            ids[int(text)] = None
        if len(ids) > MAX_ROWS:
            break
    return list(ids)


@dataclass(frozen=True)
class RowResult:
    """What happened to one row: done (with what came of it), or refused and why."""

    pk: int
    label: str
    url: str
    ok: bool
    message: str


def apply_rows(
    rows: Sequence[tuple[int, str]],
    cases: dict[int, Any],
    *,
    run: Callable[[Any], Any],
    label: Callable[[Any], str],
    url: Callable[[Any], str],
    done: Callable[[Any, Any], str],
) -> list[RowResult]:
    """Run `run(case)` on each row, in order, each on its own.

    `cases` maps the pks the reader may see to their cases as they are now; a row
    missing from it is refused as not found (outside the reader's scope, or deleted).
    `done(case, result)` says what succeeded ("Assigned to …", "KN-… opened at …").
    Refusals are the services' own: a conflict, a missing right, a validation error.
    """
    results: list[RowResult] = []
    for pk, seen in rows:
        case = cases.get(pk)
        if case is None:
            results.append(
                RowResult(pk, f"#{pk}", "", False, _("Not found among the cases you can see."))
            )
            continue
        try:
            if seen != stamp(case):
                raise ConcurrentChange()
            result = run(case)
        except (Conflict, NotPermitted) as exc:
            message = str(exc.message)
        except ValidationError as exc:
            message = " ".join(exc.messages)
        else:
            results.append(RowResult(pk, label(case), url(case), True, done(case, result)))
            continue
        results.append(RowResult(pk, label(case), url(case), False, message))
    return results


def keep_summary(request: HttpRequest, *, title: str, results: list[RowResult], back: str) -> None:
    """Keep the run's summary for the page the official is redirected to (a reload of
    the summary must not run the move again)."""
    request.session[SUMMARY_SESSION_KEY] = {
        "title": title,
        "back": back,
        "results": [asdict(r) for r in results],
    }


def summary_context(request: HttpRequest) -> dict[str, Any] | None:
    """The last run's summary, split into what succeeded and what was refused."""
    kept = request.session.get(SUMMARY_SESSION_KEY)
    if not kept:
        return None
    results = [RowResult(**r) for r in kept["results"]]
    return {
        "title": kept["title"],
        "back": kept["back"],
        "succeeded": [r for r in results if r.ok],
        "refused": [r for r in results if not r.ok],
    }
