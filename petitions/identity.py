"""The petitioner's identity, encrypted at rest, and the secret tracking code.

A denouncer's identity is a state secret (Law on Denunciations arts. 8, 9, 47, 56):
it is stored Fernet-encrypted and decrypted only by `services.petition_reveal_identity`
(which writes an audit row) and for notices to the petitioner themselves.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from sealing import crypto

MASK = _("Denouncer (confidential)")
# No 0/O, 1/I/L: the code is read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
# What a petitioner's phone number and citizen ID look like: one rule for the pages'
# forms and the API's input.
PHONE_PATTERN = r"^\+?[0-9 .-]{8,15}$"
PHONE_INVALID = _("Enter a phone number of 8 to 15 digits.")
ID_NUMBER_PATTERN = r"^[0-9]{9,12}$"
ID_NUMBER_INVALID = _("A citizen ID number has 9 or 12 digits.")


@dataclass
class Identity:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    id_number: str = ""
    co_signers: list[str] = field(default_factory=list)

    @classmethod
    def from_fields(cls, data: Mapping[str, Any], co_signers: list[str]) -> Identity:
        """The petitioner as a page's form or the API's input gave them (blank: absent)."""
        return cls(
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            address=data.get("address", ""),
            id_number=data.get("id_number", ""),
            co_signers=co_signers,
        )


def encrypt_identity(identity: Identity) -> str:
    return crypto.encrypt(json.dumps(asdict(identity)))


def decrypt_identity(token: str) -> Identity:
    plain = crypto.decrypt(token)
    if plain is None:
        return Identity(name=str(_("(cannot be decrypted with the current key)")))
    return Identity(**json.loads(plain)) if plain else Identity()


def new_tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_hash(code: str) -> str:
    return crypto.keyed_digest(normalize_code(code), purpose="tracking-code")


def tracking_code_matches(code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(tracking_hash(code), stored_hash)
