"""Search with or without diacritics: one key for stored text, one filter over it, and
a name search for tables that keep no key column (the directory).

A case stores `search_text`, the transliterated, lower-cased words of what may be
searched (`search_key`); a query matches when each of its words is in that column
(`search_filter`), so "Gia Viễn", "gia vien" and "GIA VIEN" find the same cases.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from unidecode import unidecode

# The most words of a query that reach the database: more narrow nothing in practice
# and each adds a LIKE to the plan.
MAX_WORDS = 8
QS = TypeVar("QS", bound="QuerySet[Any]")


def narrowed(qs: QS, **lookups: object) -> QS:
    """`qs` with each equality filter whose value is given: a list page's or a figure's
    optional narrowing (a blank choice or a missing id narrows nothing)."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return qs.filter(**given) if given else qs


def search_key(text: str) -> str:
    """Lower-cased ASCII words, so that "Gia Viễn", "gia vien" and "GIA VIEN" all match."""
    return unidecode(text or "").lower()


def search_filter(text: str, prefix: str = "") -> Q:
    """Each word must appear in `<prefix>search_text`, with or without diacritics."""
    query = Q()
    for word in search_key(text).split()[:MAX_WORDS]:
        query &= Q(**{f"{prefix}search_text__contains": word})
    return query


# Each plain letter stands for every Vietnamese letter that transliterates to it, in both
# cases (PostgreSQL's case-insensitive match ignores non-ASCII case under the C locale).
_VARIANTS = {
    "a": "aàáạảãâầấậẩẫăằắặẳẵ",
    "e": "eèéẹẻẽêềếệểễ",
    "i": "iìíịỉĩ",
    "o": "oòóọỏõôồốộổỗơờớợởỡ",
    "u": "uùúụủũưừứựửữ",
    "y": "yỳýỵỷỹ",
    "d": "dđ",
}
_CLASSES = {letter: f"[{chars}{chars.upper()}]" for letter, chars in _VARIANTS.items()}


def name_search(text: str, *fields: str) -> Q:
    """Each word must appear in one of `fields`, with or without diacritics.

    Names carry no transliterated column, so the words become character-class regexes
    ("vien" → v[iì…][eè…]n); only letters and digits reach the pattern.
    """
    query = Q()
    for word in re.findall(r"[a-z0-9]+", unidecode(text).lower())[:MAX_WORDS]:
        pattern = "".join(_CLASSES.get(char, char) for char in word)
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__iregex": pattern})
        query &= any_field
    return query
