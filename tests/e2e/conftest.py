"""Browser tests: Playwright for Python driving Debian's Chromium, never a downloaded one."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

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


# Accessibility: axe-core (tests/e2e/vendor/axe.min.js, from the npm package axe-core
# 4.14.1, MPL-2.0) checks every page the browser tests open, once when it has loaded and
# again on the page a test ends on (after its clicks), and the test fails on any serious
# or critical violation. The check runs inside the page and reports through an exposed
# function, so a test does not wait for it; a page left before its check finished is
# checked by the tests that stop on it (tests/e2e/test_a11y.py opens every page). A test
# that must live with a violation it cannot fix (third-party markup) lists the rule's id
# in `page.axe_skip`, with a comment saying why.
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_IMPACTS = ("serious", "critical")
AXE_LISTENER = """
(() => {
  if (window.top !== window || !window.axe || !location.protocol.startsWith("http")) {
    return;  // frames are checked with their page; about:blank is nobody's page
  }
  let running = Promise.resolve([]);
  // One run at a time (axe refuses a second while one is going): a check asked for
  // while another runs waits for it, then looks at the page as it is by then.
  window.__axeCheck = () => {
    // No preload: axe would fetch the stylesheets a stylesheet @imports (the admin's)
    // and write them into <style> elements, which the Content-Security-Policy refuses.
    running = running.catch(() => []).then(() => window.axe.run(document, {
      resultTypes: ["violations"], iframes: false, preload: false,
    })).then((result) => result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id, impact: v.impact, help: v.help, url: location.href,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
      })));
    return running;
  };
  // The check of the page as loaded, settled once its findings are reported.
  window.__axeLoaded = new Promise((resolve) => {
    window.addEventListener("load", () => {
      window.__axeCheck().then((found) => found.length && window.__reportAxeViolations
        ? window.__reportAxeViolations(found) : null).then(resolve, resolve);
    });
  });
})();
"""


def axe_report(found: list[dict], skip: list[str]) -> str:
    """The serious and critical violations axe found, minus the skipped rules, one line
    per rule and page (empty: none)."""
    lines: dict[str, None] = {}
    for v in found:
        if v["id"] in skip:
            continue
        nodes = ", ".join(v["nodes"])
        lines[f"{v['impact']} {v['id']} on {v['url']}: {v['help']} — {nodes}"] = None
    return "\n".join(lines)


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
    # Reduced motion: Bootstrap then draws its states (hover, collapse, fade) at once, so
    # axe never measures the colours of a transition half-way.
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 412, "height": 900}, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    violations: list[str] = []
    context.expose_function("__reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    context.on("console", on_console)
    axe_found: list[dict] = []
    context.expose_function("__reportAxeViolations", lambda found: axe_found.extend(found))
    context.add_init_script(AXE_SOURCE)
    context.add_init_script(AXE_LISTENER)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    # A test that expects a refusal (a third-party URL a bundle hard-codes) lists it here.
    page.csp_expected = []  # type: ignore[attr-defined]
    # axe rules a test may not fail on, each with a comment in the test saying why.
    page.axe_skip = []  # type: ignore[attr-defined]
    # Waits until axe has checked (and reported on) the page as it loaded, for a test
    # that moves on at once; check_axe() checks the page as it is now.
    page.wait_for_axe = lambda: page.evaluate("window.__axeLoaded || null")  # type: ignore[attr-defined]
    page.check_axe = lambda: axe_found.extend(  # type: ignore[attr-defined]
        page.evaluate("window.__axeCheck ? window.__axeCheck() : []")
    )
    yield page
    if not page.is_closed():
        # A page mid-navigation has nothing more to say; what it had is in `violations`.
        with contextlib.suppress(Exception):
            violations.extend(page.evaluate("window.__cspViolations || []"))
        # The page the test ends on, as its last clicks left it.
        with contextlib.suppress(Exception):
            axe_found.extend(page.evaluate("window.__axeCheck ? window.__axeCheck() : []"))
    context.close()
    expected = page.csp_expected  # type: ignore[attr-defined]
    violations = [v for v in violations if not any(url in v for url in expected)]
    failures = []
    if violations:
        failures.append(
            "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations))
        )
    axe_failures = axe_report(axe_found, page.axe_skip)  # type: ignore[attr-defined]
    if axe_failures:
        failures.append(
            "Accessibility (axe-core) serious or critical violations — fix the template, "
            "see https://dequeuniversity.com/rules/axe/4.14/<rule>:\n" + axe_failures
        )
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def totp_code(device) -> str:
    """The code the user's authenticator shows now: the next step's when this step's
    code was already used (django-otp accepts one step either side, never a code twice)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def staff_login(page, username: str, password: str = "mat-khau-thu-nghiem") -> None:  # noqa: S107
    """Log in through the login form as a person does: the password, then, when the
    two-factor code page appears (leads, monitors, administrators, anyone who opted in),
    a real TOTP code computed from the user's authenticator, which is created first if a
    user who must have one has none (the stand-in for the phone enrolled earlier)."""
    from django.contrib.auth.models import User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from twofactor.policy import required_for

    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and required_for(user):
        device = TOTPDevice.objects.create(user=user, name="browser-test", confirmed=True)
    page.goto(page.base_url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: urlparse(url).path != "/login/")
    if device is not None and urlparse(page.url).path == "/login/code/":
        page.locator("#id_code").fill(totp_code(device))
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_url(lambda url: urlparse(url).path != "/login/code/")
