"""A booking citizen's identity, encrypted at rest, and the secret booking code.

The amended Law on Citizen Reception (Luật 136/2025/QH15) has people who come to
complain, denounce or petition identify themselves; the ID number is personal data, so
it is stored Fernet-encrypted (sealing.crypto) and only as a keyed digest besides, and
read only by the reception officers of the day's agency (selectors.may_see_identity).
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from sealing import crypto

# No 0/O, 1/I/L: the code is read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
ID_NUMBER_PATTERN = r"^[0-9]{9}$|^[0-9]{12}$"
ID_NUMBER_INVALID = _("A citizen ID number has 9 or 12 digits.")
PHONE_PATTERN = r"^\+?[0-9 .-]{8,15}$"
PHONE_INVALID = _("Enter a phone number of 8 to 15 digits.")
MASK = _("(personal data, seen by the reception office)")


@dataclass
class Visitor:
    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def seal(visitor: Visitor) -> str:
    return crypto.encrypt(json.dumps(asdict(visitor)))


def unseal(token: str) -> Visitor:
    plain = crypto.decrypt(token)
    if plain is None:
        return Visitor(name=str(_("(cannot be decrypted with the current key)")))
    return Visitor(**json.loads(plain)) if plain else Visitor()


def id_digest(id_number: str) -> str:
    """The keyed digest of a citizen ID number: its digits under the purpose the
    reception register uses too, so a booked citizen is the same citizen at the desk."""
    digits = "".join(ch for ch in id_number if ch.isdigit())
    return crypto.keyed_digest(digits, purpose="citizen-id")


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return crypto.keyed_digest(normalize_code(code), purpose="booking-code")


def code_matches(code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(code), stored)
