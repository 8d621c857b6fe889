"""Pages the other browser tests do not open, under the enforced Content-Security-Policy:
the API docs (Swagger UI, ReDoc from drf-spectacular-sidecar) and Django's admin. The
`page` fixture fails a test on any policy violation."""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import staff_login
from tests.e2e.site_pages import DJANGO_ADMIN_AXE
from tests.factories import AgencyFactory, submit_petition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


# The API docs are drf-spectacular's page and Swagger UI's or ReDoc's markup, for
# developers: no <html lang> in the package's template, the bundles' own colours and
# nested buttons. Not ours to fix; every page of ours passes axe (test_a11y.py).
THIRD_PARTY_DOCS_AXE = [
    "html-has-lang",
    "color-contrast",
    "nested-interactive",
    "label-content-name-mismatch",
]


def test_swagger_ui_renders_the_schema_offline(page):
    page.axe_skip.extend(THIRD_PARTY_DOCS_AXE)
    page.goto(page.base_url + "/api/docs/")
    page.locator(".swagger-ui .info .title").filter(has_text="civic-portal API").wait_for()
    page.locator(".opblock-tag").first.wait_for()


def test_redoc_renders_the_schema_offline_and_searches_in_its_worker(page):
    # ReDoc's sidebar always shows Redocly's logo from their CDN: the policy refuses it,
    # as it should on an intranet (the bundle then drops the image).
    page.csp_expected.append("https://cdn.redoc.ly/")
    page.axe_skip.extend(THIRD_PARTY_DOCS_AXE)
    page.set_viewport_size({"width": 1280, "height": 900})  # the sidebar, with the search
    page.goto(page.base_url + "/api/redoc/")
    page.get_by_role("heading", name="civic-portal API").first.wait_for()
    page.get_by_placeholder("Search...").fill("petition")
    page.locator("[data-role='search:results']").wait_for()


def test_the_admin_logs_in_lists_and_edits_under_the_policy(page):
    get_user_model().objects.create_superuser("quantri", "qt@example.vn", "mat-khau-thu-nghiem")
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Ninh Bình")

    page.axe_skip.extend(DJANGO_ADMIN_AXE)  # Django's own markup (site_pages.py says which)
    page.goto(page.base_url + "/admin/")
    page.locator("#id_username").wait_for()  # Django's own login page, under the policy
    # A superuser passes the second step too (twofactor): the portal's login does both.
    staff_login(page, "quantri")
    page.goto(page.base_url + "/admin/")
    page.locator("#site-name").wait_for()

    page.goto(page.base_url + "/admin/agencies/agency/")
    page.locator("#result_list").wait_for()
    page.locator("#action-toggle").check()  # actions.js
    page.goto(page.base_url + f"/admin/agencies/agency/{agency.pk}/change/")
    page.locator("input[name=_save]").wait_for()
    page.goto(page.base_url + "/admin/auth/user/add/")
    page.locator("#id_username").wait_for()


def test_the_handlers_that_replaced_inline_ones_still_work(page):
    """The language switch submits itself and Print prints, from static/js/portal.js."""
    submitted = submit_petition()
    page.add_init_script("window.print = () => { window.__printed = true; };")

    page.goto(page.base_url + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(submitted.petition.reference)
    page.get_by_label("Mã tra cứu").fill(submitted.tracking_code)
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#status").wait_for()
    page.get_by_role("button", name="In").click()
    assert page.evaluate("window.__printed") is True

    page.goto(page.base_url + "/")
    page.get_by_role("button", name="Mở menu").click()
    page.locator("#nav.show").wait_for()
    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").select_option("en")
    assert page.locator("html").get_attribute("lang") == "en"
