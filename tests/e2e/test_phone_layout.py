"""Every public page reads on a 360-pixel-wide phone without scrolling the page sideways.

A table wider than the screen may scroll inside its own box (.table-responsive), never
the page; long texts wrap. The pages are those a citizen reaches by links from the home
page, with the demo province's data (sessions' published results, the transparency
figures), a tracked case and its forms, and the forms as they come back with errors.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import staff_login
from tests.e2e.site_pages import DEMO_PASSWORD, crawl, demo_province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
# What sticks out past the right edge of the screen, outside a box that scrolls itself,
# to say what to fix.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > edge + 1)
    .filter((e) => !e.parentElement.closest(".table-responsive, .overflow-auto, pre"))
    .slice(0, 5)
    .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`
      + ` ends at ${Math.round(e.getBoundingClientRect().right)} px`);
}"""


class Fits:
    """Opens pages at phone width and notes each that scrolls sideways."""

    def __init__(self) -> None:
        self.too_wide: list[str] = []

    def check(self, page) -> None:
        scroll, client = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if scroll > client:
            self.too_wide.append(
                f"{page.url}: {scroll} px wide on a {client} px screen — "
                + "; ".join(page.evaluate(WIDEST))
            )

    def visit(self, page, url: str) -> None:
        page.goto(url)
        self.check(page)


def test_every_public_page_fits_a_360_pixel_phone(page):
    reference, code = demo_province()[0]
    page.set_viewport_size(PHONE)
    fits = Fits()
    base = page.base_url

    visited = crawl(page, base + "/", fits.visit, per_view=3)
    assert {"/", "/gui-don/", "/tra-cuu/", "/kien-nghi-cu-tri/", "/minh-bach/"} <= set(visited)
    assert any(path.startswith("/kien-nghi-cu-tri/ky-hop/") for path in visited)
    for path in ("/login/", "/khong-co-trang-nay/"):
        fits.visit(page, base + path)

    # The forms with their errors.
    page.goto(base + "/gui-don/")
    page.get_by_role("button", name="Gửi đơn").click()
    page.locator(".is-invalid").first.wait_for()
    fits.check(page)

    # A tracked case, and the forms of what the citizen may do with it.
    page.goto(base + "/tra-cuu/")
    page.get_by_label("Số hồ sơ").fill(reference)
    page.get_by_label("Mã tra cứu").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.locator("#status").wait_for()
    crawl(page, page.url, fits.visit)

    assert not fits.too_wide, "Pages that scroll sideways on a phone:\n" + "\n".join(fits.too_wide)


def test_the_public_results_of_a_session_give_the_recommendation_the_whole_width(page):
    """The defect of issue 14: the answers squeezed the recommendation to a few
    characters. On a phone each row is a card whose text spans the screen."""
    demo_province()
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/kien-nghi-cu-tri/")
    page.locator("a[href^='/kien-nghi-cu-tri/ky-hop/']").first.click()
    text = page.locator("#results tbody tr td:nth-child(2)").first
    assert text.bounding_box()["width"] >= 300
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_transparency_pages_table_captions_wrap_inside_the_screen(page):
    """The defect of issue 14: a figures table's caption ran past the right edge."""
    demo_province()
    page.set_viewport_size(PHONE)
    page.goto(page.base_url + "/minh-bach/")
    captions = [c.bounding_box() for c in page.locator(".table-responsive caption").all()]
    assert captions
    for box in filter(None, captions):
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize(
    ("username", "start"),
    [("xuly", "/staff/"), ("hdnd", "/staff/recommendations/"), ("giamsat", "/staff/dashboard/")],
)
def test_the_staff_pages_fit_a_phone_too(page, username, start):
    """Officials answer from a phone as well: a handler, council staff, a monitor."""
    demo_province()
    page.set_viewport_size(PHONE)
    staff_login(page, username, DEMO_PASSWORD)
    fits = Fits()
    assert len(crawl(page, page.base_url + start, fits.visit, per_view=1)) > 3
    assert not fits.too_wide, "Pages that scroll sideways on a phone:\n" + "\n".join(fits.too_wide)
