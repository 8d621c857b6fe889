"""The OpenAPI document validates, lists every endpoint, and its docs need no CDN."""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLResolver, get_resolver
from drf_spectacular.validation import validate_schema

from petitions.api import API_MOVES
from recommendations.api import FORWARDING_MOVES, ITEM_MOVES, MEETING_MOVES, SESSION_MOVES

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/v1/petitions/": {"get", "post"},
    "/api/v1/petitions/{id}/": {"get"},
    **{f"/api/v1/petitions/{{id}}/{move}/": {"post"} for move in API_MOVES},
    "/api/v1/agencies/": {"get"},
    "/api/v1/agencies/{id}/": {"get"},
    "/api/v1/units/": {"get"},
    "/api/v1/units/{id}/": {"get"},
    **{
        f"/api/v1/{resource}/{suffix}": {"get"}
        for resource in (
            "terms",
            "council-sessions",
            "voter-meetings",
            "recommendations",
            "forwardings",
            "answers",
        )
        for suffix in ("", "{id}/")
    },
    **{f"/api/v1/council-sessions/{{id}}/{move}/": {"post"} for move in SESSION_MOVES},
    **{f"/api/v1/voter-meetings/{{id}}/{move}/": {"post"} for move in MEETING_MOVES},
    **{f"/api/v1/recommendations/{{id}}/{move}/": {"post"} for move in ITEM_MOVES},
    **{f"/api/v1/forwardings/{{id}}/{move}/": {"post"} for move in FORWARDING_MOVES},
}


def _api_routes(patterns=None, prefix: str = "") -> set[str]:
    """Every URL under /api/v1/ the project serves, written the way the schema writes it."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= _api_routes(pattern.url_patterns, route)
        elif route.startswith("api/v1/") and route != "api/v1/":  # not the browsable root
            named = re.sub(
                r"<(?:\w+:)?(\w+)>",
                lambda m: "{" + ("id" if m[1] == "pk" else m[1]) + "}",
                route,
            )
            routes.add("/" + named)
    return routes


def test_the_schema_command_validates_without_a_single_warning(tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn raises on any warning; --validate checks it against the OpenAPI 3 spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    documented = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    assert {path: documented.get(path) for path in EXPECTED_PATHS} == EXPECTED_PATHS
    # and every other app's API route is documented too
    assert set(documented) == _api_routes()


def test_the_served_schema_is_valid_and_lists_every_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert set(EXPECTED_PATHS) <= set(schema["paths"])
    accept = schema["paths"]["/api/v1/petitions/{id}/accept/"]["post"]
    assert set(accept["responses"]) == {"200", "400", "401", "403", "404", "409"}
    transfer = schema["paths"]["/api/v1/petitions/{id}/transfer/"]["post"]
    assert "201" in transfer["responses"]
    assert schema["paths"]["/api/v1/petitions/{id}/"]["get"]["parameters"][0]["schema"] == {
        "type": "integer"
    }


def test_the_schema_documents_session_and_token_authentication(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_the_schema_names_each_choice_set_once(client):
    components = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert components["PetitionStatus"]["enum"][0] == "received"
    assert components["AgencyKind"]["enum"][0] == "ubnd"
    assert components["UnitKind"]["enum"][0] == "tinh"
    assert "received" in components["PetitionStatus"]["description"]


def test_the_schema_speaks_the_request_language(client):
    english = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert (
        "`received` - Received" in english["components"]["schemas"]["PetitionStatus"]["description"]
    )
    vietnamese = client.get("/api/schema/", {"format": "json"}).json()
    assert (
        "`received` - Đã tiếp nhận"
        in vietnamese["components"]["schemas"]["PetitionStatus"]["description"]
    )


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_their_scripts_from_this_server_not_a_cdn(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    if url == "/api/docs/":  # Swagger UI's start-up script comes apart, never inline (CSP)
        page += client.get(url, {"script": ""}).content.decode()
    assert "/api/schema/" in page
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page)
    assert external == []
    assert "cdn" not in page.lower() and "jsdelivr" not in page and "unpkg" not in page
    assets = re.findall(r"""(?:src|href)=["']/static/([^"'?]+)""", page)
    assert assets, "the page should load sidecar assets from /static/"
    for asset in assets:
        assert finders.find(asset), asset
