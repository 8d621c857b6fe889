"""Names in Vietnamese order: the one sort key every list of units (and other names)
uses, as Vietnamese dictionaries order words.

The unit's type (Xã, Phường, Đặc khu, Thị trấn, Tỉnh, Thành phố…) is left out, so
"Xã Bình An" comes before "Phường Đông Sơn" and "Xã Xuân Giang". Letters compare in the
Vietnamese alphabet — a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y — and
tones only break ties between otherwise equal words (ngang, huyền, hỏi, ngã, sắc,
nặng), as the dictionaries of the Institute of Linguistics do."""

from __future__ import annotations

import unicodedata

# Longest first, so "Thị xã" is taken before "Xã" could be.
PREFIXES = (
    "thành phố ",
    "thị trấn ",
    "đặc khu ",
    "thị xã ",
    "phường ",
    "huyện ",
    "quận ",
    "tỉnh ",
    "xã ",
)

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER = {letter: index for index, letter in enumerate(ALPHABET)}
# The marks that make a letter of its own (ă â ê ô ơ ư), by their combining character.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
# The tones, in dictionary order after the level tone (0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER = 1000  # characters outside the alphabet (f, j, w, z, other scripts) come after


def strip_type(name: str) -> str:
    """The name without its administrative type: "Xã Bình An" → "Bình An"."""
    text = unicodedata.normalize("NFC", name).strip()
    lowered = text.casefold()
    for prefix in PREFIXES:
        if lowered.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix) :].strip()
    return text


def _letters(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", word.casefold()):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        letter = base
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _LETTER_MARKS:
                letter += mark
        letter = unicodedata.normalize("NFC", letter)
        if letter in _LETTER:
            primary.append(100 + _LETTER[letter])
        elif base.isalpha():
            primary.append(_OTHER + ord(letter[0]))
        else:
            # Spaces, punctuation and digits before letters: "An" before "Anh".
            primary.append(ord(base) if ord(base) < 100 else _OTHER + ord(base))
        tones.append(tone)
    return tuple(primary), tuple(tones)


def vietnamese_sort_key(name: str) -> tuple[object, ...]:
    """A key for `sorted`: Vietnamese dictionary order of the name without its type,
    then the tones, then the whole name (two units of one name stay in one order)."""
    primary, tones = _letters(strip_type(name))
    return (primary, tones, unicodedata.normalize("NFC", name))
