"""The petitioner's identity, encrypted at rest, and the secret tracking code.

A denouncer's identity is a state secret (Law on Denunciations arts. 8, 9, 47, 56):
it is stored Fernet-encrypted and decrypted only by `services.petition_reveal_identity`
(which writes an audit row) and for notices to the petitioner themselves.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from sealing import crypto

MASK = _("Denouncer (confidential)")
# No 0/O, 1/I/L: the code is read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@dataclass
class Identity:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    id_number: str = ""
    co_signers: list[str] = field(default_factory=list)


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
