"""Browser tests: Playwright for Python driving Debian's Chromium, never a downloaded one."""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Django refuses ORM calls from the event loop Playwright runs in the main thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every page the browser tests open reports its Content-Security-Policy violations: the
# `securitypolicyviolation` events go to window.__cspViolations and, so that a page left
# by a navigation still counts, to Python through an exposed function. Chromium's
# console errors about the policy are collected too (they also cover workers).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const text = `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` in ${event.documentURI}`
    + (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : "")
    + (event.sample ? `: ${event.sample}` : "");
  window.__cspViolations.push(text);
  if (window.__reportCspViolation) {
    window.__reportCspViolation(text);
  }
}, true);
"""


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        skip_or_fail("playwright is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 412, "height": 900})
    context.set_default_timeout(15_000)
    violations: list[str] = []
    context.expose_function("__reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", on_console)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    # A test that expects a refusal (a third-party URL a bundle hard-codes) lists it here.
    page.csp_expected = []  # type: ignore[attr-defined]
    yield page
    if not page.is_closed():
        # A page mid-navigation has nothing more to say; what it had is in `violations`.
        with contextlib.suppress(Exception):
            violations.extend(page.evaluate("window.__cspViolations || []"))
    context.close()
    expected = page.csp_expected  # type: ignore[attr-defined]
    violations = [v for v in violations if not any(url in v for url in expected)]
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)),
            pytrace=False,
        )
