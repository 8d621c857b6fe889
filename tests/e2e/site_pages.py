"""The pages a person reaches, for the browser tests that look at every page (axe in
test_a11y.py, the phone layout in test_phone_layout.py): the demo province of
`make run` behind them, and a crawl that follows the links a person can click."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlparse

from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

DEMO_PASSWORD = "demo-2026"  # agencies.demo: every demo user's
# Not pages a person reads: leaving, changing language, the admin (Django's own, with its
# own test), the API and its docs, files to download.
NOT_PAGES = re.compile(
    r"^/(logout|i18n|admin|api|open311|media|static)/"
    r"|\.(xlsx|csv|pdf|zip|json|ics)$|/attachments/\d+/|/document/$"
)
DOWNLOAD_QUERY = re.compile(r"(^|&)(format|export)=")
# axe rules the Django admin's own markup and stylesheet break, not ours: its breadcrumbs'
# links are told apart by colour only, a tabular inline labels its fields by the column
# header only, and the autocomplete (select2) widgets name their combobox by the label
# beside it only. For `page.axe_skip` on the admin's pages.
DJANGO_ADMIN_AXE = ["link-in-text-block", "label", "select-name", "aria-input-field-name"]


def demo_province() -> list[tuple[str, str]]:
    """The directory, petitions and voter recommendations of `make run`'s demo; returns
    the petitions it offers to track (reference, tracking code). (The pages of the other
    apps are reached all the same, with what these leave in them.)"""
    from agencies.demo import seed_directory
    from petitions import demo as petitions_demo
    from recommendations import demo as recommendations_demo

    call_command("load_units", verbosity=0)
    directory = seed_directory()
    tracked = petitions_demo.seed(directory)
    recommendations_demo.seed(directory)
    return tracked


def crawl(
    page, start: str, visit: Callable[[object, str], None], *, per_view: int = 2, limit: int = 40
) -> list[str]:
    """Open the pages reachable by links from `start` with `visit(page, url)`, each view
    at most `per_view` times (filters, sorting and pages of a list are the same page
    with other rows); the paths visited."""
    origin = urlparse(page.base_url)
    queue, seen, visited = [start], set(), []
    views: Counter[str] = Counter()
    while queue and len(visited) < limit:
        url = queue.pop(0)
        parsed = urlparse(url)
        if url in seen or parsed.netloc != origin.netloc or NOT_PAGES.search(parsed.path):
            continue
        seen.add(url)
        try:
            view = resolve(parsed.path).view_name
        except Resolver404:
            continue
        if views[view] >= per_view or DOWNLOAD_QUERY.search(parsed.query):
            continue
        views[view] += 1
        try:
            visit(page, url)
        except PlaywrightError as exc:  # a link to a file, whatever its address says
            if "Download is starting" not in str(exc):
                raise
            continue
        visited.append(parsed.path)
        links = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
        queue.extend(link.split("#")[0] for link in links)
    return visited
