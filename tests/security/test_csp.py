"""Every response carries the enforced Content-Security-Policy (django-csp): our own
origin only, no inline script anywhere; only ReDoc's page allows inline styles and blob:
workers. The templates keep to it: no inline handler, style or script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# ReDoc's styled-components write <style> at run time; its search runs in a blob: worker.
REDOC_POLICY = {
    **POLICY,
    "style-src": ["'self'", "'unsafe-inline'"],
    "worker-src": ["'self'", "blob:"],
}


def directives(response) -> dict[str, list[str]]:
    assert "Content-Security-Policy-Report-Only" not in response, "enforced, not report-only"
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response}"
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} twice in {header!r}"
        parsed[name] = sources
    return parsed


def plain_paths(patterns=None, prefix: str = "") -> list[str]:
    """Every URL of the site that takes no argument (admin's included)."""
    found: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            found += plain_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return sorted(set(found))


def test_the_policy_is_the_documented_one(client):
    response = client.get("/")
    assert response.status_code == 200
    assert directives(response) == POLICY
    no_unsafe = response["Content-Security-Policy"]
    assert "unsafe-inline" not in no_unsafe and "unsafe-eval" not in no_unsafe


def test_every_page_carries_the_policy_anonymously(client):
    paths = plain_paths()
    assert {"/", "/gui-don/", "/tra-cuu/", "/minh-bach/", "/admin/login/"} <= set(paths)
    for path in paths:
        response = client.get(path)
        expected = REDOC_POLICY if path == "/api/redoc/" else POLICY
        assert directives(response) == expected, path


def test_every_page_carries_the_policy_for_staff_and_the_admin(client):
    staff = member(Role.LEAD, username="lanhdao")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    for path in plain_paths():
        response = client.get(path)
        assert response.status_code < 500, path
        expected = REDOC_POLICY if path == "/api/redoc/" else POLICY
        assert directives(response) == expected, path


@pytest.mark.parametrize(
    "path",
    [
        "/khong-co-trang-nay/",  # 404
        "/staff/",  # redirect to the login page
        "/api/v1/petitions/",  # 401 from the API
        "/api/docs/?script",  # Swagger UI's start-up script, served apart
        "/admin/agencies/agency/1/change/",  # admin redirect for a missing object
    ],
)
def test_errors_redirects_and_scripts_carry_it_too(client, path):
    assert directives(client.get(path)) == POLICY


def test_the_swagger_page_has_no_inline_script_or_style(client):
    page = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "<style" not in page and "style=" not in page


def test_the_middleware_runs_before_anything_can_answer():
    assert settings.MIDDLEWARE.index("csp.middleware.CSPMiddleware") == 1


TEMPLATES = [
    path
    for root in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    for path in Path(root).rglob("*.html")
    # E-mails are not pages: mail clients need their styles inline, and run no script.
    if "emails" not in path.relative_to(root).parts
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_templates_have_no_inline_script_handler_or_style(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=|<style", text), "inline style"
    assert "javascript:" not in text.lower()
