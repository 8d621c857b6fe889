"""Accessibility of every page a person uses, checked by axe-core in Chromium.

The `page` fixture (tests/e2e/conftest.py) runs axe on every page any browser test
loads and fails the test on a serious or critical violation. These tests make sure that
every page is loaded at least once, with the demo province's data behind it: a citizen's
pages (the forms also with their errors shown), then, for each role, every page its
links lead to — a crawl, so that the pages of a new app are checked as soon as a link
leads there. On each page the collapsed parts (the action forms, the menu) are opened
and checked too.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import staff_login
from tests.e2e.site_pages import DEMO_PASSWORD, crawl, demo_province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPEN_COLLAPSED = """() => {
  const closed = document.querySelectorAll(".collapse:not(.show)");
  closed.forEach((element) => element.classList.add("show"));
  return closed.length;
}"""


def check(page, url: str) -> None:
    """Open `url`, wait for axe's check of it, then open what is collapsed and check the
    page again."""
    page.goto(url)
    page.wait_for_axe()
    if page.evaluate(OPEN_COLLAPSED):
        page.check_axe()


def test_a_citizens_pages_have_no_serious_accessibility_violation(page):
    tracked = demo_province()
    base = page.base_url
    for path in ("/", "/gui-don/", "/tra-cuu/", "/kien-nghi-cu-tri/", "/minh-bach/", "/login/"):
        check(page, base + path)
    check(page, base + "/khong-co-trang-nay/")  # the 404 page

    # The forms as they come back with errors.
    page.goto(base + "/gui-don/")
    page.get_by_role("button", name="Gửi đơn").click()
    page.locator(".is-invalid").first.wait_for()
    page.check_axe()
    page.goto(base + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill("KN-2026-999999")
    page.get_by_label("Mã tra cứu").fill("SAI-MA-TRA-CUU")
    page.get_by_role("button", name="Tra cứu").click()
    page.get_by_role("alert").first.wait_for()
    page.check_axe()

    # Every page a citizen reaches from the public ones: the results of each session.
    assert any("/kien-nghi-cu-tri/ky-hop/" in p for p in crawl(page, base + "/", check))

    # A tracked case and what the citizen may do with it.
    reference, code = tracked[0]
    page.goto(base + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(reference)
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#status").wait_for()
    assert any(p.startswith(f"/tra-cuu/{reference}/") for p in crawl(page, page.url, check))


@pytest.mark.parametrize(
    ("username", "start"),
    [
        ("xuly", "/staff/"),  # a handler: the inbox, a case, recording a petition
        ("lanhdao", "/staff/"),  # a lead: the decisions' forms
        ("hdnd", "/staff/recommendations/"),  # council staff: sessions, consolidation
        ("lanhdao.xd", "/staff/recommendations/inbox/"),  # an agency answering the council
        ("giamsat", "/staff/dashboard/"),  # a monitor: dashboard and drill-down
    ],
)
def test_every_page_of_a_staff_role_has_no_serious_accessibility_violation(page, username, start):
    demo_province()
    staff_login(page, username, DEMO_PASSWORD)
    visited = crawl(page, page.base_url + start, check, per_view=1)
    assert len(visited) > 3, visited
