"""GeoReport v2's two formats from one structure: JSON as it is, XML by the Spark
convention the specification maps the two with (a list is a plural element holding
one singular element per item; null is an empty element; booleans are true/false).

DRF has no XML renderer and the format is tiny, so xml.etree writes it: no new
dependency, and every tag name is spelled here, once.
"""

from __future__ import annotations

import json
from typing import Any

# Writes XML only, never parses what a client sends (no XML input in GeoReport v2).
from xml.etree import ElementTree as ET

from django.http import HttpResponse

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# A list's element name -> the name of each item's element (the Spark convention).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEM_NAMES[element.tag]), item)
    elif value is not None:
        element.text = _text(value)


def to_xml(root: str, data: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()


def render(fmt: str, root: str, data: Any, *, status: int = 200) -> HttpResponse:
    """`data` as the response of format `fmt` ("json" or "xml"); `root` names the XML
    document element (services, service_requests, service_definition…)."""
    content = to_xml(root, data) if fmt == "xml" else json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    """The specification's error array: one {code, description} per problem, with the
    HTTP status as each code."""
    body = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", body, status=status)
