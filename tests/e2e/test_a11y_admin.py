"""The administrators' pages (Django's admin, with our models) under axe-core: the
`page` fixture fails on a serious or critical violation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import staff_login
from tests.e2e.site_pages import DEMO_PASSWORD, DJANGO_ADMIN_AXE, demo_province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_admin_pages_an_administrator_uses_have_no_serious_violation(page):
    page.axe_skip.extend(DJANGO_ADMIN_AXE)  # Django's own markup (site_pages.py says which)
    demo_province()
    staff_login(page, "quantri", DEMO_PASSWORD)
    page.goto(page.base_url + "/admin/")
    page.wait_for_axe()
    # Every list and add form the index links to, and the first row of each list.
    links = page.eval_on_selector_all(
        "#content-main a[href^='/admin/']",
        "links => [...new Set(links.map((a) => a.href))]",
    )
    assert links
    for url in links:
        page.goto(url)
        page.wait_for_axe()
        row = page.locator("#result_list tbody th a").first
        if row.count():
            row.click()
            page.wait_for_load_state()
            page.wait_for_axe()
