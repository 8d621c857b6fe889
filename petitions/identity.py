"""The petitioner's identity, encrypted at rest, and the secret tracking code.

A denouncer's identity is a state secret (Law on Denunciations arts. 8, 9, 47, 56):
it is stored Fernet-encrypted and decrypted only by `services.petition_reveal_identity`
(which writes an audit row) and for notices to the petitioner themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils.translation import gettext_lazy as _

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


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    if settings.FIELD_ENCRYPTION_KEY:
        return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())
    digest = hashlib.sha256(("civic-portal identity|" + key_material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _cipher() -> Fernet:
    return _fernet(settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY)


def encrypt_identity(identity: Identity) -> str:
    return _cipher().encrypt(json.dumps(asdict(identity)).encode()).decode()


def decrypt_identity(token: str) -> Identity:
    try:
        data = json.loads(_cipher().decrypt(token.encode()))
    except (InvalidToken, ValueError):
        return Identity(name=str(_("(cannot be decrypted with the current key)")))
    return Identity(**data)


def new_tracking_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def tracking_hash(code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def tracking_code_matches(code: str, stored_hash: str) -> bool:
    return hmac.compare_digest(tracking_hash(code), stored_hash)
