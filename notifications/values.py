"""Values kept for rendering later, in whoever reads them then.

A notice in the bell and a sentence on a timeline are written once and read many times,
by people who read other languages. What they say is therefore stored as data: dates as
ISO dates, a translatable label (`gettext_lazy`, a TextChoices label) as its msgid, and
rendered when read (`decode`), in the active language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext


def encode(value: Any) -> Any:
    """A JSON-safe form of `value` that `decode` turns back, translated when read."""
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Promise):
        # gettext_lazy("…") and TextChoices labels: keep the msgid (and its context).
        args = getattr(value, "_args", ())
        if args and all(isinstance(a, str) for a in args) and len(args) <= 2:
            return {"msg": list(args)}
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def encode_all(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: encode(value) for key, value in values.items()}


def decode(value: Any) -> Any:
    """The value as a template or a sentence uses it: a date, or a text in the active
    language."""
    if isinstance(value, Mapping):
        if "datetime" in value:
            moment = dt.datetime.fromisoformat(value["datetime"])
            return timezone.localtime(moment) if timezone.is_aware(moment) else moment
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        if "msg" in value:
            parts = value["msg"]
            return pgettext(parts[0], parts[1]) if len(parts) == 2 else gettext(parts[0])
    return value


def decode_all(values: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: decode(value) for key, value in (values or {}).items()}
