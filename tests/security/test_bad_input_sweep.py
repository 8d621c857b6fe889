"""The bad-input sweep (issue 16, item 8): every form of every page and every write
endpoint of the API, sent what an attacker sends — a NUL byte, a lone surrogate, JSON
nested ten thousand deep, numbers of forty digits, the first and last dates a calendar
has — answers without a server error, and the refused ones change nothing.

The forms are found by reading each page the sweep's roles may open (a new form is swept
the day it exists); the API's write endpoints and their fields come from the OpenAPI
schema (a new endpoint likewise).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from agencies.scope import forget_scope
from tests.security.sweep import ROLES, build_world, url_patterns
from tests.security.test_permission_sweep import RULES, fingerprint

pytestmark = pytest.mark.django_db

# Each is refused and must change nothing.
REFUSED = {
    "nul": "tên\x00độc",
    "surrogate": None,  # sent as raw bytes: a str cannot carry it through the client
}
# Each must not be a server error; some are valid values of some fields.
ODD = {
    "huge": "9" * 40,
    "negative": "-99999999999999999999",
    "float": "7.9",
    "first day": "0001-01-01",
    "last day": "9999-12-31",
    "long": "x" * 100_000,
}
DEEP = "[" * 10_000 + "]" * 10_000
# A lead, council staff and a reception officer (who may act on their own cases, days,
# bookings and visits) and a monitor (who may not).
API_ROLES = ["lanhdao", "hdnd", "tiepdan", "giamsat"]


class Forms(HTMLParser):
    """The POST forms of a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self._current = {"action": values.get("action") or "", "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in {"input", "select", "textarea"}:
            name = values.get("name")
            if name and values.get("type") not in {"submit", "button", "file"}:
                self._current["fields"][name] = values.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _forms(html: str, page: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = form["action"] or page
    return parser.forms


def _form_body(fields: dict[str, str], bad: str | None) -> bytes:
    """A urlencoded body with every field but the CSRF token set to the bad value; None
    is a lone surrogate's UTF-8-ish bytes (invalid UTF-8)."""
    parts = []
    for name in fields:
        if name == "csrfmiddlewaretoken":
            continue
        value = "%ED%A0%80" if bad is None else quote(bad)
        parts.append(f"{quote(name)}={value}")
    return "&".join(parts).encode()


def _write_endpoints() -> list[tuple[str, str, list[str]]]:
    """(method, path template, body fields) of every API write, from the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            operation = operations.get(method)
            if not operation:
                continue
            fields: list[str] = []
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                ref = media.get("schema", {}).get("$ref", "")
                component = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
                fields = list(component.get("properties", {}))
                break
            found.append((method, path, fields))
    return found


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
        forget_scope(user)
    return client


def test_no_bad_input_to_any_form_or_write_endpoint_is_a_server_error(capsys):
    world = build_world()
    failures: list[str] = []
    sent = 0
    forms_seen: set[str] = set()

    def send(
        client: Client,
        method: str,
        url: str,
        body: bytes,
        content_type: str,
        what: str,
        must_not_change: bool,
    ) -> None:
        nonlocal sent
        before = fingerprint() if must_not_change else None
        response = getattr(client, method)(url, data=body, content_type=content_type)
        sent += 1
        if response.status_code >= 500:
            failures.append(f"{method.upper()} {url} {what}: {response.status_code}")
        elif before is not None and response.status_code >= 400 and fingerprint() != before:
            failures.append(f"{method.upper()} {url} {what}: refused, yet something changed")

    # The pages' forms, each as the first role whose page offers it (a lead's forms on a
    # case page are not a handler's; the reception office's on a day are not its leader's).
    for name, _pattern in url_patterns():
        if name.startswith(("api:", "open311:")):
            continue
        for role in ROLES:
            user = None if role == "anonymous" else world.users[role]
            cases = [case for case in RULES[name](world) if case.may(user)]
            if not cases:
                continue
            client = _client(user)
            url = cases[0].url(name)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for form in _forms(response.content.decode(), url):
                action = urlsplit(form["action"]).path or url
                try:
                    resolve(action)
                except Resolver404:
                    continue
                if action in forms_seen or action == reverse("logout"):
                    continue
                forms_seen.add(action)
                for label, bad in REFUSED.items():
                    send(
                        client,
                        "post",
                        action,
                        _form_body(form["fields"], bad),
                        "application/x-www-form-urlencoded",
                        label,
                        True,
                    )
                for label, odd in ODD.items():
                    send(
                        client,
                        "post",
                        action,
                        _form_body(form["fields"], odd),
                        "application/x-www-form-urlencoded",
                        label,
                        False,
                    )

    # The API's writes, as a lead, council staff and a reception officer (who may act)
    # and a monitor (who may not: permission decides before the input is read).
    endpoints = _write_endpoints()
    for role in API_ROLES:
        user = world.users[role]
        client = _client(user)
        for method, template, fields in endpoints:
            path = template
            if "{id}" in path or "{pk}" in path:
                pk = _an_id_for(template, world, user)
                if pk is None:
                    continue
                path = path.replace("{id}", str(pk)).replace("{pk}", str(pk))
            for label, bad in REFUSED.items():
                value = "\\ud800" if bad is None else json.dumps(bad)[1:-1]
                body = "{" + ",".join(f'"{f}": "{value}"' for f in fields) + "}"
                send(client, method, path, body.encode(), "application/json", label, True)
            send(client, method, path, DEEP.encode(), "application/json", "deep JSON", True)
            for label, odd in ODD.items():
                body = json.dumps({f: odd for f in fields})
                send(client, method, path, body.encode(), "application/json", label, False)
                numbers = json.dumps(
                    {f: int(odd) if odd.lstrip("-").isdigit() else odd for f in fields}
                )
                send(client, method, path, numbers.encode(), "application/json", label, False)

    with capsys.disabled():
        print(
            f"\nbad-input sweep: {len(forms_seen)} forms, {len(endpoints)} API writes, "
            f"{sent} requests; {len(failures)} failures"
        )
    assert not failures, "\n".join(failures)


def _an_id_for(template: str, world: Any, user: Any) -> int | None:
    """An object id for an API path, from the permission sweep's own choice of objects:
    one that `user` may act on when there is one (their input is then read), else the
    first."""
    for name, pattern in url_patterns():
        if not name.startswith("api:") or "pk" not in pattern.pattern.converters:
            continue
        if reverse(name, kwargs={"pk": 987654}).replace("987654", "{id}") == template:
            cases = RULES[name](world)
            chosen = next((c for c in cases if c.may(user)), cases[0] if cases else None)
            return chosen.kwargs.get("pk") if chosen else None
    return None
