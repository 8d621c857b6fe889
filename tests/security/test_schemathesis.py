"""The whole API fuzzed by schemathesis from its own OpenAPI document (issue 16, item 8):
as a lead, a monitor and anonymously, every operation gets generated requests, valid and
not; no answer is a server error and every answer matches the schema (status code,
content type, body).

One world (the demo province) serves every operation; the examples per operation are
bounded (`EXAMPLES`) so that the run takes a minute or two in CI.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from tests.security.sweep import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _fuzz(operation: Any, headers: dict[str, Any], who: str, failures: list[str]) -> int:
    """Run one operation's examples as one caller; the number of cases sent."""
    sent = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{who} {operation.label}: {exc}"[:1500])

    with contextlib.suppress(Unsatisfiable):
        run()
    return sent


@contextlib.contextmanager
def _connection_kept_across_requests() -> Iterator[None]:
    """Django's WSGI handler closes the database connection after each request when it is
    inside a transaction (the test's): keep it open, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(capsys):
    with _connection_kept_across_requests():
        _fuzz_the_api(capsys)


def _fuzz_the_api(capsys: Any) -> None:
    world = build_world()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    failures: list[str] = []
    cases = 0
    for role in ("lanhdao", "giamsat", None):
        # Uncompressed answers: the test client reads bodies as they come (GZipMiddleware).
        headers: dict[str, Any] = {"Accept-Encoding": "identity"}
        if role is not None:
            token, _created = Token.objects.get_or_create(user=world.users[role])
            headers["Authorization"] = f"Token {token.key}"
        for operation in operations:
            cases += _fuzz(operation, headers, role or "anonymous", failures)
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(operations)} operations × 3 roles, {cases} cases; "
            f"{len(failures)} failures"
        )
    assert not failures, "\n\n".join(dict.fromkeys(failures))
