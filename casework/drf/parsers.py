"""The API's JSON parser (settings REST_FRAMEWORK DEFAULT_PARSER_CLASSES).

DRF's parser hands the body to `json.loads` and passes on whatever comes back. Two
bodies get through it to a server error: brackets nested some thousands deep (a
RecursionError, in the decoder or in any code that walks the result) and a lone
surrogate (`"\\ud800"`), valid JSON that no response can encode, so a field's error
message that repeats the value fails as it is written. Both are refused here as a
400 that says why, before any view sees them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Our inputs are flat objects with a few lists of ids or names: 2 levels. The margin is
# for clients that wrap a body once or twice; 32 is far from any recursion limit.
MAX_DEPTH = 32


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON body is nested too deeply (at most %(depth)s levels).") % {"depth": MAX_DEPTH}
    )


def _bad_text() -> ParseError:
    return ParseError(_("The JSON body contains invalid characters (a lone surrogate)."))


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_json(data: Any) -> None:
    """Raise ParseError if `data` nests deeper than MAX_DEPTH or holds a string (key or
    value) that is not encodable text. Iterative: the check itself cannot recurse."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _has_surrogate(value):
                raise _bad_text()
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and _has_surrogate(key):
                    raise _bad_text()
                stack.append((item, depth + 1))


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit and no undecodable text."""

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # the decoder itself gave up
            raise _too_deep() from exc
        check_json(data)
        return data
